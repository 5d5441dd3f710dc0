//! `GET /readyz`: may a load balancer send traffic here? Only when the database
//! answers, every migration this binary knows has run, and no shutdown has begun.

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::Serialize;
use utoipa::ToSchema;

use crate::lifecycle::Lifecycle;

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub ready: bool,
    /// Empty when ready.
    pub failing: Vec<FailingCheck>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FailingCheck {
    /// `database`, `migrations` or `shutdown`.
    pub check: &'static str,
    /// Vietnamese, for the operator.
    pub message: String,
}

pub async fn check(db: &DatabaseConnection, lifecycle: &Lifecycle) -> Readiness {
    let mut failing = Vec::new();
    match db.execute_unprepared("SELECT 1").await {
        Err(err) => {
            tracing::error!(error = %err, "readiness: database unreachable");
            failing.push(FailingCheck {
                check: "database",
                message: "Cơ sở dữ liệu không phản hồi".into(),
            });
        }
        Ok(_) => {
            if let Some(failure) = migrations(db).await {
                failing.push(failure);
            }
        }
    }
    if lifecycle.is_shutting_down() {
        failing.push(FailingCheck {
            check: "shutdown",
            message: "Máy chủ đang dừng".into(),
        });
    }
    Readiness {
        ready: failing.is_empty(),
        failing,
    }
}

async fn migrations(db: &DatabaseConnection) -> Option<FailingCheck> {
    // Read-only: a probe never creates the migrations table.
    match Migrator::get_pending_migrations_read_only(db).await {
        Ok(pending) if pending.is_empty() => None,
        Ok(pending) => {
            let names: Vec<&str> = pending.iter().map(|m| m.name()).collect();
            Some(FailingCheck {
                check: "migrations",
                message: format!(
                    "Còn {} migration chưa chạy ({}): hãy chạy `ankhang migrate`",
                    names.len(),
                    names.join(", ")
                ),
            })
        }
        Err(err) => {
            tracing::error!(error = %err, "readiness: cannot read the migrations table");
            Some(FailingCheck {
                check: "migrations",
                message: "Không đọc được bảng migration".into(),
            })
        }
    }
}
