use std::collections::{BTreeSet, HashMap};

use api_types::{EmployeeDto, RoleRef};
use chrono::{DateTime, SecondsFormat, Utc};
use entities::{role, team, user, user_role};
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
    pub profile: Profile,
    pub password_hash: String,
    pub role_ids: Vec<i64>,
}

/// The editable, optional employee fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub phone: Option<String>,
    pub position: Option<String>,
    pub team_id: Option<i64>,
}

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<user::Model, ApiError> {
    user::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Distinct, existing role ids, or the Vietnamese error naming `role_ids`.
pub async fn check_roles(
    conn: &impl ConnectionTrait,
    role_ids: &[i64],
) -> Result<Vec<i64>, ApiError> {
    let distinct: Vec<i64> = role_ids
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if distinct.is_empty() {
        return Err(ApiError::validation(
            "role_ids",
            "Nhân viên phải có ít nhất một vai trò",
        ));
    }
    let known = role::Entity::find()
        .filter(role::Column::Id.is_in(distinct.clone()))
        .count(conn)
        .await?;
    if known != distinct.len() as u64 {
        return Err(ApiError::validation("role_ids", "Vai trò không tồn tại"));
    }
    Ok(distinct)
}

pub async fn check_team(conn: &impl ConnectionTrait, team_id: Option<i64>) -> Result<(), ApiError> {
    if let Some(id) = team_id
        && team::Entity::find_by_id(id).one(conn).await?.is_none()
    {
        return Err(ApiError::validation("team_id", "Nhóm không tồn tại"));
    }
    Ok(())
}

pub async fn set_roles(
    conn: &impl ConnectionTrait,
    user_id: i64,
    role_ids: &[i64],
) -> Result<(), ApiError> {
    user_role::Entity::delete_many()
        .filter(user_role::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    user_role::Entity::insert_many(role_ids.iter().map(|role_id| user_role::ActiveModel {
        user_id: Set(user_id),
        role_id: Set(*role_id),
    }))
    .exec(conn)
    .await?;
    Ok(())
}

pub async fn role_ids_of(conn: &impl ConnectionTrait, user_id: i64) -> Result<Vec<i64>, ApiError> {
    let mut ids: Vec<i64> = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|ur| ur.role_id)
        .collect();
    ids.sort_unstable();
    Ok(ids)
}

pub async fn create(
    conn: &impl ConnectionTrait,
    new: NewUser,
    now: DateTime<Utc>,
    actor: Option<Actor>,
    meta: &ClientMeta,
) -> Result<user::Model, ApiError> {
    let role_ids = check_roles(conn, &new.role_ids).await?;
    check_team(conn, new.profile.team_id).await?;
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
        phone: Set(new.profile.phone),
        position: Set(new.profile.position),
        team_id: Set(new.profile.team_id),
        password_hash: Set(new.password_hash),
        status: Set(user::STATUS_ACTIVE.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        password_changed_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    set_roles(conn, created.id, &role_ids).await?;
    audit::record(
        conn,
        now,
        AuditEntry {
            actor,
            action: "users.created",
            target: Some(("user", created.id.to_string())),
            before: None,
            after: Some(snapshot(&created, &role_ids)),
            meta,
        },
    )
    .await?;
    Ok(created)
}

/// What the audit trail keeps of an employee (never the password hash).
pub fn snapshot(user: &user::Model, role_ids: &[i64]) -> serde_json::Value {
    serde_json::json!({
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "position": user.position,
        "team_id": user.team_id,
        "status": user.status,
        "role_ids": role_ids,
    })
}

/// Maps users to their API form with roles and team names in three queries.
pub async fn dtos(
    conn: &impl ConnectionTrait,
    users: Vec<user::Model>,
) -> Result<Vec<EmployeeDto>, ApiError> {
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let links = user_role::Entity::find()
        .filter(user_role::Column::UserId.is_in(ids))
        .all(conn)
        .await?;
    let roles: HashMap<i64, String> = role::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let team_ids: Vec<i64> = users.iter().filter_map(|u| u.team_id).collect();
    let teams: HashMap<i64, String> = team::Entity::find()
        .filter(team::Column::Id.is_in(team_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    Ok(users
        .into_iter()
        .map(|u| {
            let mut user_roles: Vec<RoleRef> = links
                .iter()
                .filter(|l| l.user_id == u.id)
                .filter_map(|l| {
                    roles.get(&l.role_id).map(|name| RoleRef {
                        id: l.role_id,
                        name: name.clone(),
                    })
                })
                .collect();
            user_roles.sort_by_key(|r| r.id);
            EmployeeDto {
                team_name: u.team_id.and_then(|t| teams.get(&t).cloned()),
                id: u.id,
                username: u.username,
                full_name: u.full_name,
                email: u.email,
                phone: u.phone,
                position: u.position,
                team_id: u.team_id,
                status: u.status,
                roles: user_roles,
                created_at: u.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            }
        })
        .collect())
}

pub async fn dto(conn: &impl ConnectionTrait, user: user::Model) -> Result<EmployeeDto, ApiError> {
    dtos(conn, vec![user])
        .await?
        .pop()
        .ok_or(ApiError::NotFound)
}
