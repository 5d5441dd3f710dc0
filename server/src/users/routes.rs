use api_types::{ApiErrorBody, CreateUserRequest, UserDto};
use axum::{Json, extract::State, http::StatusCode};

use super::service::{self, NewUser};
use crate::{
    auth::{
        current_user::{AuthUser, user_dto},
        password,
    },
    db,
    domain::{Email, FullName, Username},
    error::{ApiError, ApiResult},
    http::json::ApiJson,
    permissions,
    state::AppState,
};

/// Create an employee account.
#[utoipa::path(
    post, path = "/api/users", tag = "users",
    request_body = CreateUserRequest,
    responses(
        (status = 201, body = UserDto),
        (status = 409, description = "username_taken", body = ApiErrorBody),
        (status = 422, description = "Invalid field", body = ApiErrorBody),
    )
)]
pub async fn create_user(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<CreateUserRequest>,
) -> ApiResult<(StatusCode, Json<UserDto>)> {
    let username = Username::parse("username", &body.username)?;
    let full_name = FullName::parse("full_name", &body.full_name)?;
    let email = Email::parse_optional("email", body.email.as_deref())?;
    password::check_policy("password", &body.password)?;
    if body.team_id.is_some() {
        // Teams arrive with the teams module; until then no team id can exist.
        return Err(ApiError::validation("team_id", "Nhóm không tồn tại"));
    }
    let password_hash = password::hash_blocking(body.password).await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let created = service::create(
        &tx,
        NewUser {
            username,
            full_name,
            email,
            password_hash,
            role_ids: body.role_ids,
        },
        now,
        Some(caller.actor()),
        &caller.meta,
    )
    .await?;
    tx.commit().await?;
    let grants = permissions::effective(&state.db, created.id).await?;
    Ok((StatusCode::CREATED, Json(user_dto(&created, &grants))))
}
