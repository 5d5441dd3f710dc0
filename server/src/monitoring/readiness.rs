//! `GET /readyz`: may a load balancer send traffic here? Only when the database
//! answers, every migration this binary knows has run, and no shutdown has begun.
//! A broker outage does not stop a node from serving: it is listed as `degraded`.

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{broker::Status, lifecycle::Lifecycle};

#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    pub ready: bool,
    /// Empty when ready.
    pub failing: Vec<FailingCheck>,
    /// Working, but worse than it should: the broker (`ANKHANG_BROKER_URL`) is
    /// unreachable, so events from other nodes arrive up to a second late.
    pub degraded: Vec<FailingCheck>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FailingCheck {
    /// `database`, `migrations`, `shutdown`; `broker` when degraded.
    pub check: &'static str,
    /// Vietnamese, for the operator.
    pub message: String,
}

pub async fn check(
    db: &DatabaseConnection,
    lifecycle: &Lifecycle,
    broker: Option<&Status>,
) -> Readiness {
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
    let degraded = broker
        .and_then(Status::outage)
        .map(|(since, cause)| FailingCheck {
            check: "broker",
            message: format!(
                "Mất kết nối tới Redis (ANKHANG_BROKER_URL) từ {} giờ Việt Nam: {cause}. Máy chủ vẫn phục vụ; sự kiện từ các máy chủ khác đến chậm tối đa 1 giây",
                since
                    .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
                    .format("%H:%M:%S %d/%m/%Y")
            ),
        })
        .into_iter()
        .collect();
    Readiness {
        ready: failing.is_empty(),
        failing,
        degraded,
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
