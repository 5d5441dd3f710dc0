//! Effective permissions: the union of a user's roles, then per-user overrides
//! (an explicit deny beats any role).

mod cache;

use std::collections::{BTreeSet, HashMap};

use entities::{permission, role, role_permission, user_permission, user_role};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

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

/// One user's effective rights.
pub async fn effective(conn: &impl ConnectionTrait, user_id: i64) -> Result<Grants, DbErr> {
    Ok(effective_many(conn, &[user_id])
        .await?
        .remove(&user_id)
        .unwrap_or_default())
}

/// Several users' effective rights in a handful of queries whatever their number (the
/// notification matcher resolves 200 recipients at once); an entry for every id.
pub async fn effective_many(
    conn: &impl ConnectionTrait,
    user_ids: &[i64],
) -> Result<HashMap<i64, Grants>, DbErr> {
    let mut memberships: Vec<user_role::Model> = Vec::new();
    let mut overrides: Vec<user_permission::Model> = Vec::new();
    // Chunks keep each statement under the databases' bound-parameter limits.
    for chunk in user_ids.chunks(500) {
        memberships.extend(
            user_role::Entity::find()
                .filter(user_role::Column::UserId.is_in(chunk.to_vec()))
                .all(conn)
                .await?,
        );
        overrides.extend(
            user_permission::Entity::find()
                .filter(user_permission::Column::UserId.is_in(chunk.to_vec()))
                .all(conn)
                .await?,
        );
    }
    let role_ids: BTreeSet<i64> = memberships.iter().map(|m| m.role_id).collect();
    let roles: HashMap<i64, role::Model> = role::Entity::find()
        .filter(role::Column::Id.is_in(role_ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mut granted_by_role: HashMap<i64, BTreeSet<String>> = HashMap::new();
    for rp in role_permission::Entity::find()
        .filter(role_permission::Column::RoleId.is_in(role_ids.iter().copied()))
        .all(conn)
        .await?
    {
        granted_by_role
            .entry(rp.role_id)
            .or_default()
            .insert(rp.permission_code);
    }
    // Super Admin holds every permission, including ones added after it was seeded.
    let is_super = |r: &role::Model| r.is_system && r.name == role::SUPER_ADMIN;
    let every: BTreeSet<String> = if roles.values().any(is_super) {
        permission::Entity::find()
            .all(conn)
            .await?
            .into_iter()
            .map(|p| p.code)
            .collect()
    } else {
        BTreeSet::new()
    };

    let mut roles_of: HashMap<i64, Vec<&role::Model>> = HashMap::new();
    for m in &memberships {
        if let Some(role) = roles.get(&m.role_id) {
            roles_of.entry(m.user_id).or_default().push(role);
        }
    }
    let mut overrides_of: HashMap<i64, Vec<&user_permission::Model>> = HashMap::new();
    for o in &overrides {
        overrides_of.entry(o.user_id).or_default().push(o);
    }

    let mut out = HashMap::with_capacity(user_ids.len());
    for &user_id in user_ids {
        let mut mine = roles_of.remove(&user_id).unwrap_or_default();
        mine.sort_by_key(|r| r.id);
        let mut permissions: BTreeSet<String> = if mine.iter().any(|r| is_super(r)) {
            every.clone()
        } else {
            mine.iter()
                .filter_map(|r| granted_by_role.get(&r.id))
                .flatten()
                .cloned()
                .collect()
        };
        // An explicit deny beats any role.
        for o in overrides_of.remove(&user_id).unwrap_or_default() {
            if o.granted {
                permissions.insert(o.permission_code.clone());
            } else {
                permissions.remove(&o.permission_code);
            }
        }
        let two_factor_required = mine.iter().any(|r| r.require_two_factor);
        let two_factor_enabled = two_factor_required
            && crate::auth::two_factor::store::is_enabled(conn, user_id).await?;
        out.insert(
            user_id,
            Grants {
                two_factor_required,
                two_factor_enabled,
                roles: mine.iter().map(|r| r.name.clone()).collect(),
                permissions,
            },
        );
    }
    Ok(out)
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
