//! Command-line administration: the first Super Admin and password recovery for it.

use entities::{role, user, user_role};
use rand::{Rng, distr::Alphanumeric};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    audit::{self, AuditEntry},
    auth::{password, session},
    clock::Clock,
    db,
    domain::{Email, FullName, Username},
    error::ApiError,
    http::client_meta::ClientMeta,
    users::{
        rules,
        service::{self, NewUser, Profile},
    },
};

pub struct AdminSpec {
    pub username: String,
    pub password: String,
    pub full_name: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum AdminOutcome {
    Created(i64),
    Reset(i64),
}

fn cli_meta() -> ClientMeta {
    ClientMeta {
        ip: None,
        user_agent: Some("ankhang-cli".into()),
    }
}

async fn super_admin_role(db: &DatabaseConnection) -> anyhow::Result<role::Model> {
    rules::super_admin_role(db)
        .await
        .map_err(|_| anyhow::anyhow!("vai trò Super Admin chưa có: hãy chạy `ankhang migrate`"))
}

/// Creates a Super Admin, or resets an existing account's password, unlocks it and
/// gives it the Super Admin role. Running it twice changes nothing more.
pub async fn create_or_reset(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    spec: AdminSpec,
) -> anyhow::Result<AdminOutcome> {
    let username = Username::parse("username", &spec.username).map_err(describe)?;
    password::check_policy("password", &spec.password).map_err(describe)?;
    let full_name = FullName::parse(
        "full-name",
        spec.full_name.as_deref().unwrap_or("Quản trị hệ thống"),
    )
    .map_err(describe)?;
    let email = Email::parse_optional("email", spec.email.as_deref()).map_err(describe)?;
    let admin_role = super_admin_role(db).await?;
    let password_hash = password::hash_blocking(spec.password).await?;
    let now = clock.now();
    let meta = cli_meta();

    let tx = db::begin_write(db).await?;
    let existing = user::Entity::find()
        .filter(user::Column::Username.eq(username.as_str()))
        .one(&tx)
        .await?;
    let outcome = match existing {
        Some(found) => {
            user::Entity::update(user::ActiveModel {
                id: Set(found.id),
                password_hash: Set(password_hash),
                status: Set(user::STATUS_ACTIVE.to_owned()),
                password_changed_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(&tx)
            .await?;
            let holds_role = user_role::Entity::find_by_id((found.id, admin_role.id))
                .one(&tx)
                .await?
                .is_some();
            if !holds_role {
                user_role::Entity::insert(user_role::ActiveModel {
                    user_id: Set(found.id),
                    role_id: Set(admin_role.id),
                })
                .exec(&tx)
                .await?;
            }
            session::revoke_all(&tx, found.id, None).await?;
            audit::record(
                &tx,
                now,
                AuditEntry {
                    actor: None,
                    action: "users.admin_reset",
                    target: Some(("user", found.id.to_string())),
                    before: Some(serde_json::json!({ "status": found.status })),
                    after: Some(serde_json::json!({
                        "status": user::STATUS_ACTIVE,
                        "role": role::SUPER_ADMIN,
                    })),
                    meta: &meta,
                },
            )
            .await?;
            AdminOutcome::Reset(found.id)
        }
        None => {
            let created = service::create(
                &tx,
                NewUser {
                    username,
                    full_name,
                    email,
                    profile: Profile::default(),
                    password_hash,
                    role_ids: vec![admin_role.id],
                },
                now,
                None,
                &meta,
            )
            .await
            .map_err(describe)?;
            AdminOutcome::Created(created.id)
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Is there at least one active account holding the Super Admin role?
pub async fn has_active_super_admin(db: &DatabaseConnection) -> anyhow::Result<bool> {
    let admin_role = super_admin_role(db).await?;
    Ok(rules::active_super_admins(db, admin_role.id, None).await? > 0)
}

/// A random password that satisfies the policy (letters and digits, 16 characters).
pub fn generate_password() -> String {
    loop {
        let candidate: String = rand::rng()
            .sample_iter(&Alphanumeric)
            .take(16)
            .map(char::from)
            .collect();
        if password::check_policy("password", &candidate).is_ok() {
            return candidate;
        }
    }
}

fn describe(err: ApiError) -> anyhow::Error {
    match err {
        ApiError::Validation { field, message } => anyhow::anyhow!("--{field}: {message}"),
        other => anyhow::anyhow!("{other}"),
    }
}
