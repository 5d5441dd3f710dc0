//! Role rules: names unique, permissions from the catalogue, built-in roles neither
//! deleted nor renamed, Super Admin's permissions fixed.

use std::collections::BTreeSet;

use api_types::RoleDto;
use chrono::{DateTime, Utc};
use entities::{permission, role, role_permission, user_role};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};

use crate::{domain::clean_text, error::ApiError};

pub fn is_super_admin(role: &role::Model) -> bool {
    role.is_system && role.name == role::SUPER_ADMIN
}

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<role::Model, ApiError> {
    role::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)
}

pub async fn catalogue(conn: &impl ConnectionTrait) -> Result<Vec<permission::Model>, ApiError> {
    Ok(permission::Entity::find()
        .order_by_asc(permission::Column::SortOrder)
        .all(conn)
        .await?)
}

/// The role's permission codes, sorted.
pub async fn codes_of(conn: &impl ConnectionTrait, role_id: i64) -> Result<Vec<String>, ApiError> {
    Ok(role_permission::Entity::find()
        .filter(role_permission::Column::RoleId.eq(role_id))
        .order_by_asc(role_permission::Column::PermissionCode)
        .all(conn)
        .await?
        .into_iter()
        .map(|rp| rp.permission_code)
        .collect())
}

pub async fn dto(conn: &impl ConnectionTrait, role: role::Model) -> Result<RoleDto, ApiError> {
    // Super Admin holds every permission, including ones added after it was seeded.
    let permissions = if is_super_admin(&role) {
        let mut all: Vec<String> = catalogue(conn).await?.into_iter().map(|p| p.code).collect();
        all.sort();
        all
    } else {
        codes_of(conn, role.id).await?
    };
    let user_count = user_role::Entity::find()
        .filter(user_role::Column::RoleId.eq(role.id))
        .count(conn)
        .await?;
    Ok(RoleDto {
        locked_permissions: is_super_admin(&role),
        id: role.id,
        name: role.name,
        description: role.description,
        permissions,
        system: role.is_system,
        user_count,
        require_two_factor: role.require_two_factor,
    })
}

/// A validated role form.
pub struct RoleInput {
    pub name: String,
    pub description: Option<String>,
    pub permissions: BTreeSet<String>,
    /// `None` keeps the role's current setting (false for a new role): a client that
    /// predates the switch must not turn it off by saving.
    pub require_two_factor: Option<bool>,
}

impl RoleInput {
    pub async fn parse(
        conn: &impl ConnectionTrait,
        name: &str,
        description: Option<&str>,
        permissions: &[String],
        require_two_factor: Option<bool>,
    ) -> Result<Self, ApiError> {
        let name = clean_text("name", name, 80, "Tên vai trò")?;
        if name.is_empty() {
            return Err(ApiError::validation("name", "Vui lòng nhập tên vai trò"));
        }
        let description = match description {
            Some(d) => Some(clean_text("description", d, 255, "Mô tả")?).filter(|d| !d.is_empty()),
            None => None,
        };
        let known: BTreeSet<String> = catalogue(conn).await?.into_iter().map(|p| p.code).collect();
        let permissions: BTreeSet<String> = permissions.iter().cloned().collect();
        if let Some(unknown) = permissions.iter().find(|code| !known.contains(*code)) {
            return Err(ApiError::validation(
                "permissions",
                format!("Quyền \"{unknown}\" không tồn tại"),
            ));
        }
        Ok(Self {
            name,
            description,
            permissions,
            require_two_factor,
        })
    }
}

pub async fn ensure_name_free(
    conn: &impl ConnectionTrait,
    name: &str,
    except: Option<i64>,
) -> Result<(), ApiError> {
    let mut query = role::Entity::find().filter(role::Column::Name.eq(name));
    if let Some(id) = except {
        query = query.filter(role::Column::Id.ne(id));
    }
    if query.count(conn).await? > 0 {
        return Err(ApiError::Conflict {
            code: "role_name_taken",
            message: "Tên vai trò đã tồn tại".into(),
            field: Some("name".into()),
        });
    }
    Ok(())
}

pub async fn insert(
    conn: &impl ConnectionTrait,
    input: &RoleInput,
    now: DateTime<Utc>,
) -> Result<role::Model, ApiError> {
    ensure_name_free(conn, &input.name, None).await?;
    let created = role::ActiveModel {
        name: Set(input.name.clone()),
        description: Set(input.description.clone()),
        is_system: Set(false),
        created_at: Set(now),
        require_two_factor: Set(input.require_two_factor.unwrap_or(false)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    replace_permissions(conn, created.id, &input.permissions).await?;
    Ok(created)
}

pub async fn replace_permissions(
    conn: &impl ConnectionTrait,
    role_id: i64,
    codes: &BTreeSet<String>,
) -> Result<(), ApiError> {
    role_permission::Entity::delete_many()
        .filter(role_permission::Column::RoleId.eq(role_id))
        .exec(conn)
        .await?;
    if codes.is_empty() {
        return Ok(());
    }
    role_permission::Entity::insert_many(codes.iter().map(|code| role_permission::ActiveModel {
        role_id: Set(role_id),
        permission_code: Set(code.clone()),
    }))
    .exec(conn)
    .await?;
    Ok(())
}

/// Users who hold the role, so their open sockets can be told their rights changed.
pub async fn holders(conn: &impl ConnectionTrait, role_id: i64) -> Result<Vec<i64>, ApiError> {
    Ok(user_role::Entity::find()
        .filter(user_role::Column::RoleId.eq(role_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|ur| ur.user_id)
        .collect())
}
