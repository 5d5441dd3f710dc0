//! Typed calls to the server's JSON API. The session cookie travels on its own
//! (same origin), so no token handling happens here.

use api_types::{
    ApiErrorBody, ChangePasswordRequest, ForgotPasswordRequest, LoginRequest, LoginResponse,
    MessageResponse, ResetPasswordRequest, SessionDto, UserDto,
};
use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;

use crate::text;

// The screens' calls, one file per area; re-exported so callers write `api::roles()`.
mod attachments;
mod audit;
mod contacts;
mod coupons;
mod deals;
mod imports;
mod notifications;
mod products;
mod push;
mod reports;
mod roles;
mod service_types;
mod teams;
mod two_factor;
mod users;
mod zalo;

pub use attachments::*;
pub use audit::*;
pub use contacts::*;
pub use coupons::*;
pub use deals::*;
pub use imports::*;
pub use notifications::*;
pub use products::*;
pub use push::*;
pub use reports::*;
pub use roles::*;
pub use service_types::*;
pub use teams::*;
pub use two_factor::*;
pub use users::*;
pub use zalo::*;

/// The server's error body plus the HTTP status, which is what tells a dead session
/// (401) apart from every other failure.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// 0 when the server could not be reached at all.
    pub status: u16,
    pub body: ApiErrorBody,
}

impl ApiError {
    pub(crate) fn local(status: u16, error: &str, message: &str) -> Self {
        Self {
            status,
            body: ApiErrorBody {
                error: error.to_owned(),
                message: message.to_owned(),
                field: None,
                retry_after_secs: None,
                ..ApiErrorBody::default()
            },
        }
    }

    fn network() -> Self {
        Self::local(0, "network", text::NETWORK_ERROR)
    }

    pub fn is_unauthorized(&self) -> bool {
        self.status == 401
    }

    /// The text to show: the server's message, plus when to retry after throttling.
    pub fn message(&self) -> String {
        match self.body.retry_after_secs {
            Some(secs) => format!("{} {}", self.body.message, text::retry_after(secs)),
            None => self.body.message.clone(),
        }
    }
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let response = request
        .map_err(|_| ApiError::network())?
        .send()
        .await
        .map_err(|_| ApiError::network())?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    // A proxy or a crash may answer without the usual JSON body.
    let body = response
        .json::<ApiErrorBody>()
        .await
        .unwrap_or_else(|_| ApiError::local(status, "http", text::SERVER_ERROR).body);
    Err(ApiError { status, body })
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    response
        .json::<T>()
        .await
        .map_err(|_| ApiError::local(status, "bad_response", text::BAD_RESPONSE))
}

/// A download link (`GET`, the session cookie authenticates it): `path?params`, with
/// the values percent-encoded.
pub fn export_url(path: &str, params: &[(&str, String)]) -> String {
    let query: Vec<String> = params
        .iter()
        .map(|(name, value)| format!("{name}={}", js_sys::encode_uri_component(value)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// The newest event number (`{"seq":N}`), where a fresh client starts following.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
pub struct LatestEvent {
    pub seq: u64,
}

pub async fn events_latest() -> Result<LatestEvent, ApiError> {
    read(send(Request::get("/api/events/latest").build()).await?).await
}

pub async fn me() -> Result<UserDto, ApiError> {
    read(send(Request::get("/api/me").build()).await?).await
}

pub async fn login(body: &LoginRequest) -> Result<LoginResponse, ApiError> {
    read(send(Request::post("/api/auth/login").json(body)).await?).await
}

pub async fn logout() -> Result<(), ApiError> {
    send(Request::post("/api/auth/logout").build())
        .await
        .map(drop)
}

pub async fn forgot_password(body: &ForgotPasswordRequest) -> Result<MessageResponse, ApiError> {
    read(send(Request::post("/api/auth/password/forgot").json(body)).await?).await
}

pub async fn reset_password(body: &ResetPasswordRequest) -> Result<MessageResponse, ApiError> {
    read(send(Request::post("/api/auth/password/reset").json(body)).await?).await
}

pub async fn change_password(body: &ChangePasswordRequest) -> Result<MessageResponse, ApiError> {
    read(send(Request::post("/api/me/password").json(body)).await?).await
}

pub async fn sessions() -> Result<Vec<SessionDto>, ApiError> {
    read(send(Request::get("/api/me/sessions").build()).await?).await
}

pub async fn revoke_session(id: i64) -> Result<(), ApiError> {
    send(Request::delete(&format!("/api/me/sessions/{id}")).build())
        .await
        .map(drop)
}
