//! What the server pushes to open sockets: committed events (through the feed) and
//! control frames — rights changed, session or account closed. Pushing is best-effort;
//! an HTTP answer never waits for a socket.

use std::sync::Arc;

use bytes::Bytes;
use hub::Hub;
use sea_orm::DatabaseConnection;

use crate::{
    auth::session_cache::SessionCache,
    clock::SharedClock,
    events::Feed,
    permissions::{self, GrantsCache},
};

#[derive(Clone)]
pub struct Live {
    pub hub: Arc<Hub>,
    pub feed: Arc<Feed>,
    /// Rights of recent callers, for the access guard.
    pub grants: Arc<GrantsCache>,
    /// Sessions of recent callers, for the access guard.
    pub sessions: Arc<SessionCache>,
    clock: SharedClock,
    db: DatabaseConnection,
}

impl Live {
    pub fn new(hub: Arc<Hub>, clock: SharedClock, db: DatabaseConnection) -> Self {
        Self {
            feed: Arc::new(Feed::new(hub.clone())),
            grants: Arc::default(),
            sessions: Arc::default(),
            hub,
            clock,
            db,
        }
    }

    fn frame(&self, kind: &str) -> Bytes {
        let at = self
            .clock
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        Bytes::from(serde_json::json!({ "type": kind, "at": at }).to_string())
    }

    /// Refreshes the users' rights for event routing and tells their open tabs to reload
    /// them (`GET /api/me`).
    pub fn permissions_changed(&self, user_ids: &[i64]) {
        if user_ids.is_empty() {
            return;
        }
        // Before this returns: the next request must see the new rights.
        self.grants.invalidate(user_ids);
        let frame = self.frame("permissions.changed");
        let (db, feed, hub, users) = (
            self.db.clone(),
            self.feed.clone(),
            self.hub.clone(),
            user_ids.to_vec(),
        );
        // Routing must use the new rights before the client hears of them.
        tokio::spawn(async move {
            for user_id in users {
                match permissions::effective(&db, user_id).await {
                    Ok(grants) => feed.set_grants(user_id, Arc::new(grants)),
                    Err(err) => tracing::error!(user_id, %err, "cannot reload rights"),
                }
                hub.send_to_user(user_id, frame.clone());
            }
        });
    }

    /// Employees' names, teams or statuses changed: requests read them afresh.
    pub fn users_changed(&self) {
        self.sessions.clear();
    }

    pub fn sessions_revoked(&self, session_ids: &[i64]) {
        self.sessions.clear();
        for session_id in session_ids {
            self.hub
                .close_session(*session_id, "Phiên đăng nhập đã kết thúc");
        }
    }

    pub fn account_locked(&self, user_id: i64) {
        self.sessions.clear();
        self.hub.close_user(user_id, "Tài khoản đã bị khoá");
    }
}
