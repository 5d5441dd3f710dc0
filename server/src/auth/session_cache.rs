//! Recently resolved sessions kept in memory: every authenticated request needs its
//! session and user, and a burst of requests (200 Sales racing for one contact) should
//! not queue for the database only to learn who is asking.
//!
//! In this process a change is exact: logout, revocation, locking and edits of
//! employees or teams clear the cache (through `Live`). A change made by another
//! process (the `ankhang` CLI, another server node) is seen once an entry is older than
//! [`MAX_AGE`]. Entries also stop being served when the session expires or is due to
//! slide, so the idle window keeps moving in the database.

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use dashmap::DashMap;
use entities::{session, user};

use super::session::SLIDE_GRANULARITY;

/// How stale a session changed by another process may be.
pub const MAX_AGE: Duration = Duration::from_secs(5);

struct Entry {
    session: session::Model,
    user: user::Model,
    loaded_at: Instant,
}

#[derive(Default)]
pub struct SessionCache {
    /// By the SHA-256 of the token, as the database keys sessions.
    entries: DashMap<String, Entry>,
    /// Bumped by every clear, so a lookup that raced one is not cached.
    generation: AtomicU64,
}

impl SessionCache {
    /// The live session and active user for `digest`, when known and still fresh.
    pub fn get(&self, digest: &str, now: DateTime<Utc>) -> Option<(session::Model, user::Model)> {
        let entry = self.entries.get(digest)?;
        let fresh = entry.loaded_at.elapsed() < MAX_AGE
            && entry.session.expires_at > now
            && now - entry.session.last_seen_at < SLIDE_GRANULARITY
            && entry.user.is_active();
        fresh.then(|| (entry.session.clone(), entry.user.clone()))
    }

    /// The generation to hand back to [`SessionCache::put`] with what is read next.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps a session read from the database at `generation`, unless a clear came since.
    pub fn put(&self, digest: String, session: session::Model, user: user::Model, generation: u64) {
        let loaded_at = Instant::now();
        self.entries.insert(
            digest.clone(),
            Entry {
                session,
                user,
                loaded_at,
            },
        );
        // Read before a clear, it may predate the change the clear announced. (A clear
        // after this check removes it itself.)
        if self.generation() != generation {
            self.entries.remove(&digest);
        }
    }

    /// Forgets everything: sessions ended, an account locked, employees or teams edited.
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration as Span;

    use super::*;

    fn pair(now: DateTime<Utc>) -> (session::Model, user::Model) {
        let session = session::Model {
            id: 1,
            user_id: 2,
            token_hash: "h".into(),
            remember: false,
            created_at: now,
            last_seen_at: now,
            expires_at: now + Span::days(3),
            ip: None,
            user_agent: None,
        };
        let user = user::Model {
            id: 2,
            username: "sale01".into(),
            full_name: "Sale".into(),
            email: None,
            phone: None,
            team_id: None,
            position: None,
            password_hash: String::new(),
            status: user::STATUS_ACTIVE.into(),
            created_at: now,
            updated_at: now,
            password_changed_at: now,
        };
        (session, user)
    }

    #[test]
    fn a_cached_session_is_served_until_cleared_or_due_to_slide() {
        let cache = SessionCache::default();
        let now = Utc::now();
        let (session, user) = pair(now);
        cache.put("h".into(), session, user, cache.generation());
        assert!(cache.get("h", now).is_some());
        assert!(cache.get("other", now).is_none());
        assert!(
            cache.get("h", now + SLIDE_GRANULARITY).is_none(),
            "due to slide: the database must see it"
        );
        cache.clear();
        assert!(cache.get("h", now).is_none());
    }

    #[test]
    fn a_read_that_raced_a_clear_is_not_kept() {
        let cache = SessionCache::default();
        let now = Utc::now();
        let before = cache.generation();
        cache.clear();
        let (session, user) = pair(now);
        cache.put("h".into(), session, user, before);
        assert!(cache.get("h", now).is_none());
    }
}
