//! The live feed: committed events fanned out to the sockets allowed to see them, and
//! a ring of recent events to replay to reconnecting sockets. The ring is refilled from
//! the `events` table at start-up, so a restart loses nothing a client missed.
//!
//! With several server processes ([`Feed::share`]), other nodes append to the same
//! table: before publishing, the feed reads what they committed below its own seqs
//! (commits are in seq order, see `db::begin_write`), so every node's sockets see one
//! order with no gaps. The broker only says when to look.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, OnceLock, PoisonError},
};

use bytes::Bytes;
use dashmap::DashMap;
use entities::event;
use hub::{Hub, Registration, Replay, Reply};
use prometheus_client::metrics::counter::Counter;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::Value;

use super::{Audience, Event, store::sealed_field};
use crate::{
    broker::{Control, Relay},
    contacts::{
        recent_picks::RecentPicks,
        vault::{ERASED, Vault},
    },
    crypto::envelope::DataKey,
    permissions::Grants,
};

/// Recent events kept for resume: a few minutes of a busy day.
pub const RING_CAPACITY: usize = 10_000;
/// Rows read at a time when catching up with other nodes.
const CATCH_UP_PAGE: u64 = 1_000;

struct Held {
    seq: i64,
    frame: Bytes,
    audience: Audience,
}

struct Ring {
    events: VecDeque<Held>,
    /// Every event with a greater seq is in `events` (seqs may have gaps).
    floor: i64,
}

pub struct Feed {
    hub: Arc<Hub>,
    capacity: usize,
    ring: Mutex<Ring>,
    /// Rights of users with open sockets, so fan-out needs no database.
    grants: DashMap<i64, Arc<Grants>>,
    /// Held from commit to publish, so events reach the sockets in seq order.
    publishing: tokio::sync::Mutex<()>,
    /// Recent pick winners, learnt from the events published here.
    pub recent_picks: RecentPicks,
    /// Events published so far (a metric; clones share the count).
    published: Counter,
    /// Signalled after every commit that recorded events (the notification worker
    /// waits on it).
    commits: Arc<tokio::sync::Notify>,
    /// Set when other server processes share the event table.
    shared: OnceLock<Shared>,
}

/// The shared event table and the way to tell the other nodes about commits.
struct Shared {
    db: DatabaseConnection,
    vault: Arc<Vault>,
    relay: Relay,
}

pub const RESYNC: &str = r#"{"type":"resync"}"#;

impl Feed {
    pub fn new(hub: Arc<Hub>) -> Self {
        Self::with_capacity(hub, RING_CAPACITY)
    }

    pub fn with_capacity(hub: Arc<Hub>, capacity: usize) -> Self {
        Self {
            hub,
            capacity: capacity.max(1),
            ring: Mutex::new(Ring {
                events: VecDeque::new(),
                floor: 0,
            }),
            grants: DashMap::new(),
            publishing: tokio::sync::Mutex::new(()),
            recent_picks: RecentPicks::default(),
            published: Counter::default(),
            commits: Arc::default(),
            shared: OnceLock::new(),
        }
    }

    /// Several server processes share the event table: read theirs before publishing
    /// ours, and tell them through `relay` what this one committed.
    pub fn share(&self, db: DatabaseConnection, vault: Arc<Vault>, relay: Relay) {
        if self.shared.set(Shared { db, vault, relay }).is_err() {
            tracing::warn!("the live feed was already shared");
        }
    }

    /// The count of published events, for the metrics registry.
    pub fn published_counter(&self) -> Counter {
        self.published.clone()
    }

    /// Notified after each commit that recorded events; a waiter that was busy still
    /// finds the permit when it next waits.
    pub fn commits(&self) -> Arc<tokio::sync::Notify> {
        self.commits.clone()
    }

    pub fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }

    pub fn set_grants(&self, user_id: i64, grants: Arc<Grants>) {
        self.grants.insert(user_id, grants);
    }

    fn allowed(&self, user_id: i64, audience: &Audience) -> bool {
        self.grants
            .get(&user_id)
            .is_some_and(|g| audience.allows(user_id, &g))
    }

    /// Commits the change that recorded `events`, then publishes them. Seqs are taken
    /// under the database's write lock, so commits happen in seq order; holding
    /// `publishing` from commit to publish keeps that order on the sockets. Without it a
    /// later commit could publish first, and a client (which drops any seq at or below
    /// the highest it has seen) would lose the earlier event for good.
    pub async fn commit(&self, tx: DatabaseTransaction, events: Vec<Event>) -> Result<(), DbErr> {
        let _turn = self.publishing.lock().await;
        tx.commit().await?;
        if let (Some(shared), Some(first), Some(last)) =
            (self.shared.get(), events.first(), events.last())
        {
            // Other nodes' events below ours are committed by now: they go first.
            self.catch_up(shared, Some(first.seq - 1)).await;
            shared.relay.events_committed(last.seq);
        }
        self.publish(events);
        self.commits.notify_one();
        Ok(())
    }

    /// Publishes what other nodes committed, up to `through` (all of it when `None`):
    /// the broker said so, or it is down and this is the periodic look.
    pub async fn follow(&self, through: Option<i64>) {
        let Some(shared) = self.shared.get() else {
            return;
        };
        let _turn = self.publishing.lock().await;
        if self.catch_up(shared, through).await > 0 {
            self.commits.notify_one();
        }
    }

    /// Another node changed how stored events read: rebuild the ring.
    pub async fn reload(&self) {
        let Some(shared) = self.shared.get() else {
            return;
        };
        let _turn = self.publishing.lock().await;
        if let Err(err) = self.preload(&shared.db, &shared.vault).await {
            tracing::error!(%err, "cannot rebuild the event ring");
        }
    }

    /// Reads and publishes the shared table's events after the newest held one, up to
    /// `through`; returns how many. Call with `publishing` held. A database error
    /// leaves a hole nobody could replay: the ring restarts past it and the sockets
    /// are told to resync.
    async fn catch_up(&self, shared: &Shared, through: Option<i64>) -> usize {
        let mut after = self.latest_seq();
        let mut total = 0;
        while through.is_none_or(|through| through > after) {
            let page = match self.read_after(shared, after, through).await {
                Ok(page) => page,
                Err(err) => {
                    tracing::error!(%err, after, "cannot read other nodes' events; clients resync");
                    let skip_to = through.unwrap_or(after);
                    self.restart_ring(skip_to);
                    return total;
                }
            };
            let Some(last) = page.last_seq else { break };
            after = last;
            total += page.events.len();
            self.publish(page.events);
            if page.rows < CATCH_UP_PAGE {
                break;
            }
        }
        total
    }

    async fn read_after(
        &self,
        shared: &Shared,
        after: i64,
        through: Option<i64>,
    ) -> Result<Page, DbErr> {
        let mut query = event::Entity::find()
            .filter(event::Column::Id.gt(after))
            .order_by_asc(event::Column::Id)
            .limit(CATCH_UP_PAGE);
        if let Some(through) = through {
            query = query.filter(event::Column::Id.lte(through));
        }
        let rows = query.all(&shared.db).await?;
        let contact_ids: Vec<i64> = rows.iter().filter_map(|r| r.contact_id).collect();
        let keys = shared.vault.keys_for(&shared.db, &contact_ids).await?;
        Ok(Page {
            rows: rows.len() as u64,
            last_seq: rows.last().map(|row| row.id),
            events: rows
                .into_iter()
                .filter_map(|row| event_from_row(row, &keys))
                .collect(),
        })
    }

    /// Forgets the ring and answers resumes from before `seq` with `resync`.
    fn restart_ring(&self, seq: i64) {
        let mut ring = self.ring.lock().unwrap_or_else(PoisonError::into_inner);
        ring.events.clear();
        ring.floor = seq;
        self.hub.broadcast(Bytes::from_static(RESYNC.as_bytes()));
    }

    /// Commits a change that makes stored events read differently (a destroyed data
    /// key), then rebuilds the ring from the database, so no resume replays the old
    /// reading. Other commits wait meanwhile: none can slip between the two.
    pub async fn commit_and_reload(
        &self,
        tx: DatabaseTransaction,
        conn: &impl ConnectionTrait,
        vault: &Vault,
    ) -> Result<(), DbErr> {
        let _turn = self.publishing.lock().await;
        tx.commit().await?;
        if let Some(shared) = self.shared.get() {
            shared.relay.control(Control::ReloadEvents);
        }
        self.preload(conn, vault).await
    }

    /// Hands committed events to the ring and the sockets, in seq order. The ring lock
    /// is held across the fan-out so a concurrent resume sees one total order.
    fn publish(&self, events: Vec<Event>) {
        let mut ring = self.ring.lock().unwrap_or_else(PoisonError::into_inner);
        for event in events {
            // Already published (read back from the shared table by a catch-up).
            if ring.events.back().is_some_and(|held| held.seq >= event.seq) {
                continue;
            }
            self.published.inc();
            self.recent_picks.observe(&event);
            let frame = Bytes::from(event.frame());
            match event.audience {
                Audience::User { user_id } => {
                    if self.allowed(user_id, &event.audience) {
                        self.hub.publish_to_user(event.seq, frame.clone(), user_id);
                    }
                }
                _ => {
                    self.hub.publish(event.seq, frame.clone(), |user| {
                        self.allowed(user, &event.audience)
                    });
                }
            }
            push(&mut ring, self.capacity, event.seq, frame, event.audience);
        }
    }

    /// Registers a new socket of `user_id` and, when the client said where it left off
    /// (`GET /ws?after_seq=N`), takes the replay in the same instant: under the ring lock
    /// no event can be published between the two, so the socket gets each event exactly
    /// once, either replayed or live.
    pub fn connect(
        &self,
        user_id: i64,
        session_id: i64,
        grants: Arc<Grants>,
        after_seq: Option<i64>,
    ) -> (Registration, Option<Reply>) {
        self.set_grants(user_id, grants);
        let ring = self.ring.lock().unwrap_or_else(PoisonError::into_inner);
        let registration = self.hub.register(user_id, session_id);
        let reply = after_seq.map(|after| self.replay(&ring, user_id, after));
        (registration, reply)
    }

    /// Every held event after `after_seq` that the user may see, or `resync` when the
    /// ring no longer holds them all (`{"type":"resume"}`).
    pub fn resume(&self, user_id: i64, after_seq: i64) -> Reply {
        let ring = self.ring.lock().unwrap_or_else(PoisonError::into_inner);
        self.replay(&ring, user_id, after_seq)
    }

    fn replay(&self, ring: &Ring, user_id: i64, after_seq: i64) -> Reply {
        let through = ring.events.back().map_or(ring.floor, |held| held.seq);
        // Behind the ring: events are gone. Ahead of it: the database was restored from
        // a backup, and new events will reuse seqs the client would drop as seen.
        if after_seq < ring.floor || after_seq > through {
            return Reply::Frame(Bytes::from_static(RESYNC.as_bytes()));
        }
        let frames = ring
            .events
            .iter()
            .filter(|held| held.seq > after_seq && self.allowed(user_id, &held.audience))
            .map(|held| held.frame.clone())
            .collect();
        Reply::Replay(Replay { frames, through })
    }

    /// The newest `limit` events the user may see, newest first (the dashboard's
    /// activity list, which then follows the socket). Personal events (notifications)
    /// are not activity.
    pub fn recent(&self, user_id: i64, grants: &Grants, limit: usize) -> Vec<Bytes> {
        let ring = self.ring.lock().unwrap_or_else(PoisonError::into_inner);
        ring.events
            .iter()
            .rev()
            .filter(|held| {
                !matches!(held.audience, Audience::User { .. })
                    && held.audience.allows(user_id, grants)
            })
            .take(limit)
            .map(|held| held.frame.clone())
            .collect()
    }

    /// The newest seq, for clients starting fresh (`GET /api/events/latest`).
    pub fn latest_seq(&self) -> i64 {
        let ring = self.ring.lock().unwrap_or_else(PoisonError::into_inner);
        ring.events.back().map_or(ring.floor, |h| h.seq)
    }

    /// Refills the ring from the database (start-up), opening sealed personal values.
    pub async fn preload(&self, conn: &impl ConnectionTrait, vault: &Vault) -> Result<(), DbErr> {
        let capacity = u64::try_from(self.capacity).unwrap_or(u64::MAX);
        let mut rows = event::Entity::find()
            .order_by_desc(event::Column::Id)
            .limit(capacity)
            .all(conn)
            .await?;
        rows.reverse();
        let contact_ids: Vec<i64> = rows.iter().filter_map(|r| r.contact_id).collect();
        let keys = vault.keys_for(conn, &contact_ids).await?;
        let mut ring = self.ring.lock().unwrap_or_else(PoisonError::into_inner);
        ring.events.clear();
        ring.floor = match rows.first() {
            // A full ring may not reach back to the first event ever.
            Some(first) if rows.len() == self.capacity => first.id - 1,
            _ => 0,
        };
        for event in rows
            .into_iter()
            .filter_map(|row| event_from_row(row, &keys))
        {
            let frame = Bytes::from(event.frame());
            push(&mut ring, self.capacity, event.seq, frame, event.audience);
        }
        Ok(())
    }
}

/// One page of a catch-up: `rows` read (some may be unreadable and skipped).
struct Page {
    rows: u64,
    last_seq: Option<i64>,
    events: Vec<Event>,
}

/// A stored event as published: personal values opened with the contact's key.
fn event_from_row(row: event::Model, keys: &HashMap<i64, DataKey>) -> Option<Event> {
    let Ok(audience) = serde_json::from_str::<Audience>(&row.audience) else {
        tracing::error!(seq = row.id, "unreadable event audience; skipped");
        return None;
    };
    let mut data: Value = serde_json::from_str(&row.payload).unwrap_or(Value::Null);
    let key = row.contact_id.and_then(|id| keys.get(&id));
    open_sealed(&mut data, key);
    Some(Event {
        seq: row.id,
        at: row.at,
        kind: row.kind,
        data,
        audience,
    })
}

fn push(ring: &mut Ring, capacity: usize, seq: i64, frame: Bytes, audience: Audience) {
    ring.events.push_back(Held {
        seq,
        frame,
        audience,
    });
    while ring.events.len() > capacity {
        if let Some(old) = ring.events.pop_front() {
            ring.floor = old.seq;
        }
    }
}

fn open_sealed(data: &mut Value, key: Option<&DataKey>) {
    let Value::Object(map) = data else { return };
    for (field, value) in map.iter_mut() {
        let Some(sealed) = value.get("sealed").and_then(Value::as_str) else {
            continue;
        };
        let clear = key
            .and_then(|k| k.open(&sealed_field(field), sealed).ok())
            .unwrap_or_else(|| ERASED.to_owned());
        *value = Value::String(clear);
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use hub::{HubConfig, Outbound};
    use serde_json::json;

    use super::*;

    fn event(seq: i64) -> Event {
        Event {
            seq,
            at: Utc::now(),
            kind: "contact.created".into(),
            data: json!({ "id": seq }),
            audience: Audience::Pool,
        }
    }

    fn seq_of(frame: &[u8]) -> String {
        let value: Value = serde_json::from_slice(frame).expect("json");
        value["seq"]
            .as_i64()
            .map_or_else(|| value["type"].to_string(), |s| s.to_string())
    }

    /// The replayed seqs and the seq the replay covers, or `resync`.
    fn answer(reply: Reply) -> (Vec<String>, Option<i64>) {
        match reply {
            Reply::Replay(replay) => (
                replay.frames.iter().map(|f| seq_of(f)).collect(),
                Some(replay.through),
            ),
            Reply::Frame(frame) => (vec![seq_of(&frame)], None),
        }
    }

    fn sale_grants() -> Arc<Grants> {
        Arc::new(Grants {
            roles: Vec::new(),
            permissions: ["contacts.view".to_owned()].into_iter().collect(),
            ..Grants::default()
        })
    }

    #[test]
    fn resume_replays_what_the_ring_holds_and_asks_for_resync_beyond_it() {
        let hub = Arc::new(Hub::new(HubConfig::default()));
        let feed = Feed::with_capacity(hub.clone(), 3);
        feed.set_grants(7, sale_grants());
        // Seq gaps (rolled-back transactions) are normal.
        feed.publish(vec![event(1), event(2), event(4), event(5), event(7)]);
        assert_eq!(feed.latest_seq(), 7);

        let strings = |seqs: &[&str]| seqs.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            answer(feed.resume(7, 3)),
            (strings(&["4", "5", "7"]), Some(7))
        );
        assert_eq!(
            answer(feed.resume(7, 2)),
            (strings(&["4", "5", "7"]), Some(7)),
            "the gap after 2 is known empty"
        );
        assert_eq!(answer(feed.resume(7, 1)), (strings(&["\"resync\""]), None));
    }

    #[test]
    fn a_client_ahead_of_the_log_is_asked_to_resync_after_a_restore() {
        let hub = Arc::new(Hub::new(HubConfig::default()));
        let feed = Feed::with_capacity(hub.clone(), 10);
        feed.set_grants(7, sale_grants());
        // The restored database's log ends at 5; the client had seen up to 9.
        feed.publish(vec![event(4), event(5)]);
        assert_eq!(answer(feed.resume(7, 5)), (Vec::new(), Some(5)));
        assert_eq!(
            answer(feed.resume(7, 9)),
            (vec!["\"resync\"".to_owned()], None)
        );
    }

    #[test]
    fn users_outside_the_audience_get_nothing() {
        let hub = Arc::new(Hub::new(HubConfig::default()));
        let feed = Feed::with_capacity(hub.clone(), 10);
        feed.set_grants(8, Arc::default());
        let mut socket = hub.register(8, 1);
        feed.publish(vec![event(1)]);
        assert!(socket.rx.try_recv().is_err());
        assert_eq!(answer(feed.resume(8, 0)), (Vec::new(), Some(1)));
    }

    #[test]
    fn connecting_with_a_resume_point_splits_events_between_replay_and_queue() {
        let hub = Arc::new(Hub::new(HubConfig::default()));
        let feed = Feed::with_capacity(hub.clone(), 10);
        feed.publish(vec![event(1), event(2)]);
        let (mut socket, reply) = feed.connect(7, 1, sale_grants(), Some(1));
        feed.publish(vec![event(3)]);
        assert_eq!(
            answer(reply.expect("a replay")),
            (vec!["2".to_owned()], Some(2))
        );
        match socket.rx.try_recv() {
            Ok(Outbound::Event { seq, .. }) => assert_eq!(seq, 3),
            other => panic!("expected event 3 queued, got {other:?}"),
        }
        let (_, none) = feed.connect(7, 1, sale_grants(), None);
        assert!(none.is_none(), "no resume point, no replay");
    }
}
