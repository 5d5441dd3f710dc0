//! Administrative actions on an employee: lock, unlock, set a password, overrides.

use std::collections::BTreeSet;

use api_types::{
    AdminResetPasswordRequest, ApiErrorBody, EmployeeDto, MessageResponse, SetOverridesRequest,
};
use axum::{Json, extract::State};
use entities::{user, user_permission};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::{rules, service};
use crate::{
    audit::{self, AuditEntry},
    auth::{current_user::AuthUser, password, session},
    db,
    error::{ApiError, ApiResult},
    http::json::ApiJson,
    http::params::ApiPath,
    roles,
    state::AppState,
};

/// Lock an account: its sessions and sockets end at once. Nobody locks themselves,
/// and the last active Super Admin cannot be locked.
#[utoipa::path(
    post, path = "/api/users/{id}/lock", tag = "users",
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = EmployeeDto),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "self_change / last_super_admin", body = ApiErrorBody),
    )
)]
pub async fn lock_user(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<EmployeeDto>> {
    rules::ensure_not_self(&caller, id, "Bạn không thể tự khoá tài khoản của mình")?;
    set_status(&state, &caller, id, user::STATUS_LOCKED).await
}

/// Unlock an account.
#[utoipa::path(
    post, path = "/api/users/{id}/unlock", tag = "users",
    params(("id" = i64, Path)),
    responses((status = 200, body = EmployeeDto), (status = 404, body = ApiErrorBody))
)]
pub async fn unlock_user(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<EmployeeDto>> {
    set_status(&state, &caller, id, user::STATUS_ACTIVE).await
}

async fn set_status(
    state: &AppState,
    caller: &AuthUser,
    id: i64,
    status: &str,
) -> ApiResult<Json<EmployeeDto>> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let super_admin = rules::lock_super_admin_role(&tx).await?;
    let existing = service::find(&tx, id).await?;
    let role_ids = service::role_ids_of(&tx, id).await?;
    if status == user::STATUS_LOCKED && role_ids.contains(&super_admin.id) {
        rules::ensure_another_active_super_admin(&tx, super_admin.id, id).await?;
    }
    let updated = user::Entity::update(user::ActiveModel {
        id: Set(id),
        status: Set(status.to_owned()),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    if status == user::STATUS_LOCKED {
        session::revoke_all(&tx, id, None).await?;
    }
    let action = if status == user::STATUS_LOCKED {
        "users.locked"
    } else {
        "users.unlocked"
    };
    audit::record(
        &tx,
        now,
        AuditEntry {
            actor: Some(caller.actor()),
            action,
            target: Some(("user", id.to_string())),
            before: Some(json!({ "status": existing.status })),
            after: Some(json!({ "status": status })),
            meta: &caller.meta,
        },
    )
    .await?;
    let dto = service::dto(&tx, updated).await?;
    tx.commit().await?;
    state.live.users_changed();
    if status == user::STATUS_LOCKED {
        state.live.account_locked(id);
    }
    Ok(Json(dto))
}

/// An admin sets a new password for an employee; their sessions end.
#[utoipa::path(
    post, path = "/api/users/{id}/password", tag = "users",
    params(("id" = i64, Path)),
    request_body = AdminResetPasswordRequest,
    responses(
        (status = 200, body = MessageResponse),
        (status = 404, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn reset_password(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AdminResetPasswordRequest>,
) -> ApiResult<Json<MessageResponse>> {
    password::check_policy("new_password", &body.new_password)?;
    let hash = password::hash_blocking(body.new_password).await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    service::find(&tx, id).await?;
    user::Entity::update(user::ActiveModel {
        id: Set(id),
        password_hash: Set(hash),
        password_changed_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    // The admin's own other devices stay signed in when they reset themselves.
    let keep = (id == caller.user.id).then_some(caller.session_id);
    let signed_out = session::revoke_all(&tx, id, keep).await?;
    caller
        .audit(
            &tx,
            now,
            "users.password_reset_by_admin",
            Some(("user", id.to_string())),
            None,
            Some(json!({ "sessions_signed_out": signed_out.len() })),
        )
        .await?;
    tx.commit().await?;
    state.live.sessions_revoked(&signed_out);
    Ok(Json(MessageResponse {
        message: "Đã đặt mật khẩu mới. Nhân viên cần đăng nhập lại".into(),
    }))
}

/// Replace an employee's per-permission overrides: a grant adds a permission on top
/// of their roles, a deny removes it whatever their roles say (PERM-004).
#[utoipa::path(
    put, path = "/api/users/{id}/overrides", tag = "users",
    params(("id" = i64, Path)),
    request_body = SetOverridesRequest,
    responses(
        (status = 200, body = SetOverridesRequest),
        (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn set_overrides(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SetOverridesRequest>,
) -> ApiResult<Json<SetOverridesRequest>> {
    rules::ensure_not_self(
        &caller,
        id,
        "Bạn không thể tự thay đổi quyền của chính mình",
    )?;
    let known: BTreeSet<String> = roles::service::catalogue(&state.db)
        .await?
        .into_iter()
        .map(|p| p.code)
        .collect();
    let mut seen = BTreeSet::new();
    for o in &body.overrides {
        if !known.contains(&o.code) {
            return Err(ApiError::validation(
                "overrides",
                format!("Quyền \"{}\" không tồn tại", o.code),
            ));
        }
        if !seen.insert(o.code.clone()) {
            return Err(ApiError::validation(
                "overrides",
                format!("Quyền \"{}\" được khai báo hai lần", o.code),
            ));
        }
    }
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    service::find(&tx, id).await?;
    let before: Vec<serde_json::Value> = user_permission::Entity::find()
        .filter(user_permission::Column::UserId.eq(id))
        .order_by_asc(user_permission::Column::PermissionCode)
        .all(&tx)
        .await?
        .into_iter()
        .map(|o| json!({ "code": o.permission_code, "granted": o.granted }))
        .collect();
    user_permission::Entity::delete_many()
        .filter(user_permission::Column::UserId.eq(id))
        .exec(&tx)
        .await?;
    if !body.overrides.is_empty() {
        user_permission::Entity::insert_many(body.overrides.iter().map(|o| {
            user_permission::ActiveModel {
                user_id: Set(id),
                permission_code: Set(o.code.clone()),
                granted: Set(o.granted),
            }
        }))
        .exec(&tx)
        .await?;
    }
    caller
        .audit(
            &tx,
            now,
            "users.overrides_changed",
            Some(("user", id.to_string())),
            Some(json!(before)),
            Some(json!(body.overrides)),
        )
        .await?;
    tx.commit().await?;
    state.live.permissions_changed(&[id]);
    Ok(Json(body))
}
