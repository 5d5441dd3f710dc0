//! `/api/push/…`: the VAPID public key and the signed-in user's browser subscriptions.

use api_types::{ApiErrorBody, PushSubscriptionRequest, PushUnsubscribeRequest, VapidPublicKey};
use axum::{Json, extract::State, http::StatusCode};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::json;

use super::{
    endpoint,
    store::{self, Subscription, SubscriptionBox},
};
use crate::{
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    http::json::ApiJson,
    state::AppState,
};

/// The key browsers need to subscribe (`applicationServerKey`).
#[utoipa::path(
    get, path = "/api/push/vapid-public-key", tag = "notifications",
    responses((status = 200, body = VapidPublicKey))
)]
pub async fn vapid_public_key(State(state): State<AppState>) -> Json<VapidPublicKey> {
    Json(VapidPublicKey {
        public_key: state.vapid.public_key.clone(),
    })
}

/// Turn on browser notifications for this browser: stores its subscription (sealed).
#[utoipa::path(
    post, path = "/api/push/subscriptions", tag = "notifications",
    request_body = PushSubscriptionRequest,
    responses((status = 204), (status = 422, body = ApiErrorBody))
)]
pub async fn subscribe(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<PushSubscriptionRequest>,
) -> ApiResult<StatusCode> {
    let service = checked_service(&state, &body.endpoint)?;
    check_key(&body.keys.p256dh, 65, "keys.p256dh")?;
    check_key(&body.keys.auth, 16, "keys.auth")?;
    let subscription = Subscription {
        endpoint: body.endpoint,
        p256dh: body.keys.p256dh,
        auth: body.keys.auth,
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    store::save(
        &tx,
        &SubscriptionBox::new(&state.keys),
        caller.user.id,
        &subscription,
        now,
    )
    .await?;
    // The push service's host says which browser family; the endpoint itself is
    // personal and stays out of the log.
    caller
        .audit(
            &tx,
            now,
            "push.subscribed",
            Some(("user", caller.user.id.to_string())),
            None,
            Some(json!({ "service": service })),
        )
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Turn off browser notifications for this browser.
#[utoipa::path(
    delete, path = "/api/push/subscriptions", tag = "notifications",
    request_body = PushUnsubscribeRequest,
    responses((status = 204))
)]
pub async fn unsubscribe(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<PushUnsubscribeRequest>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let removed = store::remove(
        &tx,
        &SubscriptionBox::new(&state.keys),
        caller.user.id,
        &body.endpoint,
    )
    .await?;
    if let Some(id) = removed {
        caller
            .audit(
                &tx,
                now,
                "push.unsubscribed",
                Some(("user", caller.user.id.to_string())),
                Some(json!({ "subscription_id": id })),
                None,
            )
            .await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The endpoint's host, if it is one of the configured push services.
fn checked_service(state: &AppState, endpoint_url: &str) -> Result<String, ApiError> {
    endpoint::allowed(endpoint_url, &state.config.push.services)
        .and_then(|url| url.host_str().map(str::to_owned))
        .ok_or_else(|| {
            ApiError::validation(
                "endpoint",
                "Dịch vụ thông báo của trình duyệt này không được hỗ trợ",
            )
        })
}

/// A key from `PushSubscription.toJSON()`: base64url of exactly `len` bytes.
fn check_key(encoded: &str, len: usize, field: &str) -> Result<(), ApiError> {
    match URL_SAFE_NO_PAD.decode(encoded.trim_end_matches('=')) {
        Ok(raw) if raw.len() == len => Ok(()),
        _ => Err(ApiError::validation(
            field,
            "Khoá mã hoá của trình duyệt không hợp lệ",
        )),
    }
}
