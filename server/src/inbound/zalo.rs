//! Zalo OA webhook. Zalo signs each event with
//! `X-ZEvent-Signature: mac=<hex SHA-256(app_id + raw body + timestamp + OA secret key)>`,
//! where `timestamp` is the event's own `timestamp` field; we recompute it over the raw
//! body, compare in constant time, and also require the event's `app_id` (when sent)
//! to be ours.

use api_types::ApiErrorBody;
use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
};
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Channel, Inbound, bad_signature, receive_all, same_secret};
use crate::{
    error::{ApiError, ApiResult},
    http::client_meta::ClientMeta,
    state::AppState,
};

/// Zalo OA events. Only `user_send_text` is acted on; others are acknowledged.
#[utoipa::path(
    post, path = "/api/webhooks/zalo", tag = "webhooks",
    request_body(content = String, description = "Zalo OA event JSON, signed", content_type = "application/json"),
    responses(
        (status = 200, description = "received"),
        (status = 401, description = "invalid_signature", body = ApiErrorBody),
        (status = 404, description = "Zalo OA is not configured", body = ApiErrorBody),
    )
)]
pub async fn receive(
    State(state): State<AppState>,
    meta: ClientMeta,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let inbound = &state.config.inbound;
    let (Some(app_id), Some(secret)) = (
        inbound.zalo_app_id.as_deref(),
        inbound.zalo_oa_secret.as_ref(),
    ) else {
        return Err(ApiError::NotFound);
    };
    let given = headers
        .get("x-zevent-signature")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("mac="))
        .ok_or_else(bad_signature)?;
    // The timestamp is part of the signed string, so the body is read before trusting it.
    let payload: Value = serde_json::from_slice(&body).map_err(|_| bad_signature())?;
    let timestamp = match payload.get("timestamp") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(bad_signature()),
    };
    let expected = signature(app_id, &body, &timestamp, secret.expose_secret());
    if !same_secret(given.to_ascii_lowercase().as_bytes(), expected.as_bytes()) {
        return Err(bad_signature());
    }
    if payload
        .get("app_id")
        .and_then(Value::as_str)
        .is_some_and(|sent| sent != app_id)
    {
        return Err(bad_signature());
    }
    receive_all(&state, &meta, message(&payload).into_iter().collect()).await?;
    Ok(StatusCode::OK)
}

/// Zalo's `mac`: hex SHA-256 of app id, raw body, timestamp and OA secret, concatenated.
pub fn signature(app_id: &str, body: &[u8], timestamp: &str, secret: &str) -> String {
    let mut digest = Sha256::new();
    digest.update(app_id.as_bytes());
    digest.update(body);
    digest.update(timestamp.as_bytes());
    digest.update(secret.as_bytes());
    hex::encode(digest.finalize())
}

#[derive(Debug, Deserialize)]
struct Event {
    sender: Party,
    message: Message,
}

#[derive(Debug, Deserialize)]
struct Party {
    id: String,
    display_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Message {
    msg_id: String,
    text: String,
}

/// The text of a `user_send_text` event; anything else (or a malformed one, logged)
/// yields nothing.
fn message(payload: &Value) -> Option<Inbound> {
    if payload.get("event_name").and_then(Value::as_str) != Some("user_send_text") {
        return None;
    }
    let event: Event = match serde_json::from_value(payload.clone()) {
        Ok(event) => event,
        Err(err) => {
            tracing::warn!(%err, "malformed Zalo event skipped");
            return None;
        }
    };
    Some(Inbound {
        channel: Channel::Zalo,
        sender_id: event.sender.id,
        sender_name: event.sender.display_name,
        message_id: event.message.msg_id,
        text: event.message.text,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_well_formed_user_texts_are_read() {
        let ok = json!({"event_name": "user_send_text", "timestamp": "1",
            "sender": {"id": "u1"}, "message": {"msg_id": "z1", "text": "Chào"}});
        assert_eq!(message(&ok).map(|m| m.message_id).as_deref(), Some("z1"));
        let follow = json!({"event_name": "follow", "sender": {"id": "u1"}});
        assert!(message(&follow).is_none());
        let broken = json!({"event_name": "user_send_text", "sender": {"id": "u1"}});
        assert!(message(&broken).is_none());
    }

    #[test]
    fn the_signature_covers_app_id_body_timestamp_and_secret() {
        let a = signature("app", b"{}", "1", "secret");
        assert_eq!(a.len(), 64);
        assert_ne!(a, signature("app", b"{}", "2", "secret"));
        assert_ne!(a, signature("app", b"{ }", "1", "secret"));
        assert_ne!(a, signature("app", b"{}", "1", "other"));
    }
}
