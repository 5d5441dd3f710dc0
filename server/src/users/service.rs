use chrono::{DateTime, Utc};
use entities::{role, user, user_role};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter,
};

use crate::{
    audit::{self, Actor, AuditEntry},
    domain::{Email, FullName, Username},
    error::ApiError,
    http::client_meta::ClientMeta,
};

/// A validated new account; the password is already hashed.
pub struct NewUser {
    pub username: Username,
    pub full_name: FullName,
    pub email: Option<Email>,
    pub password_hash: String,
    pub role_ids: Vec<i64>,
}

pub async fn create(
    conn: &impl ConnectionTrait,
    new: NewUser,
    now: DateTime<Utc>,
    actor: Option<Actor>,
    meta: &ClientMeta,
) -> Result<user::Model, ApiError> {
    if new.role_ids.is_empty() {
        return Err(ApiError::validation(
            "role_ids",
            "Nhân viên phải có ít nhất một vai trò",
        ));
    }
    let known = role::Entity::find()
        .filter(role::Column::Id.is_in(new.role_ids.clone()))
        .count(conn)
        .await?;
    let mut distinct = new.role_ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if known != distinct.len() as u64 {
        return Err(ApiError::validation("role_ids", "Vai trò không tồn tại"));
    }
    let taken = user::Entity::find()
        .filter(user::Column::Username.eq(new.username.as_str()))
        .count(conn)
        .await?;
    if taken > 0 {
        return Err(ApiError::Conflict {
            code: "username_taken",
            message: "Tên đăng nhập đã tồn tại".into(),
            field: Some("username".into()),
        });
    }
    let created = user::ActiveModel {
        username: Set(new.username.into_inner()),
        full_name: Set(new.full_name.into_inner()),
        email: Set(new.email.map(Email::into_inner)),
        password_hash: Set(new.password_hash),
        status: Set(user::STATUS_ACTIVE.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        password_changed_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    for role_id in &distinct {
        user_role::ActiveModel {
            user_id: Set(created.id),
            role_id: Set(*role_id),
        }
        .insert(conn)
        .await?;
    }
    audit::record(
        conn,
        now,
        AuditEntry {
            actor,
            action: "users.created",
            target: Some(("user", created.id.to_string())),
            before: None,
            after: Some(serde_json::json!({
                "username": created.username,
                "full_name": created.full_name,
                "email": created.email,
                "role_ids": distinct,
                "status": created.status,
            })),
            meta,
        },
    )
    .await?;
    Ok(created)
}
