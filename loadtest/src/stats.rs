//! Per-worker recording and the final report.
//!
//! Each virtual user owns a [`Recorder`] so the hot loop never takes a lock; the
//! recorders are merged once the run is over. Latencies are kept as raw microsecond
//! samples and sorted at the end: percentiles are then exact, and even a fast run
//! (tens of thousands of req/s for a few minutes) stays within tens of megabytes.

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::pick::PickCheck;

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
    /// A 2xx answer whose body is not what the API promises.
    Malformed,
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

    pub fn label(self) -> String {
        match self {
            Self::Status(code) => code.to_string(),
            Self::Timeout => "timeout".into(),
            Self::Connect => "connect".into(),
            Self::Transport => "transport".into(),
            Self::Malformed => "malformed".into(),
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
        self.latencies_us.push(micros(latency));
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

pub fn micros(latency: Duration) -> u64 {
    u64::try_from(latency.as_micros()).unwrap_or(u64::MAX)
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

/// Exact below this many µs; above, each power of two is split into
/// [`HIST_SUB`] buckets, so a reported value is at most 1/128 (< 0.8 %) below
/// the true sample.
const HIST_LINEAR: u64 = 256;
const HIST_SUB: u64 = 128;
/// `HIST_LINEAR` exact buckets, then `HIST_SUB` for each power of two from 2^8 to 2^63.
const HIST_BUCKETS: usize = (HIST_LINEAR + 56 * HIST_SUB) as usize;

/// A latency histogram in µs that many tasks record into at once, lock-free: for
/// samples too many to keep one by one (a frame per socket per event). Fixed size
/// (about 60 KiB) whatever the sample count; percentiles are the lower bound of
/// their bucket (exact below 256 µs, within 0.8 % above), the maximum is exact.
#[derive(Debug)]
pub struct SharedHistogram {
    buckets: Vec<AtomicU64>,
    max_us: AtomicU64,
}

impl Default for SharedHistogram {
    fn default() -> Self {
        Self {
            buckets: (0..HIST_BUCKETS).map(|_| AtomicU64::new(0)).collect(),
            max_us: AtomicU64::new(0),
        }
    }
}

impl SharedHistogram {
    pub fn record(&self, latency: Duration) {
        let us = micros(latency);
        if let Some(bucket) = self.buckets.get(hist_index(us)) {
            bucket.fetch_add(1, Ordering::Relaxed);
        }
        self.max_us.fetch_max(us, Ordering::Relaxed);
    }

    pub fn count(&self) -> u64 {
        self.buckets.iter().map(|b| b.load(Ordering::Relaxed)).sum()
    }

    /// Nearest-rank percentile, as [`percentile`] computes it on raw samples.
    pub fn percentile(&self, p: f64) -> Option<u64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = (((p / 100.0) * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0u64;
        for (index, bucket) in self.buckets.iter().enumerate() {
            seen += bucket.load(Ordering::Relaxed);
            if seen >= rank {
                return Some(hist_floor(index));
            }
        }
        None
    }

    pub fn latency_ms(&self) -> LatencyMs {
        let ms = |us: u64| us as f64 / 1000.0;
        let has_samples = self.count() > 0;
        LatencyMs {
            p50: self.percentile(50.0).map(ms),
            p95: self.percentile(95.0).map(ms),
            p99: self.percentile(99.0).map(ms),
            max: has_samples.then(|| ms(self.max_us.load(Ordering::Relaxed))),
        }
    }
}

fn hist_index(us: u64) -> usize {
    if us < HIST_LINEAR {
        return us as usize;
    }
    // us >= 2^8: keep its top 8 bits; `shift` >= 1.
    let shift = u64::from(63 - us.leading_zeros()) - 7;
    let top = us >> shift; // 128..=255
    (HIST_LINEAR + (shift - 1) * HIST_SUB + (top - HIST_SUB)) as usize
}

/// The smallest value of bucket `index`.
fn hist_floor(index: usize) -> u64 {
    let index = index as u64;
    if index < HIST_LINEAR {
        return index;
    }
    let shift = (index - HIST_LINEAR) / HIST_SUB + 1;
    let top = (index - HIST_LINEAR) % HIST_SUB + HIST_SUB;
    top << shift
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
        let errors = count_with_kinds(self.errors, &self.errors_by_kind);
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
            ms_cell(self.p50_ms),
            ms_cell(self.p95_ms),
            ms_cell(self.p99_ms),
            ms_cell(self.max_ms),
        ];
        markdown_table(&header, &row)
    }
}

/// A one-row Markdown table, columns padded to their widest cell.
pub fn markdown_table(header: &[&str], row: &[String]) -> String {
    markdown_rows(header, &[row.to_vec()])
}

/// A Markdown table of several rows, columns padded to their widest cell.
pub fn markdown_rows(header: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, &w)| format!("{c:<w$}"))
            .collect();
        format!("| {} |", padded.join(" | "))
    };
    let head: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
    let mut out = vec![line(&head), line(&rule)];
    out.extend(rows.iter().map(|r| line(r)));
    out.join("\n")
}

/// How one answered pick ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickOutcome {
    /// `200`: the contact is now the Sale's.
    Won,
    /// `409 already_picked`: a rival was faster.
    Lost,
    /// `429 cooldown`: the server makes the Sale wait between picks.
    Cooldown { retry_after_secs: u64 },
    /// `409 daily_limit`: the Sale's quota for the contact's service type is used up.
    DailyLimit,
    /// Anything else, labelled by status and API error code (`409 not_available`).
    Other(String),
}

/// The `pick` scenario's recording: pick attempts and pool reads are timed apart,
/// since the reads (a page of 50 contacts) cost the server far more than a pick.
#[derive(Debug, Default)]
pub struct PickRecorder {
    /// Latency of every answered pick, whatever its outcome, in µs.
    pick_latencies_us: Vec<u64>,
    /// Latency of every answered pool read, in µs.
    read_latencies_us: Vec<u64>,
    read_errors: BTreeMap<ErrorKind, u64>,
    /// `(contact id, winner's user id)` of every `200`. A list, not a set: a contact
    /// won twice must stay visible to the double-assignment check.
    won: Vec<(i64, i64)>,
    lost: u64,
    cooldown: u64,
    daily_limit: u64,
    /// Other answers and transport failures of picks, by label.
    other: BTreeMap<String, u64>,
    /// A Sale found the pool empty (the run ended early).
    pool_emptied: bool,
}

impl PickRecorder {
    pub fn record_read(&mut self, status: StatusCode, latency: Duration) {
        self.read_latencies_us.push(micros(latency));
        if !status.is_success() {
            self.record_read_error(ErrorKind::Status(status.as_u16()));
        }
    }

    pub fn record_read_error(&mut self, kind: ErrorKind) {
        *self.read_errors.entry(kind).or_default() += 1;
    }

    pub fn record_pool_empty(&mut self) {
        self.pool_emptied = true;
    }

    pub fn record_pick(
        &mut self,
        contact_id: i64,
        sale_id: i64,
        outcome: &PickOutcome,
        latency: Duration,
    ) {
        self.pick_latencies_us.push(micros(latency));
        match outcome {
            PickOutcome::Won => self.won.push((contact_id, sale_id)),
            PickOutcome::Lost => self.lost += 1,
            PickOutcome::Cooldown { .. } => self.cooldown += 1,
            PickOutcome::DailyLimit => self.daily_limit += 1,
            PickOutcome::Other(label) => *self.other.entry(label.clone()).or_default() += 1,
        }
    }

    /// A pick that got no answer (timeout, reset connection …).
    pub fn record_pick_error(&mut self, kind: ErrorKind) {
        *self.other.entry(kind.label()).or_default() += 1;
    }

    pub fn won(&self) -> &[(i64, i64)] {
        &self.won
    }

    pub fn merge(&mut self, other: PickRecorder) {
        self.pick_latencies_us.extend(other.pick_latencies_us);
        self.read_latencies_us.extend(other.read_latencies_us);
        for (kind, n) in other.read_errors {
            *self.read_errors.entry(kind).or_default() += n;
        }
        self.won.extend(other.won);
        self.lost += other.lost;
        self.cooldown += other.cooldown;
        self.daily_limit += other.daily_limit;
        for (label, n) in other.other {
            *self.other.entry(label).or_default() += n;
        }
        self.pool_emptied |= other.pool_emptied;
    }

    pub fn into_summary(
        self,
        users: u32,
        contacts: u32,
        duration: Duration,
        elapsed: Duration,
        check: PickCheck,
    ) -> PickSummary {
        let won = self.won.len() as u64;
        let other: u64 = self.other.values().sum();
        let attempts = won + self.lost + self.cooldown + self.daily_limit + other;
        let read_errors: u64 = self.read_errors.values().sum();
        // Errors without an answer have no latency sample but are reads all the same.
        let transport_read_errors: u64 = self
            .read_errors
            .iter()
            .filter(|(kind, _)| !matches!(kind, ErrorKind::Status(_)))
            .map(|(_, n)| n)
            .sum();
        let secs = elapsed.as_secs_f64();
        let per_sec = |n: u64| if secs > 0.0 { n as f64 / secs } else { 0.0 };
        PickSummary {
            users,
            contacts,
            duration_secs: duration.as_secs(),
            elapsed_secs: secs,
            pool_emptied: self.pool_emptied,
            attempts,
            won,
            lost: self.lost,
            cooldown: self.cooldown,
            daily_limit: self.daily_limit,
            other,
            other_by_kind: self.other,
            picks_per_sec: per_sec(won),
            attempts_per_sec: per_sec(attempts),
            pick_latency: LatencyMs::of(self.pick_latencies_us),
            reads: self.read_latencies_us.len() as u64 + transport_read_errors,
            read_errors,
            read_errors_by_kind: self
                .read_errors
                .into_iter()
                .map(|(kind, n)| (kind.label(), n))
                .collect(),
            read_latency: LatencyMs::of(self.read_latencies_us),
            check,
        }
    }
}

/// Latency percentiles of one kind of request in ms; `None` without samples.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LatencyMs {
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    pub max: Option<f64>,
}

impl LatencyMs {
    pub fn of(mut samples_us: Vec<u64>) -> Self {
        samples_us.sort_unstable();
        Self {
            p50: percentile_ms(&samples_us, 50.0),
            p95: percentile_ms(&samples_us, 95.0),
            p99: percentile_ms(&samples_us, 99.0),
            max: samples_us.last().map(|&us| us as f64 / 1000.0),
        }
    }

    pub fn to_json(self) -> Value {
        let round = |v: Option<f64>| v.map(|ms| (ms * 1000.0).round() / 1000.0);
        json!({
            "p50": round(self.p50),
            "p95": round(self.p95),
            "p99": round(self.p99),
            "max": round(self.max),
        })
    }
}

pub fn ms_cell(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), |ms| format!("{ms:.2}"))
}

/// `3 (409 not_available: 2, timeout: 1)`, or `0`.
fn count_with_kinds(total: u64, by_kind: &BTreeMap<String, u64>) -> String {
    let mut cell = total.to_string();
    if !by_kind.is_empty() {
        let parts: Vec<String> = by_kind
            .iter()
            .map(|(kind, n)| format!("{kind}: {n}"))
            .collect();
        let _ = write!(cell, " ({})", parts.join(", "));
    }
    cell
}

/// What one `pick` run measured and what the double-assignment check found.
#[derive(Debug, Clone)]
pub struct PickSummary {
    pub users: u32,
    /// Contacts put in the pool for this run.
    pub contacts: u32,
    /// The requested duration: the most the run may take.
    pub duration_secs: u64,
    /// Wall time of the measured phase, the rates' denominator.
    pub elapsed_secs: f64,
    /// The run stopped because the pool was empty, not because time was up.
    pub pool_emptied: bool,
    /// Pick requests sent: the sum of the outcomes below.
    pub attempts: u64,
    pub won: u64,
    pub lost: u64,
    pub cooldown: u64,
    pub daily_limit: u64,
    pub other: u64,
    pub other_by_kind: BTreeMap<String, u64>,
    /// Successful picks per second.
    pub picks_per_sec: f64,
    pub attempts_per_sec: f64,
    pub pick_latency: LatencyMs,
    pub reads: u64,
    pub read_errors: u64,
    pub read_errors_by_kind: BTreeMap<String, u64>,
    pub read_latency: LatencyMs,
    pub check: PickCheck,
}

impl PickSummary {
    pub fn to_json(&self) -> Value {
        json!({
            "scenario": "pick",
            "users": self.users,
            "contacts": self.contacts,
            "duration_secs": self.duration_secs,
            "elapsed_secs": (self.elapsed_secs * 1000.0).round() / 1000.0,
            "pool_emptied": self.pool_emptied,
            "attempts": self.attempts,
            "outcomes": {
                "won": self.won,
                "lost": self.lost,
                "cooldown": self.cooldown,
                "daily_limit": self.daily_limit,
                "other": self.other,
                "other_by_kind": self.other_by_kind,
            },
            "picks_per_sec": (self.picks_per_sec * 10.0).round() / 10.0,
            "attempts_per_sec": (self.attempts_per_sec * 10.0).round() / 10.0,
            "latency_ms": self.pick_latency.to_json(),
            "pool_reads": {
                "requests": self.reads,
                "errors": self.read_errors,
                "errors_by_kind": self.read_errors_by_kind,
                "latency_ms": self.read_latency.to_json(),
            },
            "double_assignment_check": {
                "passed": self.check.passed(),
                "won": self.check.won,
                "distinct_won": self.check.distinct_won,
                "held": self.check.held,
                "held_before": self.check.held_before,
                "mismatched": self.check.mismatched,
            },
        })
    }

    /// The Markdown table of the picks, then one line each for the pool reads, the
    /// end of the run and the double-assignment check.
    pub fn to_table(&self) -> String {
        let header = [
            "scenario",
            "users",
            "contacts",
            "elapsed",
            "attempts",
            "won",
            "lost",
            "cooldown",
            "daily limit",
            "other",
            "picks/s",
            "attempts/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "double assignments",
        ];
        let row = [
            "pick".to_owned(),
            self.users.to_string(),
            self.contacts.to_string(),
            format!("{:.1} s", self.elapsed_secs),
            self.attempts.to_string(),
            self.won.to_string(),
            self.lost.to_string(),
            self.cooldown.to_string(),
            self.daily_limit.to_string(),
            count_with_kinds(self.other, &self.other_by_kind),
            format!("{:.1}", self.picks_per_sec),
            format!("{:.1}", self.attempts_per_sec),
            ms_cell(self.pick_latency.p50),
            ms_cell(self.pick_latency.p95),
            ms_cell(self.pick_latency.p99),
            ms_cell(self.pick_latency.max),
            if self.check.passed() {
                "none"
            } else {
                "DETECTED"
            }
            .to_owned(),
        ];
        let read = self.read_latency;
        let reads = format!(
            "pool reads (GET /api/contacts?status=new, 50 a page): {}, errors {}; \
             p50 {} ms, p95 {} ms, p99 {} ms, max {} ms",
            self.reads,
            count_with_kinds(self.read_errors, &self.read_errors_by_kind),
            ms_cell(read.p50),
            ms_cell(read.p95),
            ms_cell(read.p99),
            ms_cell(read.max),
        );
        let end = if self.pool_emptied {
            format!(
                "stopped: pool empty after {:.1} s (limit {} s)",
                self.elapsed_secs, self.duration_secs
            )
        } else {
            format!(
                "stopped: {} s elapsed with contacts still in the pool",
                self.duration_secs
            )
        };
        let c = &self.check;
        let check = format!(
            "double-assignment check: {} — {} picks won, {} distinct contacts; {} contacts now \
             consulting with a load Sale ({} more held before the run, not counted); {} won \
             contacts not held by their winner",
            if c.passed() { "passed" } else { "FAILED" },
            c.won,
            c.distinct_won,
            c.held,
            c.held_before,
            c.mismatched,
        );
        [
            markdown_table(&header, &row),
            String::new(),
            reads,
            end,
            check,
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

    #[test]
    fn pick_summary_counts_outcomes_and_rates() {
        let mut a = PickRecorder::default();
        a.record_read(StatusCode::OK, Duration::from_millis(20));
        a.record_pick(1, 100, &PickOutcome::Won, Duration::from_millis(5));
        a.record_pick(2, 100, &PickOutcome::Lost, Duration::from_millis(7));
        let mut b = PickRecorder::default();
        b.record_read(StatusCode::SERVICE_UNAVAILABLE, Duration::from_millis(1));
        b.record_read_error(ErrorKind::Timeout);
        b.record_pick(3, 101, &PickOutcome::Won, Duration::from_millis(9));
        b.record_pick(
            4,
            101,
            &PickOutcome::Other("409 not_available".into()),
            Duration::from_millis(3),
        );
        b.record_pick_error(ErrorKind::Connect);
        b.record_pool_empty();
        a.merge(b);
        assert_eq!(a.won(), &[(1, 100), (3, 101)]);
        let check = PickCheck {
            won: 2,
            distinct_won: 2,
            held: 2,
            held_before: 0,
            mismatched: 0,
        };
        let s = a.into_summary(
            2,
            10,
            Duration::from_secs(60),
            Duration::from_secs(2),
            check,
        );
        assert_eq!((s.attempts, s.won, s.lost, s.other), (5, 2, 1, 2));
        assert!((s.picks_per_sec - 1.0).abs() < 1e-9);
        assert!((s.attempts_per_sec - 2.5).abs() < 1e-9);
        assert_eq!(s.pick_latency.p50, Some(5.0)); // 4 samples: rank 2
        assert_eq!(s.pick_latency.max, Some(9.0));
        assert_eq!((s.reads, s.read_errors), (3, 2));
        assert!(s.pool_emptied);
        let json = s.to_json();
        assert_eq!(json["outcomes"]["other_by_kind"]["connect"], 1);
        assert_eq!(json["double_assignment_check"]["passed"], true);
        let table = s.to_table();
        assert!(table.contains("2 (409 not_available: 1, connect: 1)"));
        assert!(table.contains("| none"));
        assert!(table.contains("check: passed"));
    }

    #[test]
    fn shared_histogram_is_exact_when_small_and_close_when_large() {
        let h = SharedHistogram::default();
        assert_eq!(h.percentile(50.0), None);
        for us in 1..=100 {
            h.record(Duration::from_micros(us));
        }
        assert_eq!(h.percentile(50.0), Some(50));
        assert_eq!(h.percentile(99.0), Some(99));
        for us in [1_000u64, 123_456, 9_999_999, u64::MAX / 2] {
            let floor = hist_floor(hist_index(us));
            assert!(floor <= us && us - floor <= us / 128, "{us} -> {floor}");
            assert!(hist_index(us) < HIST_BUCKETS);
        }
        assert_eq!(hist_index(u64::MAX), HIST_BUCKETS - 1);
        h.record(Duration::from_millis(250));
        assert_eq!(h.count(), 101);
        let ms = h.latency_ms();
        assert_eq!(ms.max, Some(250.0));
        assert_eq!(ms.p50, Some(0.051));
    }
}
