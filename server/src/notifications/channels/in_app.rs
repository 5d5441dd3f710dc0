//! The in-app channel: an entry in the recipient's inbox and a `notification` event for
//! their open sockets, written in one transaction and published after commit. The
//! inbox row is unique per delivery, so a delivery sent twice shows once.

use std::{collections::HashMap, sync::Arc};

use api_types::NotificationDto;
use chrono::{DateTime, SecondsFormat, Utc};
use entities::{notification, user};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, TryInsertResult,
};
use serde_json::json;

use super::{Channel, ChannelError, LocalChannel, Outgoing};
use crate::{
    clock::SharedClock,
    crypto::envelope::DataKey,
    db,
    events::{self, Audience, Draft, Event, Feed},
};

pub const NAME: &str = "in_app";

pub struct InApp {
    db: DatabaseConnection,
    clock: SharedClock,
    feed: Arc<Feed>,
}

impl InApp {
    pub fn new(db: DatabaseConnection, clock: SharedClock, feed: Arc<Feed>) -> Self {
        Self { db, clock, feed }
    }
}

#[async_trait::async_trait]
impl Channel for InApp {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn send(&self, outgoing: &Outgoing) -> Result<(), ChannelError> {
        let tx = db::begin_write(&self.db).await?;
        let events = self.write(&tx, std::slice::from_ref(outgoing)).await?;
        self.feed.commit(tx, events).await?;
        Ok(())
    }

    fn local(&self) -> Option<&dyn LocalChannel> {
        Some(self)
    }
}

#[async_trait::async_trait]
impl LocalChannel for InApp {
    /// Every entry of the batch and its event, in the caller's transaction: one event
    /// for 200 recipients is one commit, not 200.
    async fn write(
        &self,
        tx: &DatabaseTransaction,
        batch: &[Outgoing],
    ) -> Result<Vec<Event>, DbErr> {
        let now = self.clock.now();
        let entries = batch.iter().map(|outgoing| {
            let d = &outgoing.delivery;
            let entry = Entry {
                user_id: d.recipient_id,
                delivery_id: Some(d.id),
                contact_id: d.contact_id,
                stored_title: &d.title,
                stored_body: &d.body,
                title: &outgoing.title,
                body: &outgoing.body,
                link: d.link.as_deref(),
            };
            let key = outgoing.contact.as_ref().and_then(|c| c.key.as_ref());
            (entry, key)
        });
        write_deliveries(tx, entries.collect(), now).await
    }
}

/// One inbox entry: stored texts keep the contact's name as a placeholder; `title` and
/// `body` have it filled in for the live event.
pub struct Entry<'a> {
    pub user_id: i64,
    pub delivery_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub stored_title: &'a str,
    pub stored_body: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub link: Option<&'a str>,
}

/// An alert for every active holder of `permission` (a delivery given up, a channel
/// that needs reconnecting): their inbox entries, and the events to publish after commit.
pub async fn alert_holders(
    conn: &impl ConnectionTrait,
    permission: &str,
    title: &str,
    body: &str,
    link: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, DbErr> {
    let holders = crate::permissions::holders(conn, permission).await?;
    let active = user::Entity::find()
        .filter(user::Column::Id.is_in(holders))
        .filter(user::Column::Status.eq(user::STATUS_ACTIVE))
        .all(conn)
        .await?;
    let mut events = Vec::with_capacity(active.len());
    for holder in active {
        let entry = Entry {
            user_id: holder.id,
            delivery_id: None,
            contact_id: None,
            stored_title: title,
            stored_body: body,
            title,
            body,
            link: Some(link),
        };
        events.extend(write(conn, entry, None, now).await?);
    }
    Ok(events)
}

/// Writes the entries of deliveries (each with its `delivery_id`) and their events,
/// [`db::ROWS_PER_STATEMENT`] a statement where the database returns inserted rows; entries
/// already written are skipped, as in [`write`].
async fn write_deliveries(
    conn: &impl ConnectionTrait,
    entries: Vec<(Entry<'_>, Option<&DataKey>)>,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, DbErr> {
    if !conn.support_returning() {
        let mut events = Vec::with_capacity(entries.len());
        for (entry, key) in entries {
            events.extend(write(conn, entry, key, now).await?);
        }
        return Ok(events);
    }
    let mut drafts = Vec::with_capacity(entries.len());
    for chunk in entries.chunks(db::ROWS_PER_STATEMENT) {
        let rows = chunk.iter().map(|(entry, _)| row(entry, now));
        let inserted = match notification::Entity::insert_many(rows)
            .on_conflict_do_nothing_on([notification::Column::DeliveryId])
            .exec_with_returning_many(conn)
            .await?
        {
            TryInsertResult::Inserted(rows) => rows,
            TryInsertResult::Conflicted | TryInsertResult::Empty => Vec::new(),
        };
        let by_delivery: HashMap<i64, &(Entry, Option<&DataKey>)> = chunk
            .iter()
            .filter_map(|pair| pair.0.delivery_id.map(|id| (id, pair)))
            .collect();
        for stored in inserted {
            let Some((entry, key)) = stored.delivery_id.and_then(|id| by_delivery.get(&id)) else {
                return Err(DbErr::Custom(
                    "inbox entry returned that was not inserted".into(),
                ));
            };
            drafts.push((*key, draft(entry, stored.id, *key, now)));
        }
    }
    events::record_many(conn, now, drafts).await
}

/// Writes the entry and its `notification` event (audience: the recipient alone) on
/// `conn`; `None` when this delivery's entry already exists.
pub async fn write(
    conn: &impl ConnectionTrait,
    entry: Entry<'_>,
    key: Option<&DataKey>,
    now: DateTime<Utc>,
) -> Result<Option<Event>, DbErr> {
    let id = match notification::Entity::insert(row(&entry, now))
        .on_conflict_do_nothing_on([notification::Column::DeliveryId])
        .exec(conn)
        .await?
    {
        TryInsertResult::Inserted(done) => done.last_insert_id,
        TryInsertResult::Conflicted | TryInsertResult::Empty => return Ok(None),
    };
    let event = events::record(conn, key, now, draft(&entry, id, key, now)).await?;
    Ok(Some(event))
}

fn row(entry: &Entry<'_>, now: DateTime<Utc>) -> notification::ActiveModel {
    notification::ActiveModel {
        user_id: Set(entry.user_id),
        delivery_id: Set(entry.delivery_id),
        contact_id: Set(entry.contact_id),
        title: Set(entry.stored_title.to_owned()),
        body: Set(entry.stored_body.to_owned()),
        link: Set(entry.link.map(str::to_owned)),
        created_at: Set(now),
        read_at: Set(None),
        ..Default::default()
    }
}

/// The `notification` event of inbox entry `id`, for the recipient alone. Filled-in
/// texts in the stored event are sealed under the contact's key like every personal
/// value.
fn draft(entry: &Entry<'_>, id: i64, key: Option<&DataKey>, now: DateTime<Utc>) -> Draft {
    let dto = NotificationDto {
        id,
        title: entry.title.to_owned(),
        body: entry.body.to_owned(),
        link: entry.link.map(str::to_owned),
        created_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        read_at: None,
    };
    let sealed: &'static [&'static str] = if entry.contact_id.is_some() && key.is_some() {
        &["title", "body"]
    } else {
        &[]
    };
    Draft {
        kind: "notification",
        contact_id: entry.contact_id,
        data: json!(dto),
        personal: sealed,
        audience: Audience::User {
            user_id: entry.user_id,
        },
    }
}
