//! The signed-in user's own two-factor settings (profile page).

use api_types::{
    ApiErrorBody, RecoveryCodesResponse, TwoFactorCodeRequest, TwoFactorDisableRequest,
    TwoFactorSetupResponse,
};
use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use entities::user_two_factor as row;
use sea_orm::DatabaseTransaction;

use super::{
    recovery, secret, store,
    verify::{self, Accept, Proof},
};
use crate::{
    auth::{current_user::AuthUser, password, rate_limit},
    db,
    error::{ApiError, ApiResult},
    http::json::ApiJson,
    state::AppState,
};

/// Start (or restart) enrolment: a fresh secret, pending until `enable` confirms a code.
#[utoipa::path(
    post, path = "/api/me/two-factor/setup", tag = "auth",
    responses(
        (status = 200, description = "Pending secret, otpauth URI and QR code (SVG)", body = TwoFactorSetupResponse),
        (status = 409, description = "two_factor_already_enabled", body = ApiErrorBody),
    )
)]
pub async fn setup(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<TwoFactorSetupResponse>> {
    let now = state.clock.now();
    let raw = secret::generate();
    let sealed = secret::SecretBox::new(&state.keys).seal(caller.user.id, &raw);
    let totp = secret::totp(raw, &caller.user.username)?;
    let otpauth_uri = secret::otpauth_uri(&totp)?;
    let qr_svg = secret::qr_svg(&otpauth_uri)?;
    let tx = db::begin_write(&state.db).await?;
    if store::is_enabled(&tx, caller.user.id).await? {
        return Err(already_enabled());
    }
    store::save_pending(&tx, caller.user.id, sealed, now).await?;
    tx.commit().await?;
    Ok(Json(TwoFactorSetupResponse {
        secret: secret::base32(&totp),
        otpauth_uri,
        qr_svg,
    }))
}

/// Confirm the pending secret with a current code: 2FA is on from now and the ten
/// recovery codes are returned, this once.
#[utoipa::path(
    post, path = "/api/me/two-factor/enable", tag = "auth",
    request_body = TwoFactorCodeRequest,
    responses(
        (status = 200, body = RecoveryCodesResponse),
        (status = 409, description = "two_factor_already_enabled / two_factor_not_set_up", body = ApiErrorBody),
        (status = 422, description = "Wrong or missing code (field `code`)", body = ApiErrorBody),
        (status = 429, description = "too_many_attempts, with Retry-After", body = ApiErrorBody),
    )
)]
pub async fn enable(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<TwoFactorCodeRequest>,
) -> ApiResult<Json<RecoveryCodesResponse>> {
    let code = verify::parse_code("code", &body.code)?;
    let now = state.clock.now();
    let pending = match store::find(&state.db, caller.user.id).await? {
        Some(r) if r.is_enabled() => return Err(already_enabled()),
        Some(r) => r,
        None => {
            return Err(ApiError::Conflict {
                code: "two_factor_not_set_up",
                message: "Chưa có mã bí mật đang chờ xác nhận: hãy bấm \"Thiết lập\" trước".into(),
                field: None,
            });
        }
    };
    let (tx, proof) = checked(
        &state,
        &caller,
        &pending,
        &code,
        Accept::TotpOnly,
        "enable",
        now,
    )
    .await?;
    let Proof::Totp { step } = proof else {
        return Err(verify::wrong_code());
    };
    if !store::activate(&tx, caller.user.id, step, now).await? {
        return Err(already_enabled());
    }
    let codes = recovery::replace(&tx, caller.user.id, now).await?;
    caller
        .audit(
            &tx,
            now,
            "auth.two_factor_enabled",
            Some(("user", caller.user.id.to_string())),
            None,
            Some(serde_json::json!({ "recovery_codes": codes.len() })),
        )
        .await?;
    tx.commit().await?;
    // The access guard reads enrolment from the cached grants.
    state.live.grants.invalidate(&[caller.user.id]);
    Ok(Json(RecoveryCodesResponse { codes }))
}

/// Switch 2FA off with the password and a code (or a recovery code). Refused while a
/// role of the user demands it.
#[utoipa::path(
    post, path = "/api/me/two-factor/disable", tag = "auth",
    request_body = TwoFactorDisableRequest,
    responses(
        (status = 204, description = "Two-factor authentication is off"),
        (status = 409, description = "two_factor_required_by_role / two_factor_not_enabled", body = ApiErrorBody),
        (status = 422, description = "Wrong password (field `password`) or code (field `code`)", body = ApiErrorBody),
        (status = 429, description = "too_many_attempts, with Retry-After", body = ApiErrorBody),
    )
)]
pub async fn disable(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<TwoFactorDisableRequest>,
) -> ApiResult<StatusCode> {
    if body.password.is_empty() {
        return Err(ApiError::validation("password", "Vui lòng nhập mật khẩu"));
    }
    if body.password.chars().count() > password::MAX_LEN {
        return Err(ApiError::validation("password", "Mật khẩu quá dài"));
    }
    let code = verify::parse_code("code", &body.code)?;
    if caller.grants.two_factor_required {
        return Err(ApiError::Conflict {
            code: "two_factor_required_by_role",
            message: "Vai trò của bạn bắt buộc xác thực hai lớp nên không thể tắt".into(),
            field: None,
        });
    }
    let enabled = enabled_row(&state, &caller).await?;
    let now = state.clock.now();
    rate_limit::check(
        &state.db,
        &caller.user.username,
        caller.meta.ip_or_unknown(),
        now,
    )
    .await?;
    let password_ok =
        password::verify_blocking(body.password, Some(caller.user.password_hash.clone())).await;
    if !password_ok {
        verify::record_failure(&state, &caller.user, "disable", &caller.meta, now).await?;
        return Err(ApiError::validation("password", "Mật khẩu không đúng"));
    }
    let (tx, proof) = checked(
        &state,
        &caller,
        &enabled,
        &code,
        Accept::TotpOrRecovery,
        "disable",
        now,
    )
    .await?;
    store::remove(&tx, caller.user.id).await?;
    caller
        .audit(
            &tx,
            now,
            "auth.two_factor_disabled",
            Some(("user", caller.user.id.to_string())),
            None,
            Some(serde_json::json!({ "with_recovery_code": proof == Proof::RecoveryCode })),
        )
        .await?;
    tx.commit().await?;
    state.live.grants.invalidate(&[caller.user.id]);
    Ok(StatusCode::NO_CONTENT)
}

/// New recovery codes for a current TOTP code; every earlier code stops working.
#[utoipa::path(
    post, path = "/api/me/two-factor/recovery-codes", tag = "auth",
    request_body = TwoFactorCodeRequest,
    responses(
        (status = 200, body = RecoveryCodesResponse),
        (status = 409, description = "two_factor_not_enabled", body = ApiErrorBody),
        (status = 422, description = "Wrong or missing code (field `code`)", body = ApiErrorBody),
        (status = 429, description = "too_many_attempts, with Retry-After", body = ApiErrorBody),
    )
)]
pub async fn regenerate_recovery_codes(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<TwoFactorCodeRequest>,
) -> ApiResult<Json<RecoveryCodesResponse>> {
    let code = verify::parse_code("code", &body.code)?;
    let enabled = enabled_row(&state, &caller).await?;
    let now = state.clock.now();
    let (tx, _) = checked(
        &state,
        &caller,
        &enabled,
        &code,
        Accept::TotpOnly,
        "recovery_codes",
        now,
    )
    .await?;
    let codes = recovery::replace(&tx, caller.user.id, now).await?;
    caller
        .audit(
            &tx,
            now,
            "auth.recovery_codes_regenerated",
            Some(("user", caller.user.id.to_string())),
            None,
            Some(serde_json::json!({ "recovery_codes": codes.len() })),
        )
        .await?;
    tx.commit().await?;
    Ok(Json(RecoveryCodesResponse { codes }))
}

/// Rate-limits, then checks the code inside a new write transaction. On success the
/// transaction (holding the claimed step or the spent recovery code) is handed back
/// for the action; on failure it is rolled back and the failure recorded.
async fn checked(
    state: &AppState,
    caller: &AuthUser,
    secret_row: &row::Model,
    code: &str,
    accept: Accept,
    during: &str,
    now: DateTime<Utc>,
) -> ApiResult<(DatabaseTransaction, Proof)> {
    rate_limit::check(
        &state.db,
        &caller.user.username,
        caller.meta.ip_or_unknown(),
        now,
    )
    .await?;
    let tx = db::begin_write(&state.db).await?;
    match verify::check(&tx, state, &caller.user, secret_row, code, accept, now).await? {
        Some(proof) => Ok((tx, proof)),
        None => {
            // Explicitly, before the failure is written: SQLite has one writer.
            tx.rollback().await?;
            verify::record_failure(state, &caller.user, during, &caller.meta, now).await?;
            Err(verify::wrong_code())
        }
    }
}

async fn enabled_row(state: &AppState, caller: &AuthUser) -> ApiResult<row::Model> {
    store::find(&state.db, caller.user.id)
        .await?
        .filter(row::Model::is_enabled)
        .ok_or_else(|| ApiError::Conflict {
            code: "two_factor_not_enabled",
            message: "Xác thực hai lớp chưa được bật".into(),
            field: None,
        })
}

fn already_enabled() -> ApiError {
    ApiError::Conflict {
        code: "two_factor_already_enabled",
        message: "Xác thực hai lớp đã bật. Hãy tắt trước khi thiết lập lại".into(),
        field: None,
    }
}
