//! Writing an event inside the change's transaction.

use std::{collections::HashMap, mem::take};

use chrono::{DateTime, SecondsFormat, Utc};
use entities::event;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use serde_json::{Value, json};

use super::Audience;
use crate::{crypto::envelope::DataKey, db};

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
    let row = stored(key, &draft)?.row(now, &draft).insert(conn).await?;
    Ok(recorded(row, draft))
}

/// Records several events, [`db::ROWS_PER_STATEMENT`] a statement where the database returns
/// inserted rows (SQLite, PostgreSQL), one at a time elsewhere. The events come back
/// in seq order.
pub async fn record_many(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    drafts: Vec<(Option<&DataKey>, Draft)>,
) -> Result<Vec<Event>, DbErr> {
    if !conn.support_returning() {
        let mut events = Vec::with_capacity(drafts.len());
        for (key, draft) in drafts {
            events.push(record(conn, key, now, draft).await?);
        }
        return Ok(events);
    }
    let mut events = Vec::with_capacity(drafts.len());
    let mut drafts = drafts.into_iter().peekable();
    while drafts.peek().is_some() {
        let chunk: Vec<(Option<&DataKey>, Draft)> =
            drafts.by_ref().take(db::ROWS_PER_STATEMENT).collect();
        let mut rows = Vec::with_capacity(chunk.len());
        // Returned rows come in no promised order: each is matched to its draft by
        // what was stored. Drafts stored alike are alike, so either may take either.
        let mut waiting: HashMap<(String, String), Vec<Draft>> = HashMap::new();
        for (key, draft) in chunk {
            let stored = stored(key, &draft)?;
            rows.push(stored.row(now, &draft));
            waiting
                .entry((stored.payload, stored.audience))
                .or_default()
                .push(draft);
        }
        for mut row in event::Entity::insert_many(rows)
            .exec_with_returning(conn)
            .await?
        {
            let stored = (take(&mut row.payload), take(&mut row.audience));
            let draft = waiting
                .get_mut(&stored)
                .and_then(Vec::pop)
                .ok_or_else(|| DbErr::Custom("event returned that was not inserted".into()))?;
            events.push(recorded(row, draft));
        }
    }
    events.sort_by_key(|e| e.seq);
    Ok(events)
}

fn recorded(row: event::Model, draft: Draft) -> Event {
    Event {
        seq: row.id,
        at: row.at,
        kind: row.kind,
        data: draft.data,
        audience: draft.audience,
    }
}

/// The stored texts: personal fields sealed under the contact's key.
struct Stored {
    payload: String,
    audience: String,
}

impl Stored {
    fn row(&self, now: DateTime<Utc>, draft: &Draft) -> event::ActiveModel {
        event::ActiveModel {
            at: Set(now),
            kind: Set(draft.kind.to_owned()),
            contact_id: Set(draft.contact_id),
            payload: Set(self.payload.clone()),
            audience: Set(self.audience.clone()),
            ..Default::default()
        }
    }
}

fn stored(key: Option<&DataKey>, draft: &Draft) -> Result<Stored, DbErr> {
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
    Ok(Stored {
        payload: stored.to_string(),
        audience,
    })
}
