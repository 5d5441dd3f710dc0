//! The one task that talks to the webhook: applies the rate limit, composes the
//! message and posts it. A webhook that fails is logged, never retried in a loop.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use secrecy::{ExposeSecret, SecretString};
use tokio::sync::mpsc;

use super::{Alert, Decision, Limiter, compose};
use crate::monitoring::metrics::{AlertOutcome, Metrics};

const POST_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Sender {
    queue: mpsc::Receiver<Alert>,
    url: SecretString,
    node: String,
    limiter: Limiter,
    metrics: Arc<Metrics>,
    dropped: Arc<AtomicU64>,
    client: reqwest::Client,
}

impl Sender {
    pub fn new(
        queue: mpsc::Receiver<Alert>,
        url: SecretString,
        node: String,
        limiter: Limiter,
        metrics: Arc<Metrics>,
        dropped: Arc<AtomicU64>,
    ) -> Self {
        Self {
            queue,
            url,
            node,
            limiter,
            metrics,
            dropped,
            client: reqwest::Client::builder()
                .timeout(POST_TIMEOUT)
                .build()
                .unwrap_or_default(),
        }
    }

    /// Runs until every `Monitor` handle is gone, posting what is still queued.
    pub async fn run(mut self) {
        while let Some(alert) = self.queue.recv().await {
            let summary = match self.limiter.admit(&alert.key(), alert.at) {
                Decision::Suppress => {
                    self.metrics.alert(AlertOutcome::Suppressed, 1);
                    continue;
                }
                Decision::Send(summary) => summary,
            };
            let dropped = self.dropped.swap(0, Ordering::Relaxed);
            let body = compose(&alert, &self.node, &summary, dropped);
            let outcome = self
                .client
                .post(self.url.expose_secret())
                .json(&body)
                .send()
                .await
                .and_then(reqwest::Response::error_for_status);
            match outcome {
                Ok(_) => self.metrics.alert(AlertOutcome::Sent, 1),
                Err(err) => {
                    // The URL holds the webhook's secret: keep it out of the log.
                    let err = err.without_url();
                    tracing::warn!(error = %err, "monitor webhook did not accept an alert");
                    self.metrics.alert(AlertOutcome::Failed, 1);
                }
            }
        }
    }
}
