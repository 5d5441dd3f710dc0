//! Per-worker recording and the final report.
//!
//! Each virtual user owns a [`Recorder`] so the hot loop never takes a lock; the
//! recorders are merged once the run is over. Latencies are kept as raw microsecond
//! samples and sorted at the end: percentiles are then exact, and even a fast run
//! (tens of thousands of req/s for a few minutes) stays within tens of megabytes.

use std::{collections::BTreeMap, fmt::Write as _, time::Duration};

use reqwest::StatusCode;
use serde_json::{Value, json};

/// Why a request did not count as a success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorKind {
    /// The server answered with a non-2xx status.
    Status(u16),
    /// No answer within the per-request timeout.
    Timeout,
    /// The TCP connection could not be opened.
    Connect,
    /// Any other transport failure (reset connection, malformed response, …).
    Transport,
}

impl ErrorKind {
    pub fn from_reqwest(err: &reqwest::Error) -> Self {
        if err.is_timeout() {
            Self::Timeout
        } else if err.is_connect() {
            Self::Connect
        } else {
            Self::Transport
        }
    }

    fn label(self) -> String {
        match self {
            Self::Status(code) => code.to_string(),
            Self::Timeout => "timeout".into(),
            Self::Connect => "connect".into(),
            Self::Transport => "transport".into(),
        }
    }
}

#[derive(Debug, Default)]
pub struct Recorder {
    /// Latency of every request that got an HTTP answer, 2xx or not, in µs.
    /// Transport errors have no meaningful latency and are only counted.
    latencies_us: Vec<u64>,
    ok: u64,
    errors: BTreeMap<ErrorKind, u64>,
}

impl Recorder {
    pub fn record_response(&mut self, status: StatusCode, latency: Duration) {
        self.latencies_us
            .push(u64::try_from(latency.as_micros()).unwrap_or(u64::MAX));
        if status.is_success() {
            self.ok += 1;
        } else {
            self.record_error(ErrorKind::Status(status.as_u16()));
        }
    }

    pub fn record_error(&mut self, kind: ErrorKind) {
        *self.errors.entry(kind).or_default() += 1;
    }

    pub fn merge(&mut self, other: Recorder) {
        self.latencies_us.extend(other.latencies_us);
        self.ok += other.ok;
        for (kind, n) in other.errors {
            *self.errors.entry(kind).or_default() += n;
        }
    }

    pub fn into_summary(
        mut self,
        scenario: &str,
        users: u32,
        duration: Duration,
        elapsed: Duration,
    ) -> Summary {
        self.latencies_us.sort_unstable();
        let errors: u64 = self.errors.values().sum();
        let requests = self.ok + errors;
        let secs = elapsed.as_secs_f64();
        Summary {
            scenario: scenario.to_owned(),
            users,
            duration_secs: duration.as_secs(),
            elapsed_secs: secs,
            requests,
            ok: self.ok,
            errors,
            errors_by_kind: self
                .errors
                .into_iter()
                .map(|(kind, n)| (kind.label(), n))
                .collect(),
            throughput_rps: if secs > 0.0 {
                requests as f64 / secs
            } else {
                0.0
            },
            p50_ms: percentile_ms(&self.latencies_us, 50.0),
            p95_ms: percentile_ms(&self.latencies_us, 95.0),
            p99_ms: percentile_ms(&self.latencies_us, 99.0),
            max_ms: self.latencies_us.last().map(|&us| us as f64 / 1000.0),
        }
    }
}

/// Nearest-rank percentile of ascending `sorted` samples: the smallest sample with
/// at least `p` % of all samples at or below it. `None` when there are no samples.
pub fn percentile(sorted: &[u64], p: f64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    // Float rank is fine: sample counts are far below 2^52.
    let rank = ((p / 100.0) * n as f64).ceil() as usize;
    sorted.get(rank.clamp(1, n) - 1).copied()
}

fn percentile_ms(sorted_us: &[u64], p: f64) -> Option<f64> {
    percentile(sorted_us, p).map(|us| us as f64 / 1000.0)
}

/// What one run measured; printed as a table or as one JSON object.
#[derive(Debug, Clone)]
pub struct Summary {
    pub scenario: String,
    pub users: u32,
    /// The requested duration.
    pub duration_secs: u64,
    /// Wall time of the measured phase, the throughput's denominator.
    pub elapsed_secs: f64,
    pub requests: u64,
    pub ok: u64,
    pub errors: u64,
    /// Error count per kind: HTTP status code, `timeout`, `connect`, `transport`.
    pub errors_by_kind: BTreeMap<String, u64>,
    pub throughput_rps: f64,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub max_ms: Option<f64>,
}

impl Summary {
    pub fn to_json(&self) -> Value {
        let round = |v: Option<f64>| v.map(|ms| (ms * 1000.0).round() / 1000.0);
        json!({
            "scenario": self.scenario,
            "users": self.users,
            "duration_secs": self.duration_secs,
            "elapsed_secs": (self.elapsed_secs * 1000.0).round() / 1000.0,
            "requests": self.requests,
            "ok": self.ok,
            "errors": self.errors,
            "errors_by_kind": self.errors_by_kind,
            "throughput_rps": (self.throughput_rps * 10.0).round() / 10.0,
            "latency_ms": {
                "p50": round(self.p50_ms),
                "p95": round(self.p95_ms),
                "p99": round(self.p99_ms),
                "max": round(self.max_ms),
            },
        })
    }

    /// A Markdown table, so the figures can be pasted into the README as they are.
    pub fn to_table(&self) -> String {
        let ms = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |ms| format!("{ms:.2}"));
        let mut errors = self.errors.to_string();
        if !self.errors_by_kind.is_empty() {
            let parts: Vec<String> = self
                .errors_by_kind
                .iter()
                .map(|(kind, n)| format!("{kind}: {n}"))
                .collect();
            let _ = write!(errors, " ({})", parts.join(", "));
        }
        let header = [
            "scenario", "users", "duration", "requests", "errors", "req/s", "p50 ms", "p95 ms",
            "p99 ms", "max ms",
        ];
        let row = [
            self.scenario.clone(),
            self.users.to_string(),
            format!("{} s", self.duration_secs),
            self.requests.to_string(),
            errors,
            format!("{:.1}", self.throughput_rps),
            ms(self.p50_ms),
            ms(self.p95_ms),
            ms(self.p99_ms),
            ms(self.max_ms),
        ];
        let widths: Vec<usize> = header
            .iter()
            .zip(&row)
            .map(|(h, r)| h.len().max(r.chars().count()))
            .collect();
        let line = |cells: Vec<String>| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(c, &w)| format!("{c:<w$}"))
                .collect();
            format!("| {} |", padded.join(" | "))
        };
        let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
        [
            line(header.iter().map(|h| (*h).to_owned()).collect()),
            line(rule),
            line(row.to_vec()),
        ]
        .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles_of_one_to_hundred() {
        let samples: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&samples, 50.0), Some(50));
        assert_eq!(percentile(&samples, 95.0), Some(95));
        assert_eq!(percentile(&samples, 99.0), Some(99));
        assert_eq!(percentile(&samples, 100.0), Some(100));
        assert_eq!(percentile(&samples, 0.0), Some(1));
    }

    #[test]
    fn percentile_rounds_rank_up_on_small_samples() {
        // 10 samples: p95 needs 9.5 samples at or below → the 10th.
        let samples: Vec<u64> = (1..=10).map(|v| v * 10).collect();
        assert_eq!(percentile(&samples, 50.0), Some(50));
        assert_eq!(percentile(&samples, 95.0), Some(100));
        assert_eq!(percentile(&[7], 99.0), Some(7));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn summary_merges_recorders_and_breaks_errors_down() {
        let mut a = Recorder::default();
        for ms in 1..=50 {
            a.record_response(StatusCode::OK, Duration::from_millis(ms));
        }
        let mut b = Recorder::default();
        for ms in 51..=100 {
            b.record_response(StatusCode::OK, Duration::from_millis(ms));
        }
        b.record_response(StatusCode::TOO_MANY_REQUESTS, Duration::from_millis(100));
        b.record_error(ErrorKind::Timeout);
        a.merge(b);
        let s = a.into_summary("me", 2, Duration::from_secs(10), Duration::from_secs(10));
        assert_eq!(s.requests, 102);
        assert_eq!(s.ok, 100);
        assert_eq!(s.errors, 2);
        assert_eq!(s.errors_by_kind.get("429"), Some(&1));
        assert_eq!(s.errors_by_kind.get("timeout"), Some(&1));
        assert_eq!(s.p50_ms, Some(51.0)); // 101 samples: rank 51
        assert_eq!(s.max_ms, Some(100.0));
        assert!((s.throughput_rps - 10.2).abs() < 1e-9);
        let json = s.to_json();
        assert_eq!(json["latency_ms"]["p99"], 100.0);
        assert!(s.to_table().contains("2 (429: 1, timeout: 1)"));
    }
}
