//! The in-app channel: an entry in the recipient's inbox and a `notification` event for
//! their open sockets, written in one transaction and published after commit. The
//! inbox row is unique per delivery, so a delivery sent twice shows once.

use std::{collections::HashMap, sync::Arc};

use api_types::NotificationDto;
use chrono::{DateTime, SecondsFormat, Utc};
use entities::{notification, user};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, TryInsertResult,
};
use serde_json::json;

use super::{Channel, ChannelError, Outgoing};
use crate::{
    clock::SharedClock,
    contacts::vault::Vault,
    crypto::envelope::DataKey,
    db,
    events::{self, Audience, Draft, Event, Feed},
};

pub const NAME: &str = "in_app";

pub struct InApp {
    db: DatabaseConnection,
    clock: SharedClock,
    feed: Arc<Feed>,
    vault: Arc<Vault>,
}

impl InApp {
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        feed: Arc<Feed>,
        vault: Arc<Vault>,
    ) -> Self {
        Self {
            db,
            clock,
            feed,
            vault,
        }
    }
}

#[async_trait::async_trait]
impl Channel for InApp {
    fn name(&self) -> &'static str {
        NAME
    }

    async fn send(&self, outgoing: &Outgoing) -> Result<(), ChannelError> {
        self.write_all(std::slice::from_ref(outgoing)).await
    }

    fn batches(&self) -> bool {
        true
    }

    async fn send_batch(&self, batch: &[Outgoing]) -> Vec<Result<(), ChannelError>> {
        match self.write_all(batch).await {
            Ok(()) => batch.iter().map(|_| Ok(())).collect(),
            Err(err) => {
                let err = err.to_string();
                batch
                    .iter()
                    .map(|_| Err(ChannelError::Unavailable(err.clone())))
                    .collect()
            }
        }
    }
}

impl InApp {
    /// Every entry of the batch and its event in one transaction, published after
    /// commit: one event for 200 recipients is one commit, not 200.
    async fn write_all(&self, batch: &[Outgoing]) -> Result<(), ChannelError> {
        let now = self.clock.now();
        let tx = db::begin_write(&self.db).await?;
        let mut keys: HashMap<i64, Option<DataKey>> = HashMap::new();
        let mut events = Vec::with_capacity(batch.len());
        for outgoing in batch {
            let d = &outgoing.delivery;
            let key = match d.contact_id {
                Some(id) => match keys.get(&id) {
                    Some(key) => key.clone(),
                    None => {
                        let key = self.vault.key_for(&tx, id).await?;
                        keys.insert(id, key.clone());
                        key
                    }
                },
                None => None,
            };
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
            events.extend(write(&tx, entry, key.as_ref(), now).await?);
        }
        self.feed.commit(tx, events).await?;
        Ok(())
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

/// Writes the entry and its `notification` event (audience: the recipient alone) on
/// `conn`; `None` when this delivery's entry already exists. Filled-in texts in the
/// stored event are sealed under the contact's key like every personal value.
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

pub async fn write(
    conn: &impl ConnectionTrait,
    entry: Entry<'_>,
    key: Option<&DataKey>,
    now: DateTime<Utc>,
) -> Result<Option<Event>, DbErr> {
    let row = notification::ActiveModel {
        user_id: Set(entry.user_id),
        delivery_id: Set(entry.delivery_id),
        contact_id: Set(entry.contact_id),
        title: Set(entry.stored_title.to_owned()),
        body: Set(entry.stored_body.to_owned()),
        link: Set(entry.link.map(str::to_owned)),
        created_at: Set(now),
        read_at: Set(None),
        ..Default::default()
    };
    let id = match notification::Entity::insert(row)
        .on_conflict_do_nothing_on([notification::Column::DeliveryId])
        .exec(conn)
        .await?
    {
        TryInsertResult::Inserted(done) => done.last_insert_id,
        TryInsertResult::Conflicted | TryInsertResult::Empty => return Ok(None),
    };
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
    let event = events::record(
        conn,
        key,
        now,
        Draft {
            kind: "notification",
            contact_id: entry.contact_id,
            data: json!(dto),
            personal: sealed,
            audience: Audience::User {
                user_id: entry.user_id,
            },
        },
    )
    .await?;
    Ok(Some(event))
}
