use api_types::{ApiErrorBody, CloneRoleRequest, PermissionDto, RoleDto, RoleRequest};
use axum::{Json, extract::State, http::StatusCode};
use entities::{role, user_role};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::service::{self, RoleInput, is_super_admin};
use crate::{
    audit::{self, AuditEntry},
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    http::json::ApiJson,
    http::params::ApiPath,
    state::AppState,
};

fn snapshot(
    name: &str,
    description: Option<&str>,
    permissions: &[String],
    require_two_factor: bool,
) -> serde_json::Value {
    json!({
        "name": name,
        "description": description,
        "permissions": permissions,
        "require_two_factor": require_two_factor,
    })
}

/// The permission catalogue, in display order.
#[utoipa::path(
    get, path = "/api/permissions", tag = "roles",
    responses((status = 200, body = Vec<PermissionDto>), (status = 403, body = ApiErrorBody))
)]
pub async fn list_permissions(
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<PermissionDto>>> {
    let catalogue = service::catalogue(&state.db).await?;
    Ok(Json(
        catalogue
            .into_iter()
            .map(|p| PermissionDto {
                code: p.code,
                module: p.module,
                label: p.label,
            })
            .collect(),
    ))
}

/// Every role with its permissions; the four defaults exist after migrate.
#[utoipa::path(
    get, path = "/api/roles", tag = "roles",
    responses((status = 200, body = Vec<RoleDto>), (status = 403, body = ApiErrorBody))
)]
pub async fn list_roles(State(state): State<AppState>) -> ApiResult<Json<Vec<RoleDto>>> {
    let roles = role::Entity::find()
        .order_by_asc(role::Column::Id)
        .all(&state.db)
        .await?;
    let mut out = Vec::with_capacity(roles.len());
    for r in roles {
        out.push(service::dto(&state.db, r).await?);
    }
    Ok(Json(out))
}

/// Create a role with a set of permissions (PERM-001/002).
#[utoipa::path(
    post, path = "/api/roles", tag = "roles",
    request_body = RoleRequest,
    responses(
        (status = 201, body = RoleDto),
        (status = 409, description = "role_name_taken", body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn create_role(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<RoleRequest>,
) -> ApiResult<(StatusCode, Json<RoleDto>)> {
    let input = RoleInput::parse(
        &state.db,
        &body.name,
        body.description.as_deref(),
        &body.permissions,
        body.require_two_factor,
    )
    .await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let created = service::insert(&tx, &input, now).await?;
    let codes: Vec<String> = input.permissions.iter().cloned().collect();
    caller
        .audit(
            &tx,
            now,
            "roles.created",
            Some(("role", created.id.to_string())),
            None,
            Some(snapshot(
                &input.name,
                input.description.as_deref(),
                &codes,
                created.require_two_factor,
            )),
        )
        .await?;
    let dto = service::dto(&tx, created).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(dto)))
}

/// Rename a role or change its permissions. Built-in roles keep their names; Super
/// Admin keeps every permission. Holders get the new rights on their next request.
#[utoipa::path(
    put, path = "/api/roles/{id}", tag = "roles",
    params(("id" = i64, Path)),
    request_body = RoleRequest,
    responses(
        (status = 200, body = RoleDto),
        (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody),
        (status = 422, description = "system_role / invalid permission", body = ApiErrorBody),
    )
)]
pub async fn update_role(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RoleRequest>,
) -> ApiResult<Json<RoleDto>> {
    let input = RoleInput::parse(
        &state.db,
        &body.name,
        body.description.as_deref(),
        &body.permissions,
        body.require_two_factor,
    )
    .await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let existing = service::find(&tx, id).await?;
    let before = service::dto(&tx, existing.clone()).await?;
    if existing.is_system && input.name != existing.name {
        return Err(ApiError::validation(
            "name",
            "Không thể đổi tên vai trò hệ thống",
        ));
    }
    let new_codes: Vec<String> = input.permissions.iter().cloned().collect();
    if is_super_admin(&existing) && new_codes != before.permissions {
        return Err(ApiError::validation(
            "permissions",
            "Super Admin luôn giữ toàn bộ quyền: không thể bỏ quyền nào",
        ));
    }
    service::ensure_name_free(&tx, &input.name, Some(id)).await?;
    let require_two_factor = input
        .require_two_factor
        .unwrap_or(existing.require_two_factor);
    role::Entity::update(role::ActiveModel {
        id: sea_orm::ActiveValue::Set(id),
        name: sea_orm::ActiveValue::Set(input.name.clone()),
        description: sea_orm::ActiveValue::Set(input.description.clone()),
        require_two_factor: sea_orm::ActiveValue::Set(require_two_factor),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    if !is_super_admin(&existing) {
        service::replace_permissions(&tx, id, &input.permissions).await?;
    }
    audit::record(
        &tx,
        now,
        AuditEntry {
            actor: Some(caller.actor()),
            action: "roles.updated",
            target: Some(("role", id.to_string())),
            before: Some(snapshot(
                &before.name,
                before.description.as_deref(),
                &before.permissions,
                before.require_two_factor,
            )),
            after: Some(snapshot(
                &input.name,
                input.description.as_deref(),
                &new_codes,
                require_two_factor,
            )),
            meta: &caller.meta,
        },
    )
    .await?;
    let updated = service::find(&tx, id).await?;
    let dto = service::dto(&tx, updated).await?;
    let holders = service::holders(&tx, id).await?;
    tx.commit().await?;
    state.live.permissions_changed(&holders);
    Ok(Json(dto))
}

/// Delete a custom role. Built-in roles cannot be deleted, and a role that is some
/// employee's only role cannot either (everyone keeps at least one role).
#[utoipa::path(
    delete, path = "/api/roles/{id}", tag = "roles",
    params(("id" = i64, Path)),
    responses(
        (status = 204),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "system_role / role_in_use", body = ApiErrorBody),
    )
)]
pub async fn delete_role(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let existing = service::find(&tx, id).await?;
    if existing.is_system {
        return Err(ApiError::Conflict {
            code: "system_role",
            message: "Không thể xoá vai trò hệ thống".into(),
            field: None,
        });
    }
    let holders = service::holders(&tx, id).await?;
    let mut sole_holders = 0u64;
    for user_id in &holders {
        let roles = user_role::Entity::find()
            .filter(user_role::Column::UserId.eq(*user_id))
            .count(&tx)
            .await?;
        if roles <= 1 {
            sole_holders += 1;
        }
    }
    if sole_holders > 0 {
        return Err(ApiError::Conflict {
            code: "role_in_use",
            message: format!(
                "Vai trò đang là vai trò duy nhất của {sole_holders} nhân viên: hãy gán vai trò khác cho họ trước"
            ),
            field: None,
        });
    }
    let before = service::dto(&tx, existing).await?;
    role::Entity::delete_by_id(id).exec(&tx).await?;
    audit::record(
        &tx,
        now,
        AuditEntry {
            actor: Some(caller.actor()),
            action: "roles.deleted",
            target: Some(("role", id.to_string())),
            before: Some(snapshot(
                &before.name,
                before.description.as_deref(),
                &before.permissions,
                before.require_two_factor,
            )),
            after: None,
            meta: &caller.meta,
        },
    )
    .await?;
    tx.commit().await?;
    state.live.permissions_changed(&holders);
    Ok(StatusCode::NO_CONTENT)
}

/// Copy a role's permissions into a new custom role (PERM-007).
#[utoipa::path(
    post, path = "/api/roles/{id}/clone", tag = "roles",
    params(("id" = i64, Path)),
    request_body = CloneRoleRequest,
    responses(
        (status = 201, body = RoleDto),
        (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody),
    )
)]
pub async fn clone_role(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CloneRoleRequest>,
) -> ApiResult<(StatusCode, Json<RoleDto>)> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let source = service::dto(&tx, service::find(&tx, id).await?).await?;
    // The copy demands 2FA as its source does: cloning must not weaken a role.
    let input = RoleInput::parse(
        &tx,
        &body.name,
        source.description.as_deref(),
        &source.permissions,
        Some(source.require_two_factor),
    )
    .await?;
    let created = service::insert(&tx, &input, now).await?;
    audit::record(
        &tx,
        now,
        AuditEntry {
            actor: Some(caller.actor()),
            action: "roles.cloned",
            target: Some(("role", created.id.to_string())),
            before: Some(json!({ "source_role_id": id, "source_name": source.name })),
            after: Some(snapshot(
                &input.name,
                input.description.as_deref(),
                &source.permissions,
                source.require_two_factor,
            )),
            meta: &caller.meta,
        },
    )
    .await?;
    let dto = service::dto(&tx, created).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(dto)))
}
