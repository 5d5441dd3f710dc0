//! Whether the server is stopping. Readiness answers `503` from the first moment of a
//! shutdown, and background tasks stop between two runs instead of mid-way.

use std::sync::Arc;

use tokio::sync::watch;

#[derive(Clone, Debug)]
pub struct Lifecycle {
    stopping: Arc<watch::Sender<bool>>,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Self {
            stopping: Arc::new(watch::Sender::new(false)),
        }
    }
}

impl Lifecycle {
    pub fn begin_shutdown(&self) {
        self.stopping.send_replace(true);
    }

    pub fn is_shutting_down(&self) -> bool {
        *self.stopping.borrow()
    }

    /// Resolves once a shutdown has begun (at once if it already has).
    pub async fn stopping(&self) {
        let mut watcher = self.stopping.subscribe();
        // The sender lives in `self`, so the channel cannot close while we wait.
        let _ = watcher.wait_for(|stopping| *stopping).await;
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn waiters_wake_when_a_shutdown_begins_and_later_ones_return_at_once() {
        let lifecycle = Lifecycle::default();
        assert!(!lifecycle.is_shutting_down());
        let waiter = tokio::spawn({
            let lifecycle = lifecycle.clone();
            async move { lifecycle.stopping().await }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!waiter.is_finished());
        lifecycle.begin_shutdown();
        tokio::time::timeout(Duration::from_secs(1), waiter)
            .await
            .expect("woken")
            .expect("joined");
        assert!(lifecycle.is_shutting_down());
        tokio::time::timeout(Duration::from_millis(100), lifecycle.stopping())
            .await
            .expect("already stopping");
    }
}
