//! The connection registry: every live socket, grouped by user, and fan-out to them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use dashmap::DashMap;
use dashmap::mapref::entry::Entry;
use tracing::{debug, info};

use crate::conn::{ConnHandle, Offer, Registration};
use crate::frames::{Close, Outbound};

/// Tunables of the hub; `Default` matches API.md (ping every 20 s, drop after 60 s of silence).
#[derive(Debug, Clone)]
pub struct HubConfig {
    /// Frames a socket may have pending before it is closed as a slow consumer.
    pub queue_capacity: usize,
    /// Interval of the server's WebSocket Ping.
    pub ping_every: Duration,
    /// Silence after which a socket is closed with `CLOSE_IDLE`.
    pub idle_timeout: Duration,
}

impl Default for HubConfig {
    fn default() -> Self {
        Self {
            queue_capacity: 256,
            ping_every: Duration::from_secs(20),
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// Why a handle leaves the registry during fan-out.
enum Eviction {
    Slow,
    Gone,
}

/// Registry of live sockets by user id; several tabs per user. Share it as `Arc<Hub>`.
/// A `Vec` per user rather than a `SmallVec`: `smallvec` is not a workspace dependency,
/// and most users have one or two tabs either way.
#[derive(Debug)]
pub struct Hub {
    conns: DashMap<i64, Vec<ConnHandle>>,
    next_conn_id: AtomicU64,
    config: HubConfig,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new(HubConfig::default())
    }
}

impl Hub {
    pub fn new(mut config: HubConfig) -> Self {
        // Zero would panic inside tokio (channel capacity, interval period).
        config.queue_capacity = config.queue_capacity.max(1);
        config.ping_every = config.ping_every.max(Duration::from_millis(1));
        Self {
            conns: DashMap::new(),
            next_conn_id: AtomicU64::new(1),
            config,
        }
    }

    pub fn config(&self) -> &HubConfig {
        &self.config
    }

    /// Adds a socket of `user_id`. The caller must hand the registration to
    /// [`crate::drive`], which unregisters it on exit; one dropped undriven is pruned by
    /// the next fan-out to its user.
    pub fn register(&self, user_id: i64, session_id: i64) -> Registration {
        let conn_id = self.next_conn_id.fetch_add(1, Ordering::Relaxed);
        let (handle, registration) =
            ConnHandle::new(conn_id, user_id, session_id, self.config.queue_capacity);
        self.conns.entry(user_id).or_default().push(handle);
        debug!(user_id, session_id, conn_id, "socket registered");
        registration
    }

    /// Removes a socket without sending it anything; a no-op if it is already gone.
    pub fn unregister(&self, user_id: i64, conn_id: u64) {
        if self.remove(user_id, conn_id).is_some() {
            debug!(user_id, conn_id, "socket unregistered");
        }
    }

    /// Queues event `seq`'s `frame` (one allocation) to every socket of each user for
    /// whom `audience(user_id)` holds; returns the number of sockets reached. Never waits
    /// on a socket: a full queue closes that socket with `CLOSE_SLOW_CONSUMER`.
    /// `audience` runs under a registry lock, so it must not call back into the hub.
    pub fn publish(&self, seq: i64, frame: Bytes, audience: impl Fn(i64) -> bool) -> usize {
        let item = Outbound::Event { seq, frame };
        let mut reached = 0;
        let mut evictions = Vec::new();
        for entry in self.conns.iter() {
            let user_id = *entry.key();
            if audience(user_id) {
                reached += offer_all(user_id, entry.value(), &item, &mut evictions);
            }
        }
        self.evict(evictions);
        reached
    }

    /// [`Self::publish`] for an event addressed to one user alone: a look-up, not a
    /// pass over every socket (one event for each of 200 recipients would otherwise
    /// cost 200 × every connected user).
    pub fn publish_to_user(&self, seq: i64, frame: Bytes, user_id: i64) -> usize {
        self.offer_user(user_id, Outbound::Event { seq, frame })
    }

    /// Queues a control frame (no seq) to one user's sockets.
    pub fn send_to_user(&self, user_id: i64, frame: Bytes) -> usize {
        self.offer_user(user_id, Outbound::Text(frame))
    }

    fn offer_user(&self, user_id: i64, item: Outbound) -> usize {
        let mut evictions = Vec::new();
        let reached = match self.conns.get(&user_id) {
            Some(conns) => offer_all(user_id, &conns, &item, &mut evictions),
            None => 0,
        };
        self.evict(evictions);
        reached
    }

    /// Queues a control frame (no seq) to every socket, such as `resync`.
    pub fn broadcast(&self, frame: Bytes) -> usize {
        let item = Outbound::Text(frame);
        let mut reached = 0;
        let mut evictions = Vec::new();
        for entry in self.conns.iter() {
            reached += offer_all(*entry.key(), entry.value(), &item, &mut evictions);
        }
        self.evict(evictions);
        reached
    }

    /// Closes every socket of a session (logout, revocation); returns how many.
    pub fn close_session(&self, session_id: i64, reason: &str) -> usize {
        let mut closing = Vec::new();
        self.conns.retain(|_, conns| {
            closing.extend(conns.extract_if(.., |conn| conn.session_id == session_id));
            !conns.is_empty()
        });
        close_each(closing, Close::new(crate::CLOSE_SESSION_REVOKED, reason))
    }

    /// Closes every socket of a user (account locked); returns how many.
    pub fn close_user(&self, user_id: i64, reason: &str) -> usize {
        let closing = self
            .conns
            .remove(&user_id)
            .map(|(_, conns)| conns)
            .unwrap_or_default();
        close_each(closing, Close::new(crate::CLOSE_ACCOUNT_LOCKED, reason))
    }

    /// Closes every socket with `CLOSE_GOING_AWAY` (graceful shutdown); returns how many.
    pub fn close_all(&self, reason: &str) -> usize {
        let mut closing = Vec::new();
        self.conns.retain(|_, conns| {
            closing.append(conns);
            false
        });
        close_each(closing, Close::new(crate::CLOSE_GOING_AWAY, reason))
    }

    /// The sessions with at least one open socket, each once.
    pub fn session_ids(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .conns
            .iter()
            .flat_map(|entry| {
                entry
                    .value()
                    .iter()
                    .map(|conn| conn.session_id)
                    .collect::<Vec<_>>()
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    pub fn connection_count(&self) -> usize {
        self.conns.iter().map(|entry| entry.value().len()).sum()
    }

    pub fn user_count(&self) -> usize {
        self.conns.len()
    }

    /// Takes a socket out of the registry, dropping the user's entry when it empties.
    fn remove(&self, user_id: i64, conn_id: u64) -> Option<ConnHandle> {
        let Entry::Occupied(mut entry) = self.conns.entry(user_id) else {
            return None;
        };
        let conns = entry.get_mut();
        let index = conns.iter().position(|conn| conn.conn_id == conn_id)?;
        let conn = conns.swap_remove(index);
        if conns.is_empty() {
            entry.remove();
        }
        Some(conn)
    }

    /// Runs after fan-out released its read locks, since removal needs a write lock.
    fn evict(&self, evictions: Vec<(i64, u64, Eviction)>) {
        for (user_id, conn_id, why) in evictions {
            let Some(conn) = self.remove(user_id, conn_id) else {
                continue;
            };
            match why {
                Eviction::Slow => {
                    info!(user_id, conn_id, "slow consumer closed");
                    // Its queue is full and the client resumes anyway: overtake the backlog.
                    conn.close_now(Close::slow_consumer());
                }
                Eviction::Gone => debug!(user_id, conn_id, "dropped socket pruned"),
            }
        }
    }
}

fn offer_all(
    user_id: i64,
    conns: &[ConnHandle],
    item: &Outbound,
    evictions: &mut Vec<(i64, u64, Eviction)>,
) -> usize {
    let mut reached = 0;
    for conn in conns {
        // A clone of the item is a reference-count increment on the shared bytes.
        match conn.offer(item.clone()) {
            Offer::Queued => reached += 1,
            Offer::Full => evictions.push((user_id, conn.conn_id, Eviction::Slow)),
            // The registration was dropped without being driven.
            Offer::Gone => evictions.push((user_id, conn.conn_id, Eviction::Gone)),
        }
    }
    reached
}

fn close_each(conns: Vec<ConnHandle>, close: Close) -> usize {
    let count = conns.len();
    for conn in conns {
        conn.close_after_queued(close.clone());
    }
    count
}

#[cfg(test)]
mod tests;
