//! Two-factor authentication: one's own set-up, and the admin's reset of an employee's.

use api_types::{
    RecoveryCodesResponse, TwoFactorCodeRequest, TwoFactorDisableRequest, TwoFactorSetupResponse,
};
use gloo_net::http::Request;

use super::{ApiError, read, send};

pub async fn two_factor_setup() -> Result<TwoFactorSetupResponse, ApiError> {
    read(send(Request::post("/api/me/two-factor/setup").build()).await?).await
}

pub async fn two_factor_enable(
    body: &TwoFactorCodeRequest,
) -> Result<RecoveryCodesResponse, ApiError> {
    read(send(Request::post("/api/me/two-factor/enable").json(body)).await?).await
}

pub async fn two_factor_disable(body: &TwoFactorDisableRequest) -> Result<(), ApiError> {
    send(Request::post("/api/me/two-factor/disable").json(body))
        .await
        .map(drop)
}

pub async fn regenerate_recovery_codes(
    body: &TwoFactorCodeRequest,
) -> Result<RecoveryCodesResponse, ApiError> {
    read(send(Request::post("/api/me/two-factor/recovery-codes").json(body)).await?).await
}

pub async fn reset_two_factor(user_id: i64) -> Result<(), ApiError> {
    send(Request::delete(&format!("/api/users/{user_id}/two-factor")).build())
        .await
        .map(drop)
}
