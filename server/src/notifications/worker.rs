//! The background task started with the server: match new events, then send what is
//! due, again and again. It wakes as soon as a change with events commits (the feed's
//! commit signal), when the next retry falls due, and at the latest every few seconds
//! (events committed by another process). Failures are logged and alerted and the next
//! round tries again; nothing here ever holds up a request.

use std::{sync::Arc, time::Duration};

use tokio::{sync::Notify, task::JoinHandle};

use super::{dispatcher::Dispatcher, matcher::Matcher};
use crate::{clock::SharedClock, lifecycle::Lifecycle, monitoring::Monitor};

/// The job's name in logs, metrics and alerts.
pub const JOB: &str = "notifications";
/// The slowest the worker looks for work it was not told about.
const POLL: Duration = Duration::from_secs(5);
/// After a failed round, before the next.
const PAUSE_AFTER_ERROR: Duration = Duration::from_secs(2);

pub struct Worker {
    pub matcher: Matcher,
    pub dispatcher: Dispatcher,
    pub clock: SharedClock,
    pub wake: Arc<Notify>,
    pub monitor: Monitor,
}

impl Worker {
    /// Runs until a shutdown begins; a round in progress finishes first.
    pub fn spawn(self, lifecycle: Lifecycle) -> JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                let pause = match self.round().await {
                    Ok(pause) => pause,
                    Err(err) => {
                        self.monitor.job_failed(JOB, &err);
                        PAUSE_AFTER_ERROR
                    }
                };
                if pause.is_zero() {
                    if lifecycle.is_shutting_down() {
                        break;
                    }
                    tokio::task::yield_now().await;
                    continue;
                }
                tokio::select! {
                    biased;
                    () = lifecycle.stopping() => break,
                    () = self.wake.notified() => {}
                    () = tokio::time::sleep(pause) => {}
                }
            }
        })
    }

    /// One round; answers how long to rest before the next (zero: more work waits).
    async fn round(&self) -> Result<Duration, sea_orm::DbErr> {
        let started = std::time::Instant::now();
        let matched = self.matcher.run_once(self.clock.now()).await?;
        let matching = started.elapsed();
        let sent = self.dispatcher.run_once().await?;
        if matched.events > 0 || sent.sent + sent.retrying + sent.failed + sent.skipped > 0 {
            // Where a slow notification spent its time (`RUST_LOG=server::notifications=debug`).
            tracing::debug!(
                events = matched.events,
                deliveries = matched.deliveries,
                sent = sent.sent,
                matching_ms = matching.as_secs_f64() * 1e3,
                dispatching_ms = (started.elapsed() - matching).as_secs_f64() * 1e3,
                "notification round"
            );
        }
        if matched.events as u64 == super::matcher::BATCH || sent.full {
            return Ok(Duration::ZERO);
        }
        let until_due = sent
            .next_due
            .map(|at| (at - self.clock.now()).to_std().unwrap_or(Duration::ZERO));
        Ok(match until_due {
            // Due already (a retry became due during the round): a short breath, not
            // a busy loop on a row another worker holds.
            Some(wait) if wait.is_zero() => Duration::from_millis(50),
            Some(wait) => wait.min(POLL),
            None => POLL,
        })
    }
}
