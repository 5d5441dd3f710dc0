//! What a `storm` run measured and found, as a Markdown table or one JSON object.

use serde_json::{Value, json};

use super::{CatchUp, SocketOutcome};
use crate::{
    server_proc::ServerRss,
    socket::{Handshakes, by_reason, reasons},
    stats::{LatencyMs, markdown_table, ms_cell},
};

/// The cost of one batch of events to the server.
#[derive(Debug, Clone, Default)]
pub struct BatchReport {
    pub elapsed_secs: f64,
    pub post_latency: LatencyMs,
}

/// The two batches: created with the sockets up, and while they were down.
#[derive(Debug, Clone, Default)]
pub struct Batches {
    pub before: BatchReport,
    pub during: BatchReport,
}

/// Everything the run gathered, for [`tally`].
pub struct Parts {
    pub users: u32,
    pub sockets: u32,
    pub events: u32,
    pub opened: Handshakes,
    pub reconnected: Handshakes,
    pub settled: CatchUp,
    pub batches: Batches,
    pub outcomes: Vec<SocketOutcome>,
    pub server_rss: ServerRss,
    pub rss_reconnected: ServerRss,
}

/// Sums the sockets' accounts into the summary.
pub fn tally(parts: Parts) -> StormSummary {
    let per_batch = usize::try_from(parts.events).unwrap_or(usize::MAX);
    let mut s = StormSummary {
        users: parts.users,
        sockets: parts.sockets,
        events: parts.events,
        connected: parts.opened.connected(),
        connect_failures: parts.opened.failures.clone(),
        connect: LatencyMs::of(parts.opened.latencies_us),
        batches: parts.batches,
        reconnecting: parts.outcomes.len() as u64,
        reconnected: parts.reconnected.connected(),
        reconnect_failures: parts.reconnected.failures.clone(),
        reconnect: LatencyMs::of(parts.reconnected.latencies_us),
        caught_up: parts.settled.caught_up_us.len() as u64,
        catch_up: LatencyMs::of(parts.settled.caught_up_us),
        unsettled: parts.settled.unsettled,
        server_rss: parts.server_rss,
        rss_reconnected: parts.rss_reconnected,
        ..StormSummary::default()
    };
    let mut lost_live = Vec::new();
    let mut lost_resumed = Vec::new();
    for outcome in parts.outcomes {
        let t = &outcome.tracker;
        s.missed_live += t.missed(0..per_batch);
        s.missed_down += t.missed(per_batch..2 * per_batch);
        s.resumed += t.resumed;
        s.duplicates += t.duplicates;
        s.resyncs += t.resyncs;
        s.foreign += t.foreign;
        s.closed_cleanly += u64::from(outcome.closed_cleanly);
        lost_live.extend(outcome.lost_live);
        lost_resumed.extend(outcome.lost_resumed);
    }
    s.lost_live = by_reason(lost_live);
    s.lost_resumed = by_reason(lost_resumed);
    s
}

#[derive(Debug, Clone, Default)]
pub struct StormSummary {
    pub users: u32,
    /// Sockets asked for.
    pub sockets: u32,
    /// Events per batch.
    pub events: u32,
    /// First connections made, their failures and handshakes.
    pub connected: u64,
    pub connect_failures: Vec<(String, u64)>,
    pub connect: LatencyMs,
    pub batches: Batches,
    /// Sockets dropped and reconnecting: those that had connected.
    pub reconnecting: u64,
    pub reconnected: u64,
    pub reconnect_failures: Vec<(String, u64)>,
    pub reconnect: LatencyMs,
    /// Sockets that read every event, and when, from the reconnect's start.
    pub caught_up: u64,
    pub catch_up: LatencyMs,
    /// Sockets neither caught up, resynced nor lost when the wait ended.
    pub unsettled: u64,
    /// Events of the first batch never read (sockets up).
    pub missed_live: u64,
    /// Events of the second batch never read (created while the sockets were down).
    pub missed_down: u64,
    /// Frames of this run's events read after the resume.
    pub resumed: u64,
    pub duplicates: u64,
    pub resyncs: u64,
    /// `contact.created` frames of contacts this run did not create.
    pub foreign: u64,
    /// First connections that ended before the drop, by reason.
    pub lost_live: Vec<(String, u64)>,
    /// Reconnects that failed or ended early, by reason.
    pub lost_resumed: Vec<(String, u64)>,
    pub closed_cleanly: u64,
    /// Server memory with the first connections open, and again after the reconnect.
    pub server_rss: ServerRss,
    pub rss_reconnected: ServerRss,
}

impl StormSummary {
    /// Nothing missed, nothing twice, no `resync`.
    pub fn passed(&self) -> bool {
        self.missed() == 0 && self.duplicates == 0 && self.resyncs == 0
    }

    pub fn missed(&self) -> u64 {
        self.missed_live + self.missed_down
    }

    /// Every reconnecting socket caught up: the reconnect's length, else `None`.
    fn all_caught_up_ms(&self) -> Option<f64> {
        (self.caught_up == self.reconnecting)
            .then_some(self.catch_up.max)
            .flatten()
    }

    pub fn to_json(&self) -> Value {
        let by_reason = |v: &[(String, u64)]| {
            v.iter()
                .map(|(why, n)| (why.clone(), json!(n)))
                .collect::<serde_json::Map<_, _>>()
        };
        let batch = |b: &BatchReport| {
            json!({
                "events": self.events,
                "send_secs": (b.elapsed_secs * 1000.0).round() / 1000.0,
                "post_latency_ms": b.post_latency.to_json(),
            })
        };
        json!({
            "scenario": "storm",
            "users": self.users,
            "passed": self.passed(),
            "sockets": {
                "requested": self.sockets,
                "connected": self.connected,
                "failed_by_reason": by_reason(&self.connect_failures),
                "connect_ms": self.connect.to_json(),
                "lost_before_drop_by_reason": by_reason(&self.lost_live),
            },
            "events_before_drop": batch(&self.batches.before),
            "events_while_down": batch(&self.batches.during),
            "reconnect": {
                "sockets": self.reconnecting,
                "connected": self.reconnected,
                "failed_by_reason": by_reason(&self.reconnect_failures),
                "connect_ms": self.reconnect.to_json(),
                "lost_by_reason": by_reason(&self.lost_resumed),
                "caught_up": self.caught_up,
                "catch_up_ms": self.catch_up.to_json(),
                "all_caught_up_ms": self.all_caught_up_ms().map(|ms| (ms * 1000.0).round() / 1000.0),
                "still_behind": self.unsettled,
                "closed_cleanly": self.closed_cleanly,
            },
            "frames": {
                "expected_live": self.connected * u64::from(self.events),
                "missed_live": self.missed_live,
                "expected_resumed": self.reconnecting * u64::from(self.events),
                "resumed": self.resumed,
                "missed_while_down": self.missed_down,
                "missed": self.missed(),
                "duplicates": self.duplicates,
                "resyncs": self.resyncs,
                "foreign": self.foreign,
            },
            "server_rss": self.server_rss.to_json(),
            "server_rss_after_reconnect": self.rss_reconnected.to_json(),
        })
    }

    /// The Markdown table of the reconnect, then one line each for the verdict, the
    /// sockets, the events and the server's memory.
    pub fn to_table(&self) -> String {
        let header = [
            "scenario",
            "sockets",
            "events up/down",
            "reconnect p50 ms",
            "p95",
            "p99",
            "max",
            "all caught up ms",
            "resumed frames",
            "missed",
            "duplicates",
            "resyncs",
            "server KB/socket",
        ];
        let row = [
            "storm".to_owned(),
            format!("{}/{}", self.connected, self.sockets),
            format!("{}/{}", self.events, self.events),
            ms_cell(self.reconnect.p50),
            ms_cell(self.reconnect.p95),
            ms_cell(self.reconnect.p99),
            ms_cell(self.reconnect.max),
            self.all_caught_up_ms()
                .map_or_else(|| "not all".to_owned(), |ms| format!("{ms:.1}")),
            format!(
                "{}/{}",
                self.resumed,
                self.reconnecting * u64::from(self.events)
            ),
            self.missed().to_string(),
            self.duplicates.to_string(),
            self.resyncs.to_string(),
            self.server_rss.cell(),
        ];
        let verdict = format!(
            "check: {} — {} events missed ({} while up, {} while down), {} duplicates, {} \
             resyncs; {} of {} sockets caught up (per socket p50 {} ms, p99 {} ms), {} still \
             behind at the limit",
            if self.passed() { "passed" } else { "FAILED" },
            self.missed(),
            self.missed_live,
            self.missed_down,
            self.duplicates,
            self.resyncs,
            self.caught_up,
            self.reconnecting,
            ms_cell(self.catch_up.p50),
            ms_cell(self.catch_up.p99),
            self.unsettled,
        );
        let lost = |v: &[(String, u64)]| v.iter().map(|(_, n)| n).sum::<u64>();
        let sockets = format!(
            "sockets: {} of {} connected{}, connect p50 {} ms, p95 {} ms; {} lost before the \
             drop{}; reconnect {} of {}{}, {} lost after{}; {} closed cleanly",
            self.connected,
            self.sockets,
            reasons(&self.connect_failures),
            ms_cell(self.connect.p50),
            ms_cell(self.connect.p95),
            lost(&self.lost_live),
            reasons(&self.lost_live),
            self.reconnected,
            self.reconnecting,
            reasons(&self.reconnect_failures),
            lost(&self.lost_resumed),
            reasons(&self.lost_resumed),
            self.closed_cleanly,
        );
        let batch = |what: &str, b: &BatchReport| {
            format!(
                "{what}: {} contacts in {:.1} s, POST p50 {} ms, p95 {} ms",
                self.events,
                b.elapsed_secs,
                ms_cell(b.post_latency.p50),
                ms_cell(b.post_latency.p95),
            )
        };
        let mut lines = vec![
            markdown_table(&header, &row),
            String::new(),
            verdict,
            sockets,
            batch("events with the sockets up", &self.batches.before),
            batch("events while they were down", &self.batches.during),
            self.server_rss.line(),
        ];
        if let ServerRss::Measured { .. } = self.rss_reconnected {
            lines.push(format!(
                "after the reconnect, {}",
                self.rss_reconnected.line()
            ));
        }
        if self.foreign > 0 {
            lines.push(format!(
                "{} frames of contacts created by others were ignored",
                self.foreign
            ));
        }
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        socket::{Frame, FrameKind},
        storm::tracker::Tracker,
    };

    fn outcome(tracker: Tracker) -> SocketOutcome {
        SocketOutcome {
            tracker,
            lost_live: None,
            lost_resumed: None,
            closed_cleanly: true,
        }
    }

    fn read_all(t: &mut Tracker, events: std::ops::Range<i64>, resumed: bool) {
        for id in events {
            let frame = Frame {
                seq: Some(id),
                kind: FrameKind::Created { id },
            };
            t.read(&frame, |id| usize::try_from(id).ok(), resumed);
        }
    }

    fn parts(outcomes: Vec<SocketOutcome>) -> Parts {
        Parts {
            users: 1,
            sockets: 2,
            events: 2,
            opened: Handshakes {
                latencies_us: vec![1_000, 2_000],
                failures: Vec::new(),
            },
            reconnected: Handshakes {
                latencies_us: vec![3_000, 4_000],
                failures: Vec::new(),
            },
            settled: CatchUp {
                caught_up_us: vec![5_000, 9_000],
                ..CatchUp::default()
            },
            batches: Batches::default(),
            outcomes,
            server_rss: ServerRss::NotMeasured,
            rss_reconnected: ServerRss::NotMeasured,
        }
    }

    #[test]
    fn sockets_that_resumed_everything_pass() {
        let mut a = Tracker::new(4);
        read_all(&mut a, 0..2, false);
        read_all(&mut a, 2..4, true);
        let b = a.clone();
        let s = tally(parts(vec![outcome(a), outcome(b)]));
        assert!(s.passed());
        assert_eq!((s.resumed, s.missed(), s.duplicates), (4, 0, 0));
        assert_eq!(s.all_caught_up_ms(), Some(9.0));
        let json = s.to_json();
        assert_eq!(json["frames"]["expected_resumed"], 4);
        assert_eq!(json["server_rss"]["measured"], false);
        let table = s.to_table();
        assert!(table.contains("| 4/4 "), "{table}");
        assert!(table.contains("check: passed"));
        assert!(table.contains("not measured"));
    }

    #[test]
    fn a_missed_or_repeated_event_fails_the_run() {
        let mut missed = Tracker::new(4);
        read_all(&mut missed, 0..2, false);
        read_all(&mut missed, 2..3, true);
        let mut repeated = Tracker::new(4);
        read_all(&mut repeated, 0..2, false);
        read_all(&mut repeated, 1..4, true);
        let mut p = parts(vec![outcome(missed), outcome(repeated)]);
        p.settled.caught_up_us = vec![5_000];
        p.settled.unsettled = 1;
        let s = tally(p);
        assert_eq!((s.missed_live, s.missed_down), (0, 1));
        assert_eq!(s.duplicates, 1);
        assert!(!s.passed());
        assert_eq!(s.all_caught_up_ms(), None);
        assert!(s.to_table().contains("not all"));
    }

    #[test]
    fn a_resync_fails_the_run() {
        let mut t = Tracker::new(4);
        read_all(&mut t, 0..4, false);
        t.read(
            &Frame {
                seq: None,
                kind: FrameKind::Resync,
            },
            |_| None,
            true,
        );
        let s = tally(parts(vec![outcome(t)]));
        assert_eq!(s.resyncs, 1);
        assert!(!s.passed());
    }
}
