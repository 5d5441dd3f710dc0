//! An administrator clears an employee's two-factor set-up (lost phone and recovery
//! codes): the employee enrols again at the next sign-in.

use api_types::ApiErrorBody;
use axum::{extract::State, http::StatusCode};

use super::store;
use crate::{
    auth::{current_user::AuthUser, session},
    db,
    error::ApiResult,
    http::params::ApiPath,
    state::AppState,
    users::{rules, service},
};

/// Reset an employee's 2FA: secret and recovery codes are deleted and every session of
/// theirs ends. Not for oneself: that goes through the profile with password and code.
#[utoipa::path(
    delete, path = "/api/users/{id}/two-factor", tag = "users",
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Two-factor set-up removed; the employee's sessions ended"),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "self_change", body = ApiErrorBody),
    )
)]
pub async fn reset(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    rules::ensure_not_self(
        &caller,
        id,
        "Hãy tắt xác thực hai lớp của chính bạn trong Hồ sơ cá nhân",
    )?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    service::find(&tx, id).await?;
    let was_enabled = store::remove(&tx, id).await?;
    let ended = session::revoke_all(&tx, id, None).await?;
    caller
        .audit(
            &tx,
            now,
            "users.two_factor_reset",
            Some(("user", id.to_string())),
            Some(serde_json::json!({ "two_factor_enabled": was_enabled })),
            Some(serde_json::json!({
                "two_factor_enabled": false,
                "sessions_ended": ended.len(),
            })),
        )
        .await?;
    tx.commit().await?;
    state.live.grants.invalidate(&[id]);
    state.live.sessions_revoked(&ended);
    Ok(StatusCode::NO_CONTENT)
}
