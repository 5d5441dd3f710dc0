//! One inbound message, in one transaction: remember its id, find or tie its sender to
//! a contact (by a phone in the text), append it to that contact's timeline or keep it
//! pending, audit it, and raise `response.negative` when the customer complains.

use chrono::{DateTime, Utc};
use entities::{contact, inbound_identity, inbound_message, inbound_pending, service_type};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, QueryOrder, SqlErr,
};
use serde_json::json;

use super::{
    channel::Channel,
    seal::{DISPLAY_NAME, IDENTITY, InboundSeal, pending_purpose},
    system_user,
};
use crate::{
    audit::{self, AuditEntry},
    contacts::{
        input::MAX_NOTE,
        interactions,
        routes::{self, NewContact},
        scope::ContactState,
        vault::Personal,
    },
    db,
    domain::{FullName, Phone},
    error::ApiError,
    events::{self, Audience, Draft, Event},
    http::client_meta::ClientMeta,
    sentiment,
    state::AppState,
};

/// A text message as a platform delivered it.
#[derive(Debug, Clone)]
pub struct Inbound {
    pub channel: Channel,
    pub sender_id: String,
    pub sender_name: Option<String>,
    pub message_id: String,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Already processed (the platform retried).
    Duplicate,
    /// Nothing to keep (blank text).
    Ignored,
    /// Unknown sender and no phone: kept sealed until they name one.
    Pending,
    Attached {
        contact_id: i64,
        created: bool,
    },
}

/// Control characters dropped and the length bounded like a typed interaction.
fn clean(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(MAX_NOTE)
        .collect();
    kept.trim().to_owned()
}

/// The first Vietnamese phone number in the text: one to four adjacent number-like
/// words ("0912 345 678", "+84 912345678").
pub fn find_phone(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '/'))
        .map(|w| w.trim_matches(|c: char| !c.is_ascii_digit() && c != '+'))
        .collect();
    let numeric = |w: &str| {
        !w.is_empty()
            && w.chars().any(|c| c.is_ascii_digit())
            && w.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | '.' | '-' | '(' | ')'))
    };
    for start in 0..words.len() {
        for len in (1..=4).rev() {
            let Some(run) = words.get(start..start + len) else {
                continue;
            };
            if !run.iter().all(|w| numeric(w)) {
                continue;
            }
            if let Ok(phone) = Phone::parse("phone", &run.concat()) {
                return Some(phone.into_inner());
            }
        }
    }
    None
}

fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

pub async fn receive(
    state: &AppState,
    meta: &ClientMeta,
    message: Inbound,
) -> Result<Outcome, ApiError> {
    let text = clean(&message.text);
    if text.is_empty() {
        return Ok(Outcome::Ignored);
    }
    let channel = message.channel;
    let seal = InboundSeal::new(&state.keys);
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let seen = inbound_message::Entity::find()
        .filter(inbound_message::Column::Channel.eq(channel.code()))
        .filter(inbound_message::Column::ExternalId.eq(message.message_id.as_str()))
        .one(&tx)
        .await?;
    if seen.is_some() {
        return Ok(Outcome::Duplicate);
    }
    let identity = identity(&tx, &seal, &message, now).await?;
    let logged = inbound_message::ActiveModel {
        channel: Set(channel.code().to_owned()),
        external_id: Set(message.message_id.clone()),
        identity_id: Set(identity.id),
        received_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await;
    let logged = match logged {
        Ok(row) => row,
        // A concurrent delivery of the same message won the insert.
        Err(err) if is_unique_violation(&err) => return Ok(Outcome::Duplicate),
        Err(err) => return Err(err.into()),
    };
    let mut events = Vec::new();
    let linked = linked_contact(&tx, state, &identity).await?;
    let (contact, created) = match linked {
        Some(row) => (Some(row), false),
        None => match find_phone(&text) {
            Some(phone) => {
                let (row, created) =
                    contact_for_phone(&tx, state, meta, &message, phone, now, &mut events).await?;
                inbound_identity::ActiveModel {
                    id: Set(identity.id),
                    contact_id: Set(Some(row.id)),
                    ..Default::default()
                }
                .update(&tx)
                .await?;
                (Some(row), created)
            }
            None => (None, false),
        },
    };
    let Some(contact) = contact else {
        inbound_pending::ActiveModel {
            identity_id: Set(identity.id),
            message_id: Set(logged.id),
            content_sealed: Set(seal.seal(&pending_purpose(identity.id), &text)),
            received_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        audit_received(&tx, meta, now, &logged, &text, None, 0).await?;
        tx.commit().await?;
        return Ok(Outcome::Pending);
    };
    let author = system_user(&tx, now).await?;
    let mut texts = move_pending(&tx, state, &seal, &identity, &contact, author).await?;
    let moved = texts.len();
    interactions::append(
        &tx,
        &state.vault,
        contact.id,
        author,
        channel.interaction_kind(),
        &text,
        now,
    )
    .await?;
    inbound_message::ActiveModel {
        id: Set(logged.id),
        contact_id: Set(Some(contact.id)),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    audit_received(&tx, meta, now, &logged, &text, Some(contact.id), moved).await?;
    texts.push(text);
    if let Some(event) = negative_event(&tx, channel, &contact, &texts, now).await? {
        events.push(event);
    }
    state.live.feed.commit(tx, events).await?;
    Ok(Outcome::Attached {
        contact_id: contact.id,
        created,
    })
}

/// The sender's identity row, created on their first message.
async fn identity(
    tx: &DatabaseTransaction,
    seal: &InboundSeal,
    message: &Inbound,
    now: DateTime<Utc>,
) -> Result<inbound_identity::Model, ApiError> {
    let index = seal.identity_index(message.channel.code(), &message.sender_id);
    if let Some(row) = inbound_identity::Entity::find()
        .filter(inbound_identity::Column::IdentityIndex.eq(index.as_str()))
        .one(tx)
        .await?
    {
        return Ok(row);
    }
    inbound_identity::ActiveModel {
        channel: Set(message.channel.code().to_owned()),
        identity_sealed: Set(seal.seal(IDENTITY, &message.sender_id)),
        display_name_sealed: Set(message
            .sender_name
            .as_deref()
            .map(|name| seal.seal(DISPLAY_NAME, name))),
        identity_index: Set(index),
        contact_id: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(tx)
    .await
    // A concurrent first message of the same sender: a server-side failure, so the
    // platform retries and then finds the row.
    .map_err(|err| ApiError::Internal(err.into()))
}

/// The contact the sender is tied to, unless it was anonymised since.
async fn linked_contact(
    tx: &DatabaseTransaction,
    state: &AppState,
    identity: &inbound_identity::Model,
) -> Result<Option<contact::Model>, ApiError> {
    let Some(id) = identity.contact_id else {
        return Ok(None);
    };
    if state.vault.key_for(tx, id).await?.is_none() {
        return Ok(None);
    }
    Ok(contact::Entity::find_by_id(id).one(tx).await?)
}

/// The oldest live contact with this phone, or a new lead (source by channel) with
/// its `contact.created` event.
async fn contact_for_phone(
    tx: &DatabaseTransaction,
    state: &AppState,
    meta: &ClientMeta,
    message: &Inbound,
    phone: String,
    now: DateTime<Utc>,
    events: &mut Vec<Event>,
) -> Result<(contact::Model, bool), ApiError> {
    let existing = contact::Entity::find()
        .filter(contact::Column::PhoneIndex.eq(state.vault.phone_index(&phone)))
        .order_by_asc(contact::Column::Id)
        .all(tx)
        .await?;
    // One key query for all holders of the phone; the oldest still keyed wins.
    let ids: Vec<i64> = existing.iter().map(|r| r.id).collect();
    let keys = state.vault.keys_for(tx, &ids).await?;
    if let Some(row) = existing.into_iter().find(|r| keys.contains_key(&r.id)) {
        return Ok((row, false));
    }
    let last_digits = &phone[phone.len().saturating_sub(4)..];
    let full_name = message
        .sender_name
        .as_deref()
        .and_then(|name| FullName::parse("full_name", name).ok())
        .map(FullName::into_inner)
        .unwrap_or_else(|| format!("Khách {} …{last_digits}", message.channel.label()));
    let service_type = service_type_for(tx, state).await?;
    let creator = system_user(tx, now).await?;
    let (row, event) = routes::insert(
        tx,
        &state.vault,
        NewContact {
            personal: Personal {
                full_name,
                phone,
                email: None,
                note: None,
            },
            service_type_id: service_type.id,
            source: message.channel.source().to_owned(),
            allow_duplicate: false,
        },
        creator,
        now,
        AuditEntry {
            actor: None,
            action: "contacts.created",
            target: None,
            before: None,
            after: None,
            meta,
        },
    )
    .await?;
    events.push(event);
    Ok((row, true))
}

/// `ANKHANG_INBOUND_SERVICE_TYPE` when it names an active type, else the first active
/// one in display order.
async fn service_type_for(
    tx: &DatabaseTransaction,
    state: &AppState,
) -> Result<service_type::Model, ApiError> {
    if let Some(code) = state.config.inbound.service_type.as_deref() {
        let configured = service_type::Entity::find()
            .filter(service_type::Column::Code.eq(code))
            .filter(service_type::Column::Active.eq(true))
            .one(tx)
            .await?;
        match configured {
            Some(row) => return Ok(row),
            None => tracing::warn!(
                code,
                "ANKHANG_INBOUND_SERVICE_TYPE names no active service type"
            ),
        }
    }
    service_type::Entity::find()
        .filter(service_type::Column::Active.eq(true))
        .order_by_asc(service_type::Column::SortOrder)
        .order_by_asc(service_type::Column::Id)
        .one(tx)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no active service type for inbound contacts").into())
}

/// Moves the sender's pending messages into the contact's timeline, oldest first;
/// returns their texts.
async fn move_pending(
    tx: &DatabaseTransaction,
    state: &AppState,
    seal: &InboundSeal,
    identity: &inbound_identity::Model,
    contact: &contact::Model,
    author: i64,
) -> Result<Vec<String>, ApiError> {
    let pending = inbound_pending::Entity::find()
        .filter(inbound_pending::Column::IdentityId.eq(identity.id))
        .order_by_asc(inbound_pending::Column::Id)
        .all(tx)
        .await?;
    let mut texts = Vec::with_capacity(pending.len());
    for row in pending {
        match seal.open(&pending_purpose(identity.id), &row.content_sealed) {
            Ok(text) => {
                interactions::append(
                    tx,
                    &state.vault,
                    contact.id,
                    author,
                    identity_kind(identity),
                    &text,
                    row.received_at,
                )
                .await?;
                texts.push(text);
            }
            Err(err) => tracing::error!(pending_id = row.id, %err, "cannot open pending message"),
        }
        inbound_message::ActiveModel {
            id: Set(row.message_id),
            contact_id: Set(Some(contact.id)),
            ..Default::default()
        }
        .update(tx)
        .await?;
        inbound_pending::Entity::delete_by_id(row.id)
            .exec(tx)
            .await?;
    }
    Ok(texts)
}

fn identity_kind(identity: &inbound_identity::Model) -> &'static str {
    Channel::parse(&identity.channel).map_or("other", Channel::interaction_kind)
}

/// Ids and lengths only: the message text never enters the audit trail.
async fn audit_received(
    tx: &impl ConnectionTrait,
    meta: &ClientMeta,
    now: DateTime<Utc>,
    logged: &inbound_message::Model,
    text: &str,
    contact_id: Option<i64>,
    moved_pending: usize,
) -> Result<(), ApiError> {
    let target = match contact_id {
        Some(id) => ("contact", id.to_string()),
        None => ("inbound_message", logged.id.to_string()),
    };
    audit::record(
        tx,
        now,
        AuditEntry {
            actor: None,
            action: "inbound.message_received",
            target: Some(target),
            before: None,
            after: Some(json!({
                "channel": logged.channel,
                "inbound_message_id": logged.id,
                "identity_id": logged.identity_id,
                "length": text.chars().count(),
                "contact_id": contact_id,
                "pending": contact_id.is_none(),
                "moved_pending": moved_pending,
            })),
            meta,
        },
    )
    .await?;
    Ok(())
}

/// `response.negative` when any of the texts now in the contact's timeline complains;
/// heard by whoever may see the contact, like its status changes.
async fn negative_event(
    tx: &impl ConnectionTrait,
    channel: Channel,
    contact: &contact::Model,
    texts: &[String],
    now: DateTime<Utc>,
) -> Result<Option<Event>, ApiError> {
    let mut terms: Vec<String> = Vec::new();
    let mut score = 0.0_f32;
    for text in texts {
        let result = sentiment::analyse(text);
        if result.is_negative() {
            score += result.score;
            for term in result.terms {
                if !terms.contains(&term) {
                    terms.push(term);
                }
            }
        }
    }
    if terms.is_empty() {
        return Ok(None);
    }
    let event = events::record(
        tx,
        None,
        now,
        Draft {
            kind: "response.negative",
            contact_id: Some(contact.id),
            data: json!({
                "id": contact.id,
                "code": contact.code,
                "channel": channel.code(),
                "terms": terms,
                "score": score,
            }),
            personal: &[],
            audience: Audience::Contact {
                states: vec![ContactState::from(contact)],
            },
        },
    )
    .await?;
    Ok(Some(event))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_found_in_free_text() {
        assert_eq!(
            find_phone("SĐT của em 0912 345 678 ạ").as_deref(),
            Some("0912345678")
        );
        assert_eq!(
            find_phone("gọi +84912345678 nhé").as_deref(),
            Some("0912345678")
        );
        assert_eq!(
            find_phone("số 0912.345.678, cảm ơn").as_deref(),
            Some("0912345678")
        );
        assert_eq!(find_phone("Tôi cần tư vấn thành lập công ty"), None);
        assert_eq!(find_phone("giá 1500000 đồng"), None);
    }

    #[test]
    fn control_characters_are_dropped_and_length_bounded() {
        assert_eq!(clean(" xin\u{0}chào\n "), "xinchào");
        assert_eq!(clean(&"a".repeat(MAX_NOTE + 10)).len(), MAX_NOTE);
    }
}
