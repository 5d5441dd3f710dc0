use api_types::{ApiErrorBody, LoginRequest, LoginResponse};
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use entities::user;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{clear_cookie, password, rate_limit, session, session_cookie};
use crate::{
    audit::{self, AuditEntry},
    auth::current_user::{AuthUser, user_dto},
    db,
    error::{ApiError, ApiResult},
    http::{client_meta::ClientMeta, json::ApiJson},
    permissions,
    state::AppState,
};

/// Sign in with username and password (AUTH-001/002).
#[utoipa::path(
    post, path = "/api/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; also sets the HttpOnly session cookie", body = LoginResponse),
        (status = 401, description = "invalid_credentials / account_locked", body = ApiErrorBody),
        (status = 422, description = "Missing or malformed field", body = ApiErrorBody),
        (status = 429, description = "too_many_attempts, with Retry-After", body = ApiErrorBody),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    meta: ClientMeta,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let username: String = body
        .username
        .trim()
        .to_lowercase()
        .chars()
        .take(64)
        .collect();
    if username.is_empty() {
        return Err(ApiError::validation(
            "username",
            "Vui lòng nhập tên đăng nhập",
        ));
    }
    if body.password.is_empty() {
        return Err(ApiError::validation("password", "Vui lòng nhập mật khẩu"));
    }
    if body.password.chars().count() > password::MAX_LEN {
        return Err(ApiError::validation("password", "Mật khẩu quá dài"));
    }
    let now = state.clock.now();
    rate_limit::check(&state.db, &username, meta.ip_or_unknown(), now).await?;

    let found = user::Entity::find()
        .filter(user::Column::Username.eq(&username))
        .one(&state.db)
        .await?;
    let stored = found.as_ref().map(|u| u.password_hash.clone());
    let password_ok = password::verify_blocking(body.password, stored).await;

    let Some(user) = found.filter(|_| password_ok) else {
        let tx = db::begin_write(&state.db).await?;
        rate_limit::record_failure(&tx, &username, meta.ip_or_unknown(), now).await?;
        audit::record(
            &tx,
            now,
            AuditEntry {
                actor: None,
                action: "auth.login_failed",
                target: Some(("user", username.clone())),
                before: None,
                after: Some(serde_json::json!({ "username": username })),
                meta: &meta,
            },
        )
        .await?;
        tx.commit().await?;
        return Err(ApiError::Unauthorized {
            code: "invalid_credentials",
            message: "Tên đăng nhập hoặc mật khẩu không đúng".into(),
        });
    };
    if !user.is_active() {
        return Err(ApiError::Unauthorized {
            code: "account_locked",
            message: "Tài khoản đã bị khoá. Vui lòng liên hệ quản trị viên".into(),
        });
    }

    let tx = db::begin_write(&state.db).await?;
    let created = session::create(&tx, user.id, body.remember_me, now, &meta).await?;
    audit::record(
        &tx,
        now,
        AuditEntry {
            actor: Some(audit::Actor {
                id: user.id,
                name: user.full_name.clone(),
            }),
            action: "auth.login",
            target: Some(("user", user.id.to_string())),
            before: None,
            after: Some(serde_json::json!({
                "session_id": created.session.id,
                "remember_me": body.remember_me,
            })),
            meta: &meta,
        },
    )
    .await?;
    tx.commit().await?;

    let grants = permissions::effective(&state.db, user.id).await?;
    let cookie = session_cookie(
        &created.token,
        body.remember_me,
        state.config.secure_cookies(),
    );
    let body = LoginResponse {
        token: created.token,
        user: user_dto(&user, &grants),
    };
    Ok(([(header::SET_COOKIE, cookie)], axum::Json(body)).into_response())
}

/// Sign out: the session is deleted server-side and its token stops working (AUTH-005).
#[utoipa::path(
    post, path = "/api/auth/logout", tag = "auth",
    responses(
        (status = 204, description = "Signed out; the cookie is cleared"),
        (status = 401, description = "Not signed in", body = ApiErrorBody),
    )
)]
pub async fn logout(State(state): State<AppState>, caller: AuthUser) -> ApiResult<Response> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    entities::session::Entity::delete_by_id(caller.session_id)
        .exec(&tx)
        .await?;
    caller
        .audit(
            &tx,
            now,
            "auth.logout",
            Some(("user", caller.user.id.to_string())),
            Some(serde_json::json!({ "session_id": caller.session_id })),
            None,
        )
        .await?;
    tx.commit().await?;
    state.live.sessions_revoked(&[caller.session_id]);
    let cookie = clear_cookie(state.config.secure_cookies());
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}
