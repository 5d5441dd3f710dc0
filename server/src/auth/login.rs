use api_types::{ApiErrorBody, LoginRequest, LoginResponse};
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use entities::user;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{
    clear_cookie, password, rate_limit, session, session_cookie,
    two_factor::{
        self,
        verify::{self, Accept, Proof},
    },
};
use crate::{
    audit::{self, AuditEntry},
    auth::current_user::{AuthUser, user_dto},
    db,
    error::{ApiError, ApiResult},
    http::{client_meta::ClientMeta, json::ApiJson},
    permissions,
    state::AppState,
};

/// Sign in with username and password (AUTH-001/002), plus `totp_code` for users with
/// two-factor authentication (AUTH-007): a 6-digit code or a recovery code.
#[utoipa::path(
    post, path = "/api/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; also sets the HttpOnly session cookie", body = LoginResponse),
        (status = 401, description = "invalid_credentials / account_locked; for a user with 2FA two_factor_required (no `totp_code`) or invalid_two_factor_code — never before the password is right", body = ApiErrorBody),
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

    // Only now, with the password right, may the answer tell that 2FA is on.
    let second_factor = two_factor::store::find(&state.db, user.id)
        .await?
        .filter(|r| r.is_enabled());
    let presented = body
        .totp_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if second_factor.is_some() && presented.is_none() {
        return Err(ApiError::Unauthorized {
            code: "two_factor_required",
            message: "Tài khoản đã bật xác thực hai lớp: vui lòng nhập mã xác thực (totp_code)"
                .into(),
        });
    }

    let tx = db::begin_write(&state.db).await?;
    let mut proof = None;
    if let (Some(secret_row), Some(presented)) = (&second_factor, presented) {
        proof = verify::check(
            &tx,
            &state,
            &user,
            secret_row,
            presented,
            Accept::TotpOrRecovery,
            now,
        )
        .await?;
        if proof.is_none() {
            // Rolled back before the failure is written: SQLite has one writer.
            tx.rollback().await?;
            verify::record_failure(&state, &user, "login", &meta, now).await?;
            return Err(ApiError::Unauthorized {
                code: "invalid_two_factor_code",
                message: "Mã xác thực (totp_code) không đúng, đã hết hạn hoặc đã được dùng".into(),
            });
        }
    }
    let actor = audit::Actor {
        id: user.id,
        name: user.full_name.clone(),
    };
    if proof == Some(Proof::RecoveryCode) {
        let remaining = two_factor::recovery::remaining(&tx, user.id).await?;
        audit::record(
            &tx,
            now,
            AuditEntry {
                actor: Some(actor.clone()),
                action: "auth.recovery_code_used",
                target: Some(("user", user.id.to_string())),
                before: None,
                after: Some(serde_json::json!({ "remaining": remaining })),
                meta: &meta,
            },
        )
        .await?;
    }
    let created = session::create(&tx, user.id, body.remember_me, now, &meta).await?;
    audit::record(
        &tx,
        now,
        AuditEntry {
            actor: Some(actor),
            action: "auth.login",
            target: Some(("user", user.id.to_string())),
            before: None,
            after: Some(serde_json::json!({
                "session_id": created.session.id,
                "remember_me": body.remember_me,
                "two_factor": match proof {
                    Some(Proof::Totp { .. }) => Some("totp"),
                    Some(Proof::RecoveryCode) => Some("recovery_code"),
                    None => None,
                },
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
        user: user_dto(&user, &grants, second_factor.is_some()),
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
