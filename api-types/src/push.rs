//! Web Push opt-in: the server's VAPID public key and a browser's subscription, in the
//! shape `PushSubscription.toJSON()` gives.

use serde::{Deserialize, Serialize};

/// `GET /api/push/vapid-public-key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VapidPublicKey {
    /// The uncompressed P-256 point, base64url without padding: the browser's
    /// `applicationServerKey`.
    pub public_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushKeys {
    pub p256dh: String,
    pub auth: String,
}

/// `POST /api/push/subscriptions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushSubscriptionRequest {
    pub endpoint: String,
    pub keys: PushKeys,
}

/// `DELETE /api/push/subscriptions`: the browser forgets its subscription and tells us.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushUnsubscribeRequest {
    pub endpoint: String,
}

/// What the service worker receives as the push message's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushPayload {
    pub title: String,
    pub body: String,
    /// The app path to open on click, e.g. `/contacts/12`.
    pub url: String,
    /// The notification's tag: a message delivered twice replaces itself on screen.
    pub tag: String,
}
