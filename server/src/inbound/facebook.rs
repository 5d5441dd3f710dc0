//! Facebook Messenger webhook: the subscription handshake and signed message
//! deliveries (`X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`).

use api_types::ApiErrorBody;
use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::IntoResponse,
};
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::Value;
use sha2::Sha256;
use utoipa::IntoParams;

use super::{Channel, Inbound, bad_signature, receive_all, same_secret};
use crate::{
    error::{ApiError, ApiResult},
    http::{client_meta::ClientMeta, params::ApiQuery},
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
pub struct Handshake {
    #[serde(rename = "hub.mode")]
    #[param(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    #[param(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    #[param(rename = "hub.challenge")]
    challenge: Option<String>,
}

/// Facebook's subscription check: answers `hub.challenge` when `hub.verify_token` is
/// ours (`ANKHANG_FACEBOOK_VERIFY_TOKEN`).
#[utoipa::path(
    get, path = "/api/webhooks/facebook", tag = "webhooks",
    params(Handshake),
    responses(
        (status = 200, description = "hub.challenge", body = String, content_type = "text/plain"),
        (status = 403, body = ApiErrorBody),
        (status = 404, description = "Facebook is not configured", body = ApiErrorBody),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<Handshake>,
) -> ApiResult<impl IntoResponse> {
    let Some(token) = state.config.inbound.facebook_verify_token.as_ref() else {
        return Err(ApiError::NotFound);
    };
    let token_ok = query
        .verify_token
        .as_deref()
        .is_some_and(|given| same_secret(given.as_bytes(), token.expose_secret().as_bytes()));
    match (query.mode.as_deref(), token_ok, query.challenge) {
        (Some("subscribe"), true, Some(challenge)) => Ok((
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            challenge,
        )),
        _ => Err(ApiError::Forbidden),
    }
}

/// Messenger deliveries. Unsigned or wrongly signed bodies are refused before anything
/// is read or stored.
#[utoipa::path(
    post, path = "/api/webhooks/facebook", tag = "webhooks",
    request_body(content = String, description = "Messenger webhook JSON, signed", content_type = "application/json"),
    responses(
        (status = 200, description = "received"),
        (status = 401, description = "invalid_signature", body = ApiErrorBody),
        (status = 404, description = "Facebook is not configured", body = ApiErrorBody),
    )
)]
pub async fn receive(
    State(state): State<AppState>,
    meta: ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let Some(secret) = state.config.inbound.facebook_app_secret.as_ref() else {
        return Err(ApiError::NotFound);
    };
    let signature = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("sha256="))
        .and_then(|hex_mac| hex::decode(hex_mac.trim()).ok())
        .ok_or_else(bad_signature)?;
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes()) else {
        unreachable!("HMAC takes any key length");
    };
    mac.update(&body);
    mac.verify_slice(&signature).map_err(|_| bad_signature())?;
    let payload: Value = serde_json::from_slice(&body).map_err(|_| ApiError::BadRequest {
        code: "invalid_payload",
        message: "Nội dung webhook không phải JSON hợp lệ".into(),
        field: None,
    })?;
    receive_all(&state, &meta, messages(&payload)).await?;
    Ok(StatusCode::OK)
}

#[derive(Debug, Deserialize)]
struct Messaging {
    sender: Party,
    message: Option<Message>,
}

#[derive(Debug, Deserialize)]
struct Party {
    id: String,
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Message {
    mid: String,
    text: Option<String>,
    #[serde(default)]
    is_echo: bool,
}

/// The text messages of a `page` delivery; malformed items are logged and skipped,
/// echoes of the page's own replies and attachments without text are ignored.
fn messages(payload: &Value) -> Vec<Inbound> {
    if payload.get("object").and_then(Value::as_str) != Some("page") {
        return Vec::new();
    }
    let items = payload
        .get("entry")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.get("messaging").and_then(Value::as_array))
        .flatten();
    let mut out = Vec::new();
    for item in items {
        let parsed: Messaging = match serde_json::from_value(item.clone()) {
            Ok(parsed) => parsed,
            Err(err) => {
                tracing::warn!(%err, "malformed Messenger event skipped");
                continue;
            }
        };
        let Some(message) = parsed.message.filter(|m| !m.is_echo) else {
            continue;
        };
        let Some(text) = message.text else { continue };
        out.push(Inbound {
            channel: Channel::Facebook,
            sender_id: parsed.sender.id,
            sender_name: parsed.sender.name,
            message_id: message.mid,
            text,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn text_messages_are_read_and_malformed_or_echoed_ones_skipped() {
        let payload = json!({"object": "page", "entry": [{"messaging": [
            {"sender": {"id": "1"}, "recipient": {"id": "p"}, "timestamp": 1,
             "message": {"mid": "m1", "text": "Xin chào"}},
            {"sender": {"id": "1"}, "message": {"mid": "m2", "text": "x", "is_echo": true}},
            {"sender": {"id": 5}, "message": {"mid": "m3", "text": "bad id"}},
            {"sender": {"id": "1"}, "message": {"mid": "m4"}},
            {"sender": {"id": "1"}, "delivery": {}},
        ]}]});
        let found = messages(&payload);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message_id, "m1");
        assert!(messages(&json!({"object": "user", "entry": []})).is_empty());
    }
}
