//! What the server pushes to open sockets: committed events (through the feed) and
//! control frames — rights changed, session or account closed. Pushing is best-effort;
//! an HTTP answer never waits for a socket.
//!
//! With several server processes, each change is also relayed through the broker so
//! the other nodes close the same sockets and drop the same cached rights.

use std::{collections::HashSet, sync::Arc};

use bytes::Bytes;
use entities::session;
use hub::Hub;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::{
    auth::session_cache::SessionCache,
    broker::{Control, Relay},
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
    /// Set when the hubs of several processes are bridged.
    relay: Option<Relay>,
}

impl Live {
    pub fn new(
        hub: Arc<Hub>,
        clock: SharedClock,
        db: DatabaseConnection,
        relay: Option<Relay>,
    ) -> Self {
        Self {
            relay,
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

    /// The broker's state, when the hubs are bridged.
    pub fn relay(&self) -> Option<&Relay> {
        self.relay.as_ref()
    }

    fn tell_other_nodes(&self, control: Control) {
        if let Some(relay) = &self.relay {
            relay.control(control);
        }
    }

    /// Follows a change another node made (see the public methods, which also relay).
    pub fn apply(&self, control: Control) {
        match control {
            Control::SessionsRevoked { session_ids } => self.close_sessions(&session_ids),
            Control::AccountLocked { user_id } => self.close_account(user_id),
            Control::PermissionsChanged { user_ids } => self.reload_rights(&user_ids),
            Control::UsersChanged => self.sessions.clear(),
            Control::ReloadEvents => {
                let feed = self.feed.clone();
                tokio::spawn(async move { feed.reload().await });
            }
        }
    }

    /// Refreshes the users' rights for event routing and tells their open tabs to reload
    /// them (`GET /api/me`).
    pub fn permissions_changed(&self, user_ids: &[i64]) {
        if user_ids.is_empty() {
            return;
        }
        self.reload_rights(user_ids);
        self.tell_other_nodes(Control::PermissionsChanged {
            user_ids: user_ids.to_vec(),
        });
    }

    fn reload_rights(&self, user_ids: &[i64]) {
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
        self.tell_other_nodes(Control::UsersChanged);
    }

    pub fn sessions_revoked(&self, session_ids: &[i64]) {
        self.close_sessions(session_ids);
        self.tell_other_nodes(Control::SessionsRevoked {
            session_ids: session_ids.to_vec(),
        });
    }

    fn close_sessions(&self, session_ids: &[i64]) {
        self.sessions.clear();
        for session_id in session_ids {
            self.hub
                .close_session(*session_id, "Phiên đăng nhập đã kết thúc");
        }
    }

    /// Closes the sockets of sessions that ended while this node could not hear of it
    /// (the broker was down): logged out, revoked, locked or expired.
    pub async fn close_ended_sessions(&self) -> Result<usize, DbErr> {
        let open = self.hub.session_ids();
        let now = self.clock.now();
        let mut closed = 0;
        for chunk in open.chunks(500) {
            let alive: HashSet<i64> = session::Entity::find()
                .select_only()
                .column(session::Column::Id)
                .filter(session::Column::Id.is_in(chunk.to_vec()))
                .filter(session::Column::ExpiresAt.gt(now))
                .into_tuple::<i64>()
                .all(&self.db)
                .await?
                .into_iter()
                .collect();
            let ended: Vec<i64> = chunk
                .iter()
                .copied()
                .filter(|id| !alive.contains(id))
                .collect();
            closed += ended.len();
            self.close_sessions(&ended);
        }
        Ok(closed)
    }

    pub fn account_locked(&self, user_id: i64) {
        self.close_account(user_id);
        self.tell_other_nodes(Control::AccountLocked { user_id });
    }

    fn close_account(&self, user_id: i64) {
        self.sessions.clear();
        self.hub.close_user(user_id, "Tài khoản đã bị khoá");
    }
}
