use api_types::{ApiErrorBody, ChangePasswordRequest, MessageResponse, SessionDto, UserDto};
use axum::{Json, extract::State, http::StatusCode};
use chrono::SecondsFormat;
use entities::{session, user};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{password, session as sessions, two_factor};
use crate::{
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    http::json::ApiJson,
    http::params::ApiPath,
    state::AppState,
};

/// The signed-in user with roles and effective permissions.
#[utoipa::path(
    get, path = "/api/me", tag = "auth",
    responses(
        (status = 200, body = UserDto),
        (status = 401, description = "Not signed in or session expired", body = ApiErrorBody),
    )
)]
pub async fn me(State(state): State<AppState>, caller: AuthUser) -> ApiResult<Json<UserDto>> {
    let enabled = two_factor::store::is_enabled(&state.db, caller.user.id).await?;
    Ok(Json(caller.dto(enabled)))
}

/// Change one's own password (AUTH-004). Every other session of the user is signed out.
#[utoipa::path(
    post, path = "/api/me/password", tag = "auth",
    request_body = ChangePasswordRequest,
    responses(
        (status = 200, body = MessageResponse),
        (status = 422, description = "Wrong current password or weak new one", body = ApiErrorBody),
    )
)]
pub async fn change_password(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> ApiResult<Json<MessageResponse>> {
    if body.current_password.is_empty() {
        return Err(ApiError::validation(
            "current_password",
            "Vui lòng nhập mật khẩu hiện tại",
        ));
    }
    password::check_policy("new_password", &body.new_password)?;
    if body.new_password == body.current_password {
        return Err(ApiError::validation(
            "new_password",
            "Mật khẩu mới phải khác mật khẩu hiện tại",
        ));
    }
    let current_ok = password::verify_blocking(
        body.current_password,
        Some(caller.user.password_hash.clone()),
    )
    .await;
    if !current_ok {
        return Err(ApiError::validation(
            "current_password",
            "Mật khẩu hiện tại không đúng",
        ));
    }
    let new_hash = password::hash_blocking(body.new_password).await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    user::Entity::update(user::ActiveModel {
        id: Set(caller.user.id),
        password_hash: Set(new_hash),
        password_changed_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    let signed_out = sessions::revoke_all(&tx, caller.user.id, Some(caller.session_id)).await?;
    caller
        .audit(
            &tx,
            now,
            "auth.password_changed",
            Some(("user", caller.user.id.to_string())),
            None,
            Some(serde_json::json!({ "other_sessions_signed_out": signed_out.len() })),
        )
        .await?;
    tx.commit().await?;
    state.live.sessions_revoked(&signed_out);
    Ok(Json(MessageResponse {
        message: "Đã đổi mật khẩu. Các thiết bị khác đã được đăng xuất".into(),
    }))
}

/// The caller's live sessions, newest activity first.
#[utoipa::path(
    get, path = "/api/me/sessions", tag = "auth",
    responses((status = 200, body = Vec<SessionDto>))
)]
pub async fn list_sessions(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<Vec<SessionDto>>> {
    let now = state.clock.now();
    let rows = session::Entity::find()
        .filter(session::Column::UserId.eq(caller.user.id))
        .filter(session::Column::ExpiresAt.gt(now))
        .order_by_desc(session::Column::LastSeenAt)
        .all(&state.db)
        .await?;
    let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    Ok(Json(
        rows.into_iter()
            .map(|s| SessionDto {
                id: s.id,
                created_at: time(s.created_at),
                last_seen_at: time(s.last_seen_at),
                expires_at: time(s.expires_at),
                ip: s.ip,
                user_agent: s.user_agent,
                current: s.id == caller.session_id,
            })
            .collect(),
    ))
}

/// Sign out one of the caller's other devices.
#[utoipa::path(
    delete, path = "/api/me/sessions/{id}", tag = "auth",
    params(("id" = i64, Path, description = "Session id")),
    responses(
        (status = 204, description = "That session is signed out"),
        (status = 404, description = "No such session of yours", body = ApiErrorBody),
    )
)]
pub async fn revoke_session(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let deleted = session::Entity::delete_many()
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::UserId.eq(caller.user.id))
        .exec(&tx)
        .await?
        .rows_affected;
    if deleted == 0 {
        return Err(ApiError::NotFound);
    }
    caller
        .audit(
            &tx,
            now,
            "auth.session_revoked",
            Some(("session", id.to_string())),
            None,
            None,
        )
        .await?;
    tx.commit().await?;
    state.live.sessions_revoked(&[id]);
    Ok(StatusCode::NO_CONTENT)
}
