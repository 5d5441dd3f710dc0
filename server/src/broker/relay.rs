//! The in-process side of the bridge: what this node has to tell the others, handed
//! over without waiting (an HTTP answer never waits for Redis), and whether the broker
//! is reachable.

use std::sync::{
    Arc, Mutex, PoisonError,
    atomic::{AtomicBool, AtomicI64, Ordering},
};

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, mpsc};

use super::wire::Control;

/// Control messages waiting for the publisher; they are rare (logouts, role edits).
const CONTROL_QUEUE: usize = 1024;

/// Hands this node's news to the publisher task. Cheap to clone.
#[derive(Clone)]
pub struct Relay {
    /// The highest seq committed here; hints coalesce, so a burst costs one message.
    committed: Arc<AtomicI64>,
    wake: Arc<Notify>,
    controls: mpsc::Sender<Control>,
    pub status: Arc<Status>,
}

/// The publisher task's end of a [`Relay`].
pub struct Outbox {
    pub committed: Arc<AtomicI64>,
    pub wake: Arc<Notify>,
    pub controls: mpsc::Receiver<Control>,
    /// The same status the relay shows `/readyz`, set by the broker's tasks.
    pub status: Arc<Status>,
}

pub fn relay() -> (Relay, Outbox) {
    let committed = Arc::new(AtomicI64::new(0));
    let wake = Arc::new(Notify::new());
    let (tx, rx) = mpsc::channel(CONTROL_QUEUE);
    let status: Arc<Status> = Arc::default();
    let relay = Relay {
        committed: committed.clone(),
        wake: wake.clone(),
        controls: tx,
        status: status.clone(),
    };
    let outbox = Outbox {
        committed,
        wake,
        controls: rx,
        status,
    };
    (relay, outbox)
}

impl Relay {
    /// Events up to `seq` are committed on this node.
    pub fn events_committed(&self, seq: i64) {
        self.committed.fetch_max(seq, Ordering::AcqRel);
        self.wake.notify_one();
    }

    pub fn control(&self, control: Control) {
        // Full means Redis has been unreachable for a while: the other nodes' caches
        // expire on their own (sessions within seconds), so dropping is safe.
        if self.controls.try_send(control).is_err() {
            tracing::warn!("broker queue full: a control message was dropped");
        }
    }
}

/// Whether this node is connected to the broker, for `/readyz` and `/metrics`.
#[derive(Default)]
pub struct Status {
    connected: AtomicBool,
    /// When the current outage began (or the first attempt failed) and why.
    outage: Mutex<Option<(DateTime<Utc>, String)>>,
}

impl Status {
    pub fn is_connected(&self) -> bool {
        self.connected.load(Ordering::Acquire)
    }

    /// The start and cause of the current outage, if the broker is unreachable.
    pub fn outage(&self) -> Option<(DateTime<Utc>, String)> {
        self.outage
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(super) fn connected(&self) {
        self.connected.store(true, Ordering::Release);
        *self.outage.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Marks the broker unreachable; true when this starts a new outage.
    pub(super) fn lost(&self, at: DateTime<Utc>, cause: String) -> bool {
        self.connected.store(false, Ordering::Release);
        let mut outage = self.outage.lock().unwrap_or_else(PoisonError::into_inner);
        if outage.is_some() {
            return false;
        }
        *outage = Some((at, cause));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_coalesce_to_the_highest_seq() {
        let (relay, outbox) = relay();
        relay.events_committed(5);
        relay.events_committed(9);
        relay.events_committed(7);
        assert_eq!(outbox.committed.load(Ordering::Acquire), 9);
    }

    #[test]
    fn an_outage_is_reported_once_until_the_broker_returns() {
        let status = Status::default();
        assert!(!status.is_connected());
        assert!(status.lost(Utc::now(), "refused".into()));
        assert!(!status.lost(Utc::now(), "refused again".into()));
        assert_eq!(
            status.outage().map(|(_, why)| why).as_deref(),
            Some("refused")
        );
        status.connected();
        assert!(status.is_connected() && status.outage().is_none());
        assert!(status.lost(Utc::now(), "closed".into()));
    }
}
