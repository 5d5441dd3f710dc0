//! What the server pushes to open sockets outside the event log: rights changed,
//! session or account closed. Each push is best-effort; the HTTP answer never
//! waits for a socket.

use std::sync::Arc;

use bytes::Bytes;
use hub::Hub;

use crate::clock::SharedClock;

#[derive(Clone)]
pub struct Live {
    pub hub: Arc<Hub>,
    clock: SharedClock,
}

impl Live {
    pub fn new(hub: Arc<Hub>, clock: SharedClock) -> Self {
        Self { hub, clock }
    }

    fn frame(&self, kind: &str) -> Bytes {
        let at = self
            .clock
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        Bytes::from(serde_json::json!({ "type": kind, "at": at }).to_string())
    }

    /// Tells the users' open tabs to reload their rights (`GET /api/me`).
    pub fn permissions_changed(&self, user_ids: &[i64]) {
        if user_ids.is_empty() {
            return;
        }
        let frame = self.frame("permissions.changed");
        for user_id in user_ids {
            self.hub.send_to_user(*user_id, frame.clone());
        }
    }

    pub fn sessions_revoked(&self, session_ids: &[i64]) {
        for session_id in session_ids {
            self.hub
                .close_session(*session_id, "Phiên đăng nhập đã kết thúc");
        }
    }

    pub fn account_locked(&self, user_id: i64) {
        self.hub.close_user(user_id, "Tài khoản đã bị khoá");
    }
}
