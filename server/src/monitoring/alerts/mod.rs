//! The monitor webhook: 5xx answers and background-job failures are posted to
//! `ANKHANG_MONITOR_WEBHOOK_URL`. Reporting never blocks: alerts go through a bounded
//! queue to one sender task, which rate-limits and posts them; a full queue drops the
//! alert and counts it.

mod limiter;
mod message;
mod sender;

use std::{
    fmt::Display,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

use axum::http::{Method, StatusCode};
use secrecy::SecretString;
use tokio::{sync::mpsc, task::JoinHandle};

pub use limiter::{Decision, Limiter, Limits, Summary};
pub use message::{Alert, AlertKind, SlackBody, compose};

use super::metrics::{AlertOutcome, Metrics};
use crate::clock::SharedClock;

/// Alerts waiting for the sender; beyond this they are dropped (and counted).
const QUEUE: usize = 256;

#[derive(Clone)]
pub struct Monitor {
    queue: Option<mpsc::Sender<Alert>>,
    /// Alerts the full queue refused since the last message sent.
    dropped: Arc<AtomicU64>,
    metrics: Arc<Metrics>,
    clock: SharedClock,
}

impl Monitor {
    /// Starts the sender task when a webhook is configured; without one, failures are
    /// still counted in the metrics and logged. `limits` is the rate limit (tests may
    /// shorten its window).
    pub fn start(
        webhook: Option<SecretString>,
        limits: Limits,
        metrics: Arc<Metrics>,
        clock: SharedClock,
    ) -> (Self, Option<JoinHandle<()>>) {
        let dropped = Arc::new(AtomicU64::new(0));
        let (queue, task) = match webhook {
            Some(url) => {
                let (tx, rx) = mpsc::channel(QUEUE);
                let sender = sender::Sender::new(
                    rx,
                    url,
                    node_name(),
                    Limiter::new(limits),
                    metrics.clone(),
                    dropped.clone(),
                );
                (Some(tx), Some(tokio::spawn(sender.run())))
            }
            None => (None, None),
        };
        let monitor = Self {
            queue,
            dropped,
            metrics,
            clock,
        };
        (monitor, task)
    }

    /// A 5xx answer. `route` is the matched template, so no id or personal data leaks.
    pub fn server_error(
        &self,
        method: &Method,
        route: &str,
        status: StatusCode,
        error_id: Option<&str>,
    ) {
        self.enqueue(AlertKind::ServerError {
            method: method.as_str().to_owned(),
            route: route.to_owned(),
            status: status.as_u16(),
            error_id: error_id.map(str::to_owned),
        });
    }

    /// A failed run of a background job: logged, counted and alerted.
    pub fn job_failed(&self, job: &'static str, error: &dyn Display) {
        let detail = format!("{error:#}");
        tracing::error!(job, error = %detail, "background job failed");
        self.metrics.job_failed(job);
        self.enqueue(AlertKind::BackgroundJob { job, detail });
    }

    fn enqueue(&self, kind: AlertKind) {
        let Some(queue) = &self.queue else { return };
        let alert = Alert {
            kind,
            at: self.clock.now(),
        };
        if queue.try_send(alert).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            self.metrics.alert(AlertOutcome::Dropped, 1);
        }
    }
}

/// The host name shown in alerts, so several nodes can share one channel.
fn node_name() -> String {
    hostname::get()
        .ok()
        .and_then(|name| name.into_string().ok())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "không rõ".to_owned())
}
