use api_types::{
    ApiErrorBody, CreateUserRequest, EmployeeDetail, EmployeeDto, EmployeeFormOptions,
    EmployeePage, PermissionOverride, RoleRef, TeamRef, UpdateUserRequest,
};
use axum::{Json, extract::State, http::StatusCode};
use entities::{role, team, user, user_permission, user_role};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{
    rules,
    service::{self, NewUser, Profile},
};
use crate::{
    auth::{current_user::AuthUser, password},
    db,
    domain::{Email, FullName, Phone, Username, optional_text},
    error::{ApiError, ApiResult},
    http::json::ApiJson,
    http::params::{ApiPath, ApiQuery},
    permissions,
    state::AppState,
};

const MAX_PER_PAGE: u64 = 200;

fn profile(
    phone: Option<&str>,
    position: Option<&str>,
    team_id: Option<i64>,
) -> Result<Profile, ApiError> {
    Ok(Profile {
        phone: Phone::parse_optional("phone", phone)?.map(Phone::into_inner),
        position: optional_text("position", position, 120, "Chức vụ")?,
        team_id,
    })
}

/// Create an employee account.
#[utoipa::path(
    post, path = "/api/users", tag = "users",
    request_body = CreateUserRequest,
    responses(
        (status = 201, body = EmployeeDto),
        (status = 409, description = "username_taken", body = ApiErrorBody),
        (status = 422, description = "Invalid field", body = ApiErrorBody),
    )
)]
pub async fn create_user(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<CreateUserRequest>,
) -> ApiResult<(StatusCode, Json<EmployeeDto>)> {
    let username = Username::parse("username", &body.username)?;
    let full_name = FullName::parse("full_name", &body.full_name)?;
    let email = Email::parse_optional("email", body.email.as_deref())?;
    let profile = profile(
        body.phone.as_deref(),
        body.position.as_deref(),
        body.team_id,
    )?;
    password::check_policy("password", &body.password)?;
    let password_hash = password::hash_blocking(body.password).await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let super_admin = rules::super_admin_role(&tx).await?;
    if body.role_ids.contains(&super_admin.id) {
        rules::ensure_may_touch_super_admin(&caller)?;
    }
    let created = service::create(
        &tx,
        NewUser {
            username,
            full_name,
            email,
            profile,
            password_hash,
            role_ids: body.role_ids,
        },
        now,
        Some(caller.actor()),
        &caller.meta,
    )
    .await?;
    let dto = service::dto(&tx, created).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(dto)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct UserQuery {
    /// Searches username, full name and email.
    q: Option<String>,
    team_id: Option<i64>,
    role_id: Option<i64>,
    /// `active` or `locked`.
    status: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// Employees, filtered and paginated, by full name.
#[utoipa::path(
    get, path = "/api/users", tag = "users",
    params(UserQuery),
    responses((status = 200, body = EmployeePage), (status = 403, body = ApiErrorBody))
)]
pub async fn list_users(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<UserQuery>,
) -> ApiResult<Json<EmployeePage>> {
    let mut filter = Condition::all();
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let q: String = q.chars().take(100).collect();
        filter = filter.add(
            Condition::any()
                .add(user::Column::Username.contains(&q))
                .add(user::Column::FullName.contains(&q))
                .add(user::Column::Email.contains(&q)),
        );
    }
    if let Some(team_id) = query.team_id {
        filter = filter.add(user::Column::TeamId.eq(team_id));
    }
    if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
        if status != user::STATUS_ACTIVE && status != user::STATUS_LOCKED {
            return Err(ApiError::validation(
                "status",
                "Trạng thái phải là active hoặc locked",
            ));
        }
        filter = filter.add(user::Column::Status.eq(status));
    }
    if let Some(role_id) = query.role_id {
        let holders: Vec<i64> = user_role::Entity::find()
            .filter(user_role::Column::RoleId.eq(role_id))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|ur| ur.user_id)
            .collect();
        filter = filter.add(user::Column::Id.is_in(holders));
    }
    let per_page = query.per_page.unwrap_or(20).clamp(1, MAX_PER_PAGE);
    let page = query.page.unwrap_or(1).max(1);
    let select = user::Entity::find().filter(filter);
    let total = select.clone().count(&state.db).await?;
    let rows = select
        .order_by_asc(user::Column::FullName)
        .order_by_asc(user::Column::Id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .all(&state.db)
        .await?;
    Ok(Json(EmployeePage {
        items: service::dtos(&state.db, rows).await?,
        total,
    }))
}

/// One employee with overrides and effective permissions.
#[utoipa::path(
    get, path = "/api/users/{id}", tag = "users",
    params(("id" = i64, Path)),
    responses((status = 200, body = EmployeeDetail), (status = 404, body = ApiErrorBody))
)]
pub async fn get_user(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<EmployeeDetail>> {
    let found = service::find(&state.db, id).await?;
    let overrides = user_permission::Entity::find()
        .filter(user_permission::Column::UserId.eq(id))
        .order_by_asc(user_permission::Column::PermissionCode)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| PermissionOverride {
            code: o.permission_code,
            granted: o.granted,
        })
        .collect();
    let grants = permissions::effective(&state.db, id).await?;
    Ok(Json(EmployeeDetail {
        employee: service::dto(&state.db, found).await?,
        overrides,
        permissions: grants.permissions.into_iter().collect(),
    }))
}

/// Edit an employee. The username never changes; nobody changes their own roles;
/// the last active Super Admin keeps that role.
#[utoipa::path(
    put, path = "/api/users/{id}", tag = "users",
    params(("id" = i64, Path)),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, body = EmployeeDto),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "last_super_admin / self_change", body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn update_user(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateUserRequest>,
) -> ApiResult<Json<EmployeeDto>> {
    let full_name = FullName::parse("full_name", &body.full_name)?;
    let email = Email::parse_optional("email", body.email.as_deref())?;
    let profile = profile(
        body.phone.as_deref(),
        body.position.as_deref(),
        body.team_id,
    )?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let super_admin = rules::lock_super_admin_role(&tx).await?;
    let existing = service::find(&tx, id).await?;
    if let Some(username) = body.username.as_deref()
        && username.trim().to_lowercase() != existing.username
    {
        return Err(ApiError::validation(
            "username",
            "Không thể đổi tên đăng nhập của nhân viên",
        ));
    }
    let new_roles = service::check_roles(&tx, &body.role_ids).await?;
    let old_roles = service::role_ids_of(&tx, id).await?;
    let roles_changed = new_roles != old_roles;
    if roles_changed {
        rules::ensure_not_self(
            &caller,
            id,
            "Bạn không thể tự thay đổi vai trò của chính mình",
        )?;
        let had_sa = old_roles.contains(&super_admin.id);
        let has_sa = new_roles.contains(&super_admin.id);
        if had_sa != has_sa {
            rules::ensure_may_touch_super_admin(&caller)?;
        }
        if had_sa && !has_sa {
            rules::ensure_another_active_super_admin(&tx, super_admin.id, id).await?;
        }
    }
    service::check_team(&tx, profile.team_id).await?;
    let updated = user::Entity::update(user::ActiveModel {
        id: Set(id),
        full_name: Set(full_name.into_inner()),
        email: Set(email.map(Email::into_inner)),
        phone: Set(profile.phone),
        position: Set(profile.position),
        team_id: Set(profile.team_id),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    if roles_changed {
        service::set_roles(&tx, id, &new_roles).await?;
    }
    caller
        .audit(
            &tx,
            now,
            "users.updated",
            Some(("user", id.to_string())),
            Some(service::snapshot(&existing, &old_roles)),
            Some(service::snapshot(&updated, &new_roles)),
        )
        .await?;
    let dto = service::dto(&tx, updated).await?;
    tx.commit().await?;
    state.live.users_changed();
    if roles_changed {
        state.live.permissions_changed(&[id]);
    }
    Ok(Json(dto))
}

/// Roles and teams to pick from in the employee form.
#[utoipa::path(
    get, path = "/api/users/form-options", tag = "users",
    responses((status = 200, body = EmployeeFormOptions), (status = 403, body = ApiErrorBody))
)]
pub async fn form_options(State(state): State<AppState>) -> ApiResult<Json<EmployeeFormOptions>> {
    let roles = role::Entity::find()
        .order_by_asc(role::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| RoleRef {
            id: r.id,
            name: r.name,
        })
        .collect();
    let teams = team::Entity::find()
        .order_by_asc(team::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|t| TeamRef {
            id: t.id,
            name: t.name,
        })
        .collect();
    Ok(Json(EmployeeFormOptions { roles, teams }))
}
