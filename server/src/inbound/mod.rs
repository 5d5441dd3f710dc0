//! Inbound customer messages from Zalo OA and Facebook Messenger webhooks (SPEC CHAN):
//! signatures checked, each text message tied to a contact (or kept pending until the
//! sender names a phone) and scored for complaints (`response.negative`).

mod channel;
mod config;
mod facebook;
pub mod process;
pub mod seal;
mod zalo;

use chrono::{DateTime, Utc};
use entities::user;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub use channel::Channel;
pub use config::InboundConfig;
pub use process::{Inbound, Outcome};

use crate::{error::ApiError, state::AppState};

/// The account recorded as creator and author of what customers write in: locked,
/// without roles or a usable password, so nobody can sign in as it.
pub const SYSTEM_USERNAME: &str = "tin-nhan-den";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(facebook::verify, facebook::receive))
        .routes(routes!(zalo::receive))
}

/// The inbound account's id, created on first use.
pub async fn system_user(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<i64, ApiError> {
    if let Some(row) = user::Entity::find()
        .filter(user::Column::Username.eq(SYSTEM_USERNAME))
        .one(conn)
        .await?
    {
        return Ok(row.id);
    }
    let row = user::ActiveModel {
        username: Set(SYSTEM_USERNAME.to_owned()),
        full_name: Set("Tin nhắn đến (Zalo, Facebook)".to_owned()),
        email: Set(None),
        phone: Set(None),
        team_id: Set(None),
        position: Set(None),
        // Not a hash of anything: no password verifies against it.
        password_hash: Set("!".to_owned()),
        status: Set(user::STATUS_LOCKED.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        password_changed_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await
    // Created concurrently by another message: retried by the platform.
    .map_err(|err| ApiError::Internal(err.into()))?;
    Ok(row.id)
}

/// Forgets the Zalo / Facebook identities tied to an anonymised contact (with their
/// message-id log); returns how many.
pub async fn forget_contact(conn: &impl ConnectionTrait, contact_id: i64) -> Result<u64, ApiError> {
    let deleted = entities::inbound_identity::Entity::delete_many()
        .filter(entities::inbound_identity::Column::ContactId.eq(contact_id))
        .exec(conn)
        .await?;
    Ok(deleted.rows_affected)
}

/// Compares secrets in time independent of where they differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A webhook whose signature is missing or wrong.
fn bad_signature() -> ApiError {
    ApiError::Unauthorized {
        code: "invalid_signature",
        message: "Chữ ký webhook không hợp lệ".into(),
    }
}

/// Hands each message to `process::receive`; a message that fails is logged and
/// skipped, unless the server itself failed (database down): then the platform's
/// retry, made harmless by the message-id log, should come back.
async fn receive_all(
    state: &AppState,
    meta: &crate::http::client_meta::ClientMeta,
    messages: Vec<Inbound>,
) -> Result<(), ApiError> {
    for message in messages {
        let channel = message.channel.code();
        match process::receive(state, meta, message).await {
            Ok(outcome) => tracing::info!(channel, ?outcome, "inbound message"),
            Err(ApiError::Internal(err)) => return Err(ApiError::Internal(err)),
            Err(err) => tracing::warn!(channel, %err, "inbound message skipped"),
        }
    }
    Ok(())
}
