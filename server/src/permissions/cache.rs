//! Effective rights kept in memory between requests: every authenticated request needs
//! them, and loading them takes four queries.
//!
//! In this process a change is exact: whoever changes roles, overrides or a role's
//! permissions calls [`GrantsCache::invalidate`] (through `Live::permissions_changed`)
//! after the commit. A change made by another process (the `ankhang` CLI, another
//! server node) is picked up once an entry is older than [`MAX_AGE`].

use std::{
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use dashmap::DashMap;
use sea_orm::{ConnectionTrait, DbErr};

use super::{Grants, effective, effective_many};

/// How stale rights changed by another process may be.
pub const MAX_AGE: Duration = Duration::from_secs(15);

struct Entry {
    grants: Arc<Grants>,
    loaded_at: Instant,
}

#[derive(Default)]
pub struct GrantsCache {
    entries: DashMap<i64, Entry>,
    /// Bumped by every invalidation, so a load that raced one is not cached.
    generation: AtomicU64,
}

impl GrantsCache {
    /// The user's rights, from memory when fresh, else from the database.
    pub async fn get(
        &self,
        conn: &impl ConnectionTrait,
        user_id: i64,
    ) -> Result<Arc<Grants>, DbErr> {
        if let Some(entry) = self.entries.get(&user_id)
            && entry.loaded_at.elapsed() < MAX_AGE
        {
            return Ok(entry.grants.clone());
        }
        let generation = self.generation.load(Ordering::Acquire);
        let loaded_at = Instant::now();
        let grants = Arc::new(effective(conn, user_id).await?);
        self.entries.insert(
            user_id,
            Entry {
                grants: grants.clone(),
                loaded_at,
            },
        );
        // Rights read before an invalidation may predate the change it announced: drop
        // them again. (An invalidation after this check removes them itself.)
        if self.generation.load(Ordering::Acquire) != generation {
            self.entries.remove(&user_id);
        }
        Ok(grants)
    }

    /// Several users' rights: fresh ones from memory, the rest loaded together (a few
    /// queries for all of them, not four each).
    pub async fn get_many(
        &self,
        conn: &impl ConnectionTrait,
        user_ids: &[i64],
    ) -> Result<HashMap<i64, Arc<Grants>>, DbErr> {
        let mut out = HashMap::with_capacity(user_ids.len());
        let mut stale = Vec::new();
        for &user_id in user_ids {
            match self.entries.get(&user_id) {
                Some(entry) if entry.loaded_at.elapsed() < MAX_AGE => {
                    out.insert(user_id, entry.grants.clone());
                }
                _ => stale.push(user_id),
            }
        }
        if stale.is_empty() {
            return Ok(out);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let loaded_at = Instant::now();
        let loaded = effective_many(conn, &stale).await?;
        let raced = self.generation.load(Ordering::Acquire) != generation;
        for (user_id, grants) in loaded {
            let grants = Arc::new(grants);
            // Rights read before an invalidation may predate it: use, do not keep.
            if !raced {
                self.entries.insert(
                    user_id,
                    Entry {
                        grants: grants.clone(),
                        loaded_at,
                    },
                );
            }
            out.insert(user_id, grants);
        }
        Ok(out)
    }

    /// Forgets the rights of `user_ids`; their next request reads the database.
    pub fn invalidate(&self, user_ids: &[i64]) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        for user_id in user_ids {
            self.entries.remove(user_id);
        }
    }
}
