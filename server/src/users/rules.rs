//! The employee rules that protect the firm from locking itself out.

use entities::{role, user, user_role};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

use crate::{auth::current_user::AuthUser, error::ApiError};

pub async fn super_admin_role(conn: &impl ConnectionTrait) -> Result<role::Model, ApiError> {
    role::Entity::find()
        .filter(role::Column::Name.eq(role::SUPER_ADMIN))
        .filter(role::Column::IsSystem.eq(true))
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("Super Admin role missing")))
}

/// Locks the Super Admin role row for the rest of the transaction, so two admins
/// demoting each other at once cannot both pass the last-admin check (PostgreSQL,
/// MySQL; SQLite's single writer already serialises them).
pub async fn lock_super_admin_role(conn: &impl ConnectionTrait) -> Result<role::Model, ApiError> {
    let id = super_admin_role(conn).await?.id;
    role::Entity::find_by_id(id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("Super Admin role missing")))
}

/// Active holders of the Super Admin role, leaving out `except`.
pub async fn active_super_admins(
    conn: &impl ConnectionTrait,
    super_admin_role_id: i64,
    except: Option<i64>,
) -> Result<u64, DbErr> {
    let mut holders =
        user_role::Entity::find().filter(user_role::Column::RoleId.eq(super_admin_role_id));
    if let Some(user_id) = except {
        holders = holders.filter(user_role::Column::UserId.ne(user_id));
    }
    let ids: Vec<i64> = holders
        .all(conn)
        .await?
        .into_iter()
        .map(|ur| ur.user_id)
        .collect();
    user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .filter(user::Column::Status.eq(user::STATUS_ACTIVE))
        .count(conn)
        .await
}

/// Fails unless some active Super Admin other than `changing` would remain.
pub async fn ensure_another_active_super_admin(
    conn: &impl ConnectionTrait,
    super_admin_role_id: i64,
    changing: i64,
) -> Result<(), ApiError> {
    if active_super_admins(conn, super_admin_role_id, Some(changing)).await? == 0 {
        return Err(ApiError::Conflict {
            code: "last_super_admin",
            message: "Hệ thống phải luôn còn ít nhất một Super Admin đang hoạt động".into(),
            field: None,
        });
    }
    Ok(())
}

pub fn ensure_not_self(caller: &AuthUser, target: i64, message: &str) -> Result<(), ApiError> {
    if caller.user.id == target {
        return Err(ApiError::Conflict {
            code: "self_change",
            message: message.to_owned(),
            field: None,
        });
    }
    Ok(())
}

/// Only a Super Admin may hand out or take away the Super Admin role.
pub fn ensure_may_touch_super_admin(caller: &AuthUser) -> Result<(), ApiError> {
    if caller.grants.roles.iter().any(|r| r == role::SUPER_ADMIN) {
        Ok(())
    } else {
        Err(ApiError::validation(
            "role_ids",
            "Chỉ Super Admin mới được gán hoặc gỡ vai trò Super Admin",
        ))
    }
}
