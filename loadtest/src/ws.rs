//! The `ws` scenario: how fast one `contact.created` event reaches every open
//! WebSocket.
//!
//! Set-up (not measured as throughput): `--sockets` sockets are opened on `GET /ws`,
//! round-robin over the Sales' tokens, `--connect-concurrency` handshakes at a time;
//! each socket's handshake latency is recorded. Timed part: the admin creates
//! `--events` contacts one after another at `--rate` per second while every socket
//! reads its frames. At the end every socket is closed with a close handshake.
//!
//! Fan-out latency of a frame = the instant the socket task read it − the instant
//! just before the admin's `POST /api/contacts` was sent. Both instants come from
//! this process's monotonic clock, so there is no clock skew and no rounding (the
//! frame's `at` has millisecond precision and is taken inside the server's
//! transaction, before the commit). The figure includes the POST's own handling
//! (insert and commit), which is reported apart so it can be subtracted. The POST's
//! response instant was not used: the event is published before the response is
//! written, so frames often arrive before it and latencies would go negative.
//!
//! Frames are matched to events by the contact id in `data.id`. Latencies go into
//! one [`SharedHistogram`], so memory does not grow with sockets × events.
//!
//! With `--nodes`, socket `i` opens on node `i % N` while the contacts are created
//! on node 0: the frames of the other nodes' sockets cross the broker, and the
//! fan-out is reported per node too.
//!
//! With `--server-pid`, the server's resident memory is read before the first socket
//! opens and again once all are open and idle: the difference per socket is what an
//! idle connection costs the server.

use std::{
    collections::HashMap,
    sync::{
        Arc, RwLock,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use anyhow::{Context as _, bail};
use reqwest::Client;
use serde_json::{Value, json};
use tokio::{
    sync::{Semaphore, mpsc, watch},
    task::JoinSet,
    time::{Instant, sleep_until},
};

use crate::{
    nodes::node_of,
    pace::{Batch, active_service_types, create_paced},
    progress::Progress,
    server_proc::{RssMeter, ServerRss},
    setup::{Endpoints, Session},
    socket::{
        Connected, Frame, Handshakes, SocketPlan, by_reason, close, connect_reported, read_until,
        reasons,
    },
    stats::{LatencyMs, SharedHistogram, markdown_table, micros, ms_cell, percentile},
};

/// Default of `--connect-concurrency`: WebSocket handshakes in flight at once.
pub const CONNECT_CONCURRENCY: usize = 50;
/// After the last event, how long to wait for frames still in flight.
pub const DRAIN_GRACE: Duration = Duration::from_secs(10);

/// What the socket tasks share with the admin's loop.
struct Shared {
    /// The run's epoch: per-event receive instants are kept as µs after it.
    epoch: Instant,
    /// Contact id → (event number, instant just before its POST was sent); filled
    /// in once the POST has answered with the id.
    sent: RwLock<HashMap<i64, (usize, Instant)>>,
    /// Per event: the latest receive instant over all sockets, µs after `epoch`.
    last_receipt_us: Vec<AtomicU64>,
    /// Per event: how many sockets received it.
    receipts: Vec<AtomicU64>,
    /// Fan-out latency of every matched frame.
    latency: SharedHistogram,
    /// The same, per node the socket is on (`--nodes`; one otherwise).
    per_node: Vec<SharedHistogram>,
    /// `contact.created` frames read by all sockets, matched or not: ends the wait
    /// for frames in flight early once every expected frame is in.
    frames: AtomicU64,
}

impl Shared {
    fn new(events: usize, nodes: usize) -> Self {
        Self {
            epoch: Instant::now(),
            sent: RwLock::new(HashMap::with_capacity(events)),
            last_receipt_us: (0..events).map(|_| AtomicU64::new(0)).collect(),
            receipts: (0..events).map(|_| AtomicU64::new(0)).collect(),
            latency: SharedHistogram::default(),
            per_node: (0..nodes).map(|_| SharedHistogram::default()).collect(),
            frames: AtomicU64::new(0),
        }
    }

    /// Records a frame of contact `id` read at `received` by a socket on `node`;
    /// `false` when the id is not (yet) one of this run's events.
    fn record(&self, id: i64, received: Instant, node: usize) -> bool {
        let found = match self.sent.read() {
            Ok(sent) => sent.get(&id).copied(),
            Err(poisoned) => poisoned.into_inner().get(&id).copied(),
        };
        let Some((event, sent_at)) = found else {
            return false;
        };
        let latency = received.saturating_duration_since(sent_at);
        self.latency.record(latency);
        if let Some(per_node) = self.per_node.get(node) {
            per_node.record(latency);
        }
        let at_us = micros(received.saturating_duration_since(self.epoch));
        if let Some(last) = self.last_receipt_us.get(event) {
            last.fetch_max(at_us, Ordering::Relaxed);
        }
        if let Some(n) = self.receipts.get(event) {
            n.fetch_add(1, Ordering::Relaxed);
        }
        true
    }

    fn insert(&self, id: i64, event: usize, sent_at: Instant) {
        let mut sent = match self.sent.write() {
            Ok(sent) => sent,
            Err(poisoned) => poisoned.into_inner(),
        };
        sent.insert(id, (event, sent_at));
    }
}

/// What one socket saw once connected.
#[derive(Debug, Default)]
struct SocketReport {
    /// `contact.created` frames of this run's events.
    matched: u64,
    /// `contact.created` frames of contacts this run did not create.
    foreign: u64,
    /// The socket ended before the run did (server closed it, transport error).
    dropped: Option<String>,
    /// The close handshake completed.
    closed_cleanly: bool,
}

/// Set-up, timed run and close; the caller prints the summary.
pub async fn benchmark(
    client: &Client,
    endpoints: &Endpoints,
    admin_token: &str,
    sales: Vec<Session>,
    plan: SocketPlan<'_>,
    progress: Progress,
) -> anyhow::Result<WsSummary> {
    if sales.is_empty() {
        bail!("the ws scenario needs at least one Sale");
    }
    let SocketPlan {
        sockets,
        events,
        rate,
        connect_concurrency,
        server,
        nodes,
    } = plan;
    let service_types = active_service_types(client, endpoints, admin_token).await?;
    let event_count = usize::try_from(events)?;
    let shared = Arc::new(Shared::new(event_count, nodes.len()));
    let (stop_tx, stop_rx) = watch::channel(false);
    let (connected_tx, mut connected_rx) = mpsc::unbounded_channel();
    let gate = crate::socket::gate(connect_concurrency);

    eprintln!(
        "opening {sockets} sockets over {} Sales and {} node(s), {connect_concurrency} at a \
         time …",
        sales.len(),
        nodes.len()
    );
    let rss = RssMeter::start(server);
    let mut tasks = JoinSet::new();
    for (index, sale) in (0..usize::try_from(sockets)?).zip(sales.iter().cycle()) {
        let url = plan.ws_url(index).context("no node to open a socket on")?;
        tasks.spawn(socket_task(
            (url.clone(), node_of(index, nodes.len())),
            sale.token.clone(),
            Arc::clone(&gate),
            connected_tx.clone(),
            stop_rx.clone(),
            Arc::clone(&shared),
        ));
    }
    drop(connected_tx);
    let phase = progress.phase("sockets", u64::from(sockets));
    let handshakes = Handshakes::gather(&mut connected_rx, sockets, &phase).await;
    phase.finish(&handshakes.describe());
    let connected = handshakes.connected();
    if connected == 0 {
        bail!("no socket connected{}", reasons(&handshakes.failures));
    }
    let server_rss = rss.finish(connected).await;

    eprintln!("creating {events} contacts at {rate} per second …");
    let phase = progress.phase("contacts", u64::from(events));
    let mut sent_at = Vec::with_capacity(event_count);
    let batch = Batch {
        service_types: &service_types,
        count: events,
        rate,
        first: 0,
    };
    let paced = create_paced(
        client,
        endpoints,
        admin_token,
        batch,
        &phase,
        |event, id, before| {
            shared.insert(id, event, before);
            sent_at.push(before);
        },
    )
    .await?;
    phase.finish(&format!(
        "{events} created in {:.1} s",
        paced.elapsed.as_secs_f64()
    ));

    // Wait for the frames still in flight, or the grace period.
    let expected = connected * u64::from(events);
    let grace_end = Instant::now() + DRAIN_GRACE;
    while shared.frames.load(Ordering::Relaxed) < expected && Instant::now() < grace_end {
        sleep_until((Instant::now() + Duration::from_millis(20)).min(grace_end)).await;
    }

    eprintln!("closing the sockets …");
    // Every receiver may be gone already (all sockets dropped): nothing to stop then.
    let _ = stop_tx.send(true);
    let mut report = SocketReport::default();
    let mut dropped = Vec::new();
    let mut closed_cleanly = 0u64;
    while let Some(joined) = tasks.join_next().await {
        let Some(socket) = joined.context("a socket task panicked")? else {
            continue;
        };
        report.matched += socket.matched;
        report.foreign += socket.foreign;
        dropped.extend(socket.dropped);
        closed_cleanly += u64::from(socket.closed_cleanly);
    }

    let mut to_all_us: Vec<u64> = sent_at
        .iter()
        .zip(&shared.last_receipt_us)
        .zip(&shared.receipts)
        .filter(|(_, n)| n.load(Ordering::Relaxed) >= connected)
        .map(|((sent, last), _)| {
            let sent_us = micros(sent.saturating_duration_since(shared.epoch));
            last.load(Ordering::Relaxed).saturating_sub(sent_us)
        })
        .collect();
    to_all_us.sort_unstable();
    let ms = |us: Option<u64>| us.map(|us| us as f64 / 1000.0);
    Ok(WsSummary {
        users: u32::try_from(sales.len())?,
        sockets,
        connected,
        connect_failed: handshakes.failed(),
        connect_p50_ms: handshakes.percentile_ms(50.0),
        connect_p95_ms: handshakes.percentile_ms(95.0),
        connect_failures: handshakes.failures,
        events,
        send_secs: paced.elapsed.as_secs_f64(),
        post_latency: LatencyMs::of(paced.post_us),
        expected,
        received: report.matched,
        missing: expected.saturating_sub(report.matched),
        foreign: report.foreign,
        fan_out: shared.latency.latency_ms(),
        per_node: shared
            .per_node
            .iter()
            .map(SharedHistogram::latency_ms)
            .collect(),
        events_to_all: to_all_us.len() as u64,
        to_all_p50_ms: ms(percentile(&to_all_us, 50.0)),
        to_all_p99_ms: ms(percentile(&to_all_us, 99.0)),
        to_all_max_ms: ms(to_all_us.last().copied()),
        dropped: by_reason(dropped),
        closed_cleanly,
        server_rss,
    })
}

/// One socket on `node`: connect (within the `gate`), report the handshake, then read
/// frames until `stop`, and close. `None` when the handshake failed.
async fn socket_task(
    (url, node): (reqwest::Url, usize),
    token: String,
    gate: Arc<Semaphore>,
    connected: mpsc::UnboundedSender<Connected>,
    mut stop: watch::Receiver<bool>,
    shared: Arc<Shared>,
) -> Option<SocketReport> {
    let mut socket = connect_reported(&url, &token, &gate, connected).await?;

    let mut report = SocketReport::default();
    // Frames of contacts whose POST had not answered yet when they arrived.
    let mut pending: Vec<(i64, Instant)> = Vec::new();
    let stopped = async move {
        // A dropped sender also means the run is over.
        let _ = stop.changed().await;
    };
    report.dropped = read_until(&mut socket, stopped, |text, received| {
        if let Some(id) = Frame::parse(text).and_then(|f| f.created()) {
            shared.frames.fetch_add(1, Ordering::Relaxed);
            if shared.record(id, received, node) {
                report.matched += 1;
            } else {
                pending.push((id, received));
            }
        }
    })
    .await;
    // By now every POST has answered: the rest are ids of other contacts.
    for (id, received) in pending {
        if shared.record(id, received, node) {
            report.matched += 1;
        } else {
            report.foreign += 1;
        }
    }
    if report.dropped.is_none() {
        report.closed_cleanly = close(&mut socket).await;
    }
    Some(report)
}

/// What one `ws` run measured.
#[derive(Debug, Clone)]
pub struct WsSummary {
    /// Sales whose tokens the sockets share.
    pub users: u32,
    /// Sockets asked for.
    pub sockets: u32,
    pub connected: u64,
    pub connect_failed: u64,
    /// Failed handshakes by reason (HTTP status, `timeout`, `io: …`).
    pub connect_failures: Vec<(String, u64)>,
    pub connect_p50_ms: Option<f64>,
    pub connect_p95_ms: Option<f64>,
    /// Contacts created, one event each.
    pub events: u32,
    /// Wall time the admin took to create them.
    pub send_secs: f64,
    /// Latency of the admin's `POST /api/contacts`.
    pub post_latency: LatencyMs,
    /// `events × connected`.
    pub expected: u64,
    /// Frames of this run's events read by the sockets.
    pub received: u64,
    pub missing: u64,
    /// `contact.created` frames of contacts not created by this run.
    pub foreign: u64,
    /// Per frame: receive instant − the instant its POST was sent.
    pub fan_out: LatencyMs,
    /// The same per node the sockets were on (one entry without `--nodes`).
    pub per_node: Vec<LatencyMs>,
    /// Events that reached every connected socket.
    pub events_to_all: u64,
    /// Per event reaching all sockets: the last socket's receive instant − send instant.
    pub to_all_p50_ms: Option<f64>,
    pub to_all_p99_ms: Option<f64>,
    pub to_all_max_ms: Option<f64>,
    /// Sockets lost before the end of the run, by reason.
    pub dropped: Vec<(String, u64)>,
    /// Sockets whose close handshake completed.
    pub closed_cleanly: u64,
    /// The server's memory before and after opening the sockets.
    pub server_rss: ServerRss,
}

impl WsSummary {
    pub fn passed(&self) -> bool {
        self.missing == 0
    }

    pub fn to_json(&self) -> Value {
        let round = |v: Option<f64>| v.map(|ms| (ms * 1000.0).round() / 1000.0);
        let by_reason = |v: &[(String, u64)]| {
            v.iter()
                .map(|(why, n)| (why.clone(), json!(n)))
                .collect::<serde_json::Map<_, _>>()
        };
        json!({
            "scenario": "ws",
            "users": self.users,
            "sockets": {
                "requested": self.sockets,
                "connected": self.connected,
                "failed": self.connect_failed,
                "failed_by_reason": by_reason(&self.connect_failures),
                "connect_ms": {
                    "p50": round(self.connect_p50_ms),
                    "p95": round(self.connect_p95_ms),
                },
                "dropped_by_reason": by_reason(&self.dropped),
                "closed_cleanly": self.closed_cleanly,
            },
            "events": self.events,
            "send_secs": (self.send_secs * 1000.0).round() / 1000.0,
            "post_latency_ms": self.post_latency.to_json(),
            "frames": {
                "expected": self.expected,
                "received": self.received,
                "missing": self.missing,
                "foreign": self.foreign,
            },
            "fan_out_latency_ms": self.fan_out.to_json(),
            "fan_out_latency_ms_per_node": self
                .per_node
                .iter()
                .map(|l| l.to_json())
                .collect::<Vec<_>>(),
            "to_all_sockets_ms": {
                "events": self.events_to_all,
                "p50": round(self.to_all_p50_ms),
                "p99": round(self.to_all_p99_ms),
                "max": round(self.to_all_max_ms),
            },
            "server_rss": self.server_rss.to_json(),
        })
    }

    /// The Markdown table of the fan-out, then one line each for the sockets, the
    /// events and the frames.
    pub fn to_table(&self) -> String {
        let header = [
            "scenario",
            "users",
            "sockets",
            "events",
            "frames",
            "missing",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "all sockets p50 ms",
            "all sockets p99 ms",
            "server KB/socket",
        ];
        let row = [
            "ws".to_owned(),
            self.users.to_string(),
            format!("{}/{}", self.connected, self.sockets),
            self.events.to_string(),
            format!("{}/{}", self.received, self.expected),
            self.missing.to_string(),
            ms_cell(self.fan_out.p50),
            ms_cell(self.fan_out.p95),
            ms_cell(self.fan_out.p99),
            ms_cell(self.fan_out.max),
            ms_cell(self.to_all_p50_ms),
            ms_cell(self.to_all_p99_ms),
            self.server_rss.cell(),
        ];
        let dropped: u64 = self.dropped.iter().map(|(_, n)| n).sum();
        let sockets = format!(
            "sockets: {} connected, {} failed{}; connect p50 {} ms, p95 {} ms; {} dropped \
             during the run{}; {} closed cleanly",
            self.connected,
            self.connect_failed,
            reasons(&self.connect_failures),
            ms_cell(self.connect_p50_ms),
            ms_cell(self.connect_p95_ms),
            dropped,
            reasons(&self.dropped),
            self.closed_cleanly,
        );
        let post = self.post_latency;
        let events = format!(
            "events: {} contacts created in {:.1} s; POST /api/contacts p50 {} ms, p95 {} ms, \
             max {} ms (included in the fan-out latency, measured from each POST's send)",
            self.events,
            self.send_secs,
            ms_cell(post.p50),
            ms_cell(post.p95),
            ms_cell(post.max),
        );
        let frames = format!(
            "frames: {} expected, {} received, {} missing{}; {} of {} events reached every \
             socket (max {} ms)",
            self.expected,
            self.received,
            self.missing,
            if self.foreign > 0 {
                format!(", {} of other contacts ignored", self.foreign)
            } else {
                String::new()
            },
            self.events_to_all,
            self.events,
            ms_cell(self.to_all_max_ms),
        );
        let mut lines = vec![
            markdown_table(&header, &row),
            String::new(),
            sockets,
            events,
            frames,
        ];
        lines.extend(self.per_node_line());
        lines.push(self.server_rss.line());
        lines.join("\n")
    }

    /// `per node: 0 p50 … p99 … ms, 1 …`; only with more than one node.
    fn per_node_line(&self) -> Option<String> {
        if self.per_node.len() < 2 {
            return None;
        }
        let nodes: Vec<String> = self
            .per_node
            .iter()
            .enumerate()
            .map(|(i, l)| {
                format!(
                    "node {i} p50 {} / p99 {} / max {} ms",
                    ms_cell(l.p50),
                    ms_cell(l.p99),
                    ms_cell(l.max)
                )
            })
            .collect();
        Some(format!(
            "fan-out per node (contacts created on node 0): {}",
            nodes.join("; ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_before_the_post_answers_are_matched_later() {
        let shared = Shared::new(2, 2);
        let sent = Instant::now();
        let received = sent + Duration::from_millis(3);
        assert!(!shared.record(42, received, 1));
        shared.insert(42, 1, sent);
        assert!(shared.record(42, received, 1));
        assert_eq!(shared.receipts[1].load(Ordering::Relaxed), 1);
        assert_eq!(shared.latency.latency_ms().max, Some(3.0));
        assert_eq!(shared.per_node[1].latency_ms().max, Some(3.0));
        assert_eq!(shared.per_node[0].latency_ms().max, None);
    }

    #[test]
    fn the_table_says_when_server_memory_was_not_measured() {
        let summary = WsSummary {
            users: 2,
            sockets: 4,
            connected: 4,
            connect_failed: 0,
            connect_failures: Vec::new(),
            connect_p50_ms: Some(1.0),
            connect_p95_ms: Some(2.0),
            events: 1,
            send_secs: 0.1,
            post_latency: LatencyMs::default(),
            expected: 4,
            received: 4,
            missing: 0,
            foreign: 0,
            fan_out: LatencyMs::default(),
            per_node: vec![LatencyMs::default()],
            events_to_all: 1,
            to_all_p50_ms: None,
            to_all_p99_ms: None,
            to_all_max_ms: None,
            dropped: Vec::new(),
            closed_cleanly: 4,
            server_rss: ServerRss::NotMeasured,
        };
        assert!(summary.passed());
        assert!(summary.to_table().contains("| not measured"));
        assert_eq!(summary.to_json()["server_rss"]["measured"], false);
        let measured = WsSummary {
            server_rss: ServerRss::Measured {
                before_kb: 1_000,
                after_kb: 1_100,
                sockets: 4,
            },
            ..summary
        };
        assert_eq!(measured.to_json()["server_rss"]["per_socket_kb"], 25.0);
    }
}
