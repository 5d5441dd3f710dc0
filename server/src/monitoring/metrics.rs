//! The Prometheus metrics of one application instance. Each `Application` owns its
//! registry (no process-global recorder), so tests running several servers in one
//! process read only their own counts.

use std::time::Duration;

use axum::http::StatusCode;
use prometheus_client::{
    encoding::{EncodeLabelSet, text},
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram},
    registry::Registry,
};

/// Seconds; from a cached read (~1 ms) to a slow export (10 s).
const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickOutcome {
    Won,
    /// Somebody else holds the contact.
    Lost,
    /// Cooldown, daily limit, rights or a missing contact.
    Refused,
}

impl PickOutcome {
    fn label(self) -> &'static str {
        match self {
            Self::Won => "won",
            Self::Lost => "lost",
            Self::Refused => "refused",
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    job: &'static str,
}

/// What became of a monitor alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlertOutcome {
    /// Posted to the webhook.
    Sent,
    /// Held back by the rate limit; summarised in the next message.
    Suppressed,
    /// The queue to the sender was full.
    Dropped,
    /// The webhook did not accept it.
    Failed,
}

impl AlertOutcome {
    fn label(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Suppressed => "suppressed",
            Self::Dropped => "dropped",
            Self::Failed => "failed",
        }
    }
}

type HistogramFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: HistogramFamily,
    sockets_open: Gauge,
    picks: Family<OutcomeLabels, Counter>,
    job_failures: Family<JobLabels, Counter>,
    alerts: Family<OutcomeLabels, Counter>,
    broker_connected: Gauge,
}

impl Metrics {
    /// `events_published` is owned by the live feed, which counts as it publishes.
    pub fn new(events_published: Counter) -> Self {
        let mut registry = Registry::with_prefix("ankhang");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, matched route and status class",
            requests.clone(),
        );
        let latency: HistogramFamily =
            Family::new_with_constructor(|| Histogram::new(LATENCY_BUCKETS));
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by matched route",
            latency.clone(),
        );
        let sockets_open = Gauge::default();
        registry.register(
            "websocket_connections",
            "WebSocket connections currently open",
            sockets_open.clone(),
        );
        registry.register(
            "events_published",
            "Live events published to the sockets",
            events_published,
        );
        let picks = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "picks",
            "Pick attempts by outcome: won, lost (someone else has it), refused (cooldown, daily limit, rights)",
            picks.clone(),
        );
        let job_failures = Family::<JobLabels, Counter>::default();
        registry.register(
            "background_job_failures",
            "Failed runs of background jobs, by job",
            job_failures.clone(),
        );
        let alerts = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "monitor_alerts",
            "Monitor webhook alerts by outcome: sent, suppressed (rate limit), dropped (queue full), failed",
            alerts.clone(),
        );
        let broker_connected = Gauge::default();
        registry.register(
            "broker_connected",
            "1 while connected to the broker (ANKHANG_BROKER_URL); 0 when it is down or not configured",
            broker_connected.clone(),
        );
        Self {
            broker_connected,
            registry,
            requests,
            latency,
            sockets_open,
            picks,
            job_failures,
            alerts,
        }
    }

    pub fn request(&self, method: &str, route: &str, status: StatusCode, elapsed: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status: status_class(status),
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(elapsed.as_secs_f64());
    }

    pub fn pick(&self, outcome: PickOutcome) {
        self.picks
            .get_or_create(&OutcomeLabels {
                outcome: outcome.label(),
            })
            .inc();
    }

    pub fn job_failed(&self, job: &'static str) {
        self.job_failures.get_or_create(&JobLabels { job }).inc();
    }

    pub fn alert(&self, outcome: AlertOutcome, count: u64) {
        self.alerts
            .get_or_create(&OutcomeLabels {
                outcome: outcome.label(),
            })
            .inc_by(count);
    }

    pub fn broker_connected(&self, connected: bool) {
        self.broker_connected.set(i64::from(connected));
    }

    /// The exposition text (OpenMetrics, which Prometheus reads natively).
    pub fn render(&self, sockets_open: usize) -> String {
        self.sockets_open
            .set(i64::try_from(sockets_open).unwrap_or(i64::MAX));
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = text::encode(&mut out, &self.registry);
        out
    }
}

fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_render_with_their_labels() {
        let events = Counter::default();
        let metrics = Metrics::new(events.clone());
        metrics.request(
            "GET",
            "/api/contacts/{id}",
            StatusCode::NOT_FOUND,
            Duration::from_millis(3),
        );
        metrics.pick(PickOutcome::Won);
        metrics.job_failed("backup");
        metrics.alert(AlertOutcome::Suppressed, 19);
        events.inc_by(4);
        metrics.broker_connected(true);
        let text = metrics.render(7);
        for line in [
            r#"ankhang_http_requests_total{method="GET",route="/api/contacts/{id}",status="4xx"} 1"#,
            r#"ankhang_http_request_duration_seconds_count{route="/api/contacts/{id}"} 1"#,
            "ankhang_websocket_connections 7",
            "ankhang_events_published_total 4",
            "ankhang_broker_connected 1",
            r#"ankhang_picks_total{outcome="won"} 1"#,
            r#"ankhang_background_job_failures_total{job="backup"} 1"#,
            r#"ankhang_monitor_alerts_total{outcome="suppressed"} 19"#,
        ] {
            assert!(text.contains(line), "{line} missing from\n{text}");
        }
        assert!(text.ends_with("# EOF\n"));
    }
}
