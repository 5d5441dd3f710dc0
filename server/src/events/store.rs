//! Writing an event inside the change's transaction.

use chrono::{DateTime, SecondsFormat, Utc};
use entities::event;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr};
use serde_json::{Value, json};

use super::Audience;
use crate::crypto::envelope::DataKey;

/// An event about to be recorded. `personal` names the fields of `data` that hold a
/// contact's personal data: they are sealed under its key in the stored copy.
pub struct Draft {
    pub kind: &'static str,
    pub contact_id: Option<i64>,
    pub data: Value,
    pub personal: &'static [&'static str],
    pub audience: Audience,
}

/// A committed event as the live feed holds it (plaintext, in memory only).
#[derive(Debug, Clone)]
pub struct Event {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub data: Value,
    pub audience: Audience,
}

impl Event {
    /// The WebSocket frame, serialised once for every recipient.
    pub fn frame(&self) -> String {
        json!({
            "seq": self.seq,
            "type": self.kind,
            "at": self.at.to_rfc3339_opts(SecondsFormat::Millis, true),
            "data": self.data,
        })
        .to_string()
    }
}

pub fn sealed_field(field: &str) -> String {
    format!("event.{field}")
}

pub async fn record(
    conn: &impl ConnectionTrait,
    key: Option<&DataKey>,
    now: DateTime<Utc>,
    draft: Draft,
) -> Result<Event, DbErr> {
    let mut stored = draft.data.clone();
    for field in draft.personal {
        let Some(value) = stored.get_mut(*field) else {
            continue;
        };
        let Some(text) = value.as_str() else { continue };
        // Without a key (never for a live contact) the value is dropped, not leaked.
        *value = match key {
            Some(key) => json!({ "sealed": key.seal(&sealed_field(field), text) }),
            None => Value::Null,
        };
    }
    let audience = serde_json::to_string(&draft.audience)
        .map_err(|e| DbErr::Custom(format!("audience: {e}")))?;
    let row = event::ActiveModel {
        at: Set(now),
        kind: Set(draft.kind.to_owned()),
        contact_id: Set(draft.contact_id),
        payload: Set(stored.to_string()),
        audience: Set(audience),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(Event {
        seq: row.id,
        at: row.at,
        kind: row.kind,
        data: draft.data,
        audience: draft.audience,
    })
}
