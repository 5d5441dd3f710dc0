//! One socket's two ends: the handle the registry keeps and the registration the
//! driver consumes.

use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, oneshot};

use crate::frames::{Close, Outbound};

/// A new socket's end of the registry, consumed by [`crate::drive`].
#[derive(Debug)]
pub struct Registration {
    pub conn_id: u64,
    pub user_id: i64,
    pub session_id: i64,
    /// Frames fanned out to this socket, in order.
    pub rx: mpsc::Receiver<Outbound>,
    /// Out-of-band close request, so a close reaches a socket whose queue is full.
    pub(crate) close: CloseSignal,
}

/// Receiving side of a socket's close request.
#[derive(Debug)]
pub(crate) struct CloseSignal {
    rx: Option<oneshot::Receiver<Close>>,
}

impl CloseSignal {
    /// Resolves with the hub's close request; pends forever once the hub dropped the
    /// handle without one (the queue then ends, which the driver notices instead).
    pub(crate) async fn requested(&mut self) -> Close {
        if let Some(rx) = &mut self.rx {
            let received = rx.await;
            // A completed oneshot must not be polled again.
            self.rx = None;
            if let Ok(close) = received {
                return close;
            }
        }
        std::future::pending().await
    }

    pub(crate) fn try_take(&mut self) -> Option<Close> {
        let close = self.rx.as_mut()?.try_recv().ok();
        if close.is_some() {
            self.rx = None;
        }
        close
    }
}

/// The registry's end of one socket. Removing it from the map is what closes the socket,
/// so each socket is closed (or dropped) exactly once.
#[derive(Debug)]
pub(crate) struct ConnHandle {
    pub(crate) conn_id: u64,
    pub(crate) session_id: i64,
    tx: mpsc::Sender<Outbound>,
    close: oneshot::Sender<Close>,
}

pub(crate) enum Offer {
    Queued,
    Full,
    Gone,
}

impl ConnHandle {
    /// A connected pair: a queue of `capacity` frames plus the out-of-band close signal.
    pub(crate) fn new(
        conn_id: u64,
        user_id: i64,
        session_id: i64,
        capacity: usize,
    ) -> (Self, Registration) {
        let (tx, rx) = mpsc::channel(capacity);
        let (close_tx, close_rx) = oneshot::channel();
        let handle = Self {
            conn_id,
            session_id,
            tx,
            close: close_tx,
        };
        let registration = Registration {
            conn_id,
            user_id,
            session_id,
            rx,
            close: CloseSignal { rx: Some(close_rx) },
        };
        (handle, registration)
    }

    pub(crate) fn offer(&self, item: Outbound) -> Offer {
        match self.tx.try_send(item) {
            Ok(()) => Offer::Queued,
            Err(TrySendError::Full(_)) => Offer::Full,
            Err(TrySendError::Closed(_)) => Offer::Gone,
        }
    }

    /// Closes after the frames already queued (e.g. a last event before shutdown), unless
    /// the queue is full: then the close overtakes them.
    pub(crate) fn close_after_queued(self, close: Close) {
        if let Err(TrySendError::Full(_)) = self.tx.try_send(close.clone().into_outbound()) {
            self.close_now(close);
        }
    }

    pub(crate) fn close_now(self, close: Close) {
        // An error only means the driver has already gone.
        let _ = self.close.send(close);
    }
}
