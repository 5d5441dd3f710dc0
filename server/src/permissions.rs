//! Effective permissions: the union of a user's roles, then per-user overrides
//! (an explicit deny beats any role).

mod cache;

use std::collections::BTreeSet;

use entities::{permission, role, role_permission, user_permission, user_role};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

pub use cache::GrantsCache;

#[derive(Debug, Clone, Default)]
pub struct Grants {
    pub roles: Vec<String>,
    pub permissions: BTreeSet<String>,
    /// A role of the user demands two-factor authentication (AUTH-007).
    pub two_factor_required: bool,
    /// The user has enrolled; read only when required (the cache is dropped by the
    /// two-factor routes whenever it changes).
    pub two_factor_enabled: bool,
}

impl Grants {
    pub fn has(&self, code: &str) -> bool {
        self.permissions.contains(code)
    }
}

pub async fn effective(conn: &impl ConnectionTrait, user_id: i64) -> Result<Grants, DbErr> {
    let role_ids: Vec<i64> = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|ur| ur.role_id)
        .collect();
    let roles = role::Entity::find()
        .filter(role::Column::Id.is_in(role_ids.clone()))
        .order_by_asc(role::Column::Id)
        .all(conn)
        .await?;
    // Super Admin holds every permission, including ones added after it was seeded.
    let mut permissions: BTreeSet<String> = if roles
        .iter()
        .any(|r| r.is_system && r.name == role::SUPER_ADMIN)
    {
        permission::Entity::find()
            .all(conn)
            .await?
            .into_iter()
            .map(|p| p.code)
            .collect()
    } else {
        role_permission::Entity::find()
            .filter(role_permission::Column::RoleId.is_in(role_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|rp| rp.permission_code)
            .collect()
    };
    let overrides = user_permission::Entity::find()
        .filter(user_permission::Column::UserId.eq(user_id))
        .all(conn)
        .await?;
    for o in overrides {
        if o.granted {
            permissions.insert(o.permission_code);
        } else {
            permissions.remove(&o.permission_code);
        }
    }
    let two_factor_required = roles.iter().any(|r| r.require_two_factor);
    let two_factor_enabled =
        two_factor_required && crate::auth::two_factor::store::is_enabled(conn, user_id).await?;
    Ok(Grants {
        two_factor_required,
        two_factor_enabled,
        roles: roles.into_iter().map(|r| r.name).collect(),
        permissions,
    })
}

/// Every user who holds `code` now: through a role granting it (Super Admin grants
/// everything) or a personal grant, minus personal denials. A handful of queries
/// whatever the head count, for pickers and audiences.
pub async fn holders(conn: &impl ConnectionTrait, code: &str) -> Result<BTreeSet<i64>, DbErr> {
    let mut role_ids: Vec<i64> = role_permission::Entity::find()
        .filter(role_permission::Column::PermissionCode.eq(code))
        .all(conn)
        .await?
        .into_iter()
        .map(|rp| rp.role_id)
        .collect();
    role_ids.extend(
        role::Entity::find()
            .filter(role::Column::IsSystem.eq(true))
            .filter(role::Column::Name.eq(role::SUPER_ADMIN))
            .all(conn)
            .await?
            .into_iter()
            .map(|r| r.id),
    );
    let mut users: BTreeSet<i64> = user_role::Entity::find()
        .filter(user_role::Column::RoleId.is_in(role_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|ur| ur.user_id)
        .collect();
    for o in user_permission::Entity::find()
        .filter(user_permission::Column::PermissionCode.eq(code))
        .all(conn)
        .await?
    {
        if o.granted {
            users.insert(o.user_id);
        } else {
            users.remove(&o.user_id);
        }
    }
    Ok(users)
}
