//! Web Push opt-in: the server's VAPID key and this browser's subscription.

use api_types::{PushSubscriptionRequest, PushUnsubscribeRequest, VapidPublicKey};
use gloo_net::http::Request;

use super::{ApiError, read, send};

pub async fn vapid_public_key() -> Result<VapidPublicKey, ApiError> {
    read(send(Request::get("/api/push/vapid-public-key").build()).await?).await
}

pub async fn push_subscribe(body: &PushSubscriptionRequest) -> Result<(), ApiError> {
    send(Request::post("/api/push/subscriptions").json(body))
        .await
        .map(drop)
}

pub async fn push_unsubscribe(body: &PushUnsubscribeRequest) -> Result<(), ApiError> {
    send(Request::delete("/api/push/subscriptions").json(body))
        .await
        .map(drop)
}
