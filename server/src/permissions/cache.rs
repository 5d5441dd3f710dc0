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

use super::{Grants, effective_many};

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
        if let Some(grants) = self.fresh(user_id) {
            return Ok(grants);
        }
        let mut loaded = self.load(conn, &[user_id]).await?;
        Ok(loaded.remove(&user_id).unwrap_or_default())
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
            match self.fresh(user_id) {
                Some(grants) => {
                    out.insert(user_id, grants);
                }
                None => stale.push(user_id),
            }
        }
        if !stale.is_empty() {
            out.extend(self.load(conn, &stale).await?);
        }
        Ok(out)
    }

    fn fresh(&self, user_id: i64) -> Option<Arc<Grants>> {
        self.entries
            .get(&user_id)
            .filter(|entry| entry.loaded_at.elapsed() < MAX_AGE)
            .map(|entry| entry.grants.clone())
    }

    /// Reads the users' rights from the database and keeps them.
    async fn load(
        &self,
        conn: &impl ConnectionTrait,
        user_ids: &[i64],
    ) -> Result<HashMap<i64, Arc<Grants>>, DbErr> {
        let generation = self.generation.load(Ordering::Acquire);
        let loaded_at = Instant::now();
        let loaded: HashMap<i64, Arc<Grants>> = effective_many(conn, user_ids)
            .await?
            .into_iter()
            .map(|(user_id, grants)| (user_id, Arc::new(grants)))
            .collect();
        for (user_id, grants) in &loaded {
            self.entries.insert(
                *user_id,
                Entry {
                    grants: grants.clone(),
                    loaded_at,
                },
            );
        }
        // Rights read before an invalidation may predate the change it announced: drop
        // them again. (An invalidation after this check removes them itself.)
        if self.generation.load(Ordering::Acquire) != generation {
            for user_id in loaded.keys() {
                self.entries.remove(user_id);
            }
        }
        Ok(loaded)
    }

    /// Forgets the rights of `user_ids`; their next request reads the database.
    pub fn invalidate(&self, user_ids: &[i64]) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        for user_id in user_ids {
            self.entries.remove(user_id);
        }
    }
}
