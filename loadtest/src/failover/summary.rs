//! What a `failover` run measured and found, as a Markdown table or one JSON object.

use serde_json::{Value, json};
use tokio::time::Instant;

use super::{Reconnect, SocketOutcome};
use crate::{
    pace::Paced,
    socket::{Handshakes, by_reason, reasons},
    stats::{LatencyMs, markdown_table, micros, ms_cell},
};

/// Everything the run gathered, for [`tally`].
pub struct Parts {
    pub nodes: usize,
    pub killed: usize,
    pub killed_at: Instant,
    pub users: u32,
    pub sockets: u32,
    pub events: u32,
    pub before_kill: u32,
    pub opened: Handshakes,
    /// Before and after the kill.
    pub batches: [Paced; 2],
    /// Per event, the instant just before its POST was sent.
    pub sent_at: Vec<Instant>,
    pub outcomes: Vec<SocketOutcome>,
}

#[derive(Debug, Clone, Default)]
pub struct FailoverSummary {
    pub nodes: usize,
    /// The node killed mid-run.
    pub killed: usize,
    pub users: u32,
    /// Sockets asked for.
    pub sockets: u32,
    pub connected: u64,
    pub connect_failures: Vec<(String, u64)>,
    pub connect: LatencyMs,
    /// Sockets opened on each node, and on each node at the end.
    pub first_per_node: Vec<u64>,
    pub last_per_node: Vec<u64>,
    pub events: u32,
    /// Events created before the kill.
    pub before_kill: u32,
    pub send_secs: f64,
    pub post_latency: LatencyMs,
    /// Sockets whose connection ended during the run, and why each ended.
    pub dropped: u64,
    pub drop_reasons: Vec<(String, u64)>,
    /// Reconnects that succeeded: from the drop until the new socket was open.
    pub reconnects: u64,
    pub reconnect: LatencyMs,
    /// From the kill until the last socket that lost the killed node was back.
    pub all_back_ms: Option<f64>,
    /// Over all reconnects, events whose POST was sent between the drop and the new
    /// socket's opening: the old socket cannot have read them, so they prove the
    /// resume rather than the live feed.
    pub sent_while_away: u64,
    /// Sockets that never got back, by reason.
    pub lost: Vec<(String, u64)>,
    /// Sockets that read every event.
    pub caught_up: u64,
    /// `events × connected`.
    pub expected: u64,
    pub missed: u64,
    pub duplicates: u64,
    pub out_of_order: u64,
    pub resyncs: u64,
    /// `contact.created` frames read on sockets opened by a reconnect.
    pub after_reconnect: u64,
    /// `contact.created` frames of contacts this run did not create.
    pub foreign: u64,
    pub closed_cleanly: u64,
}

/// Sums the sockets' accounts into the summary.
pub fn tally(parts: Parts) -> FailoverSummary {
    let events = usize::try_from(parts.events).unwrap_or(usize::MAX);
    let [first, second] = parts.batches;
    let mut post_us = first.post_us;
    post_us.extend(second.post_us);
    let mut s = FailoverSummary {
        nodes: parts.nodes,
        killed: parts.killed,
        users: parts.users,
        sockets: parts.sockets,
        connected: parts.opened.connected(),
        expected: parts.opened.connected() * u64::from(parts.events),
        connect_failures: parts.opened.failures.clone(),
        connect: LatencyMs::of(parts.opened.latencies_us),
        first_per_node: vec![0; parts.nodes],
        last_per_node: vec![0; parts.nodes],
        events: parts.events,
        before_kill: parts.before_kill,
        send_secs: (first.elapsed + second.elapsed).as_secs_f64(),
        post_latency: LatencyMs::of(post_us),
        ..FailoverSummary::default()
    };
    let mut reconnect_us = Vec::new();
    let mut drops = Vec::new();
    let mut lost = Vec::new();
    let mut last_back: Option<Instant> = None;
    for outcome in parts.outcomes {
        let t = &outcome.tracker;
        s.missed += t.missed(0..events);
        s.duplicates += t.duplicates;
        s.out_of_order += t.out_of_order;
        s.resyncs += t.resyncs;
        s.after_reconnect += outcome.after_reconnect;
        s.foreign += t.foreign;
        s.caught_up += u64::from(t.caught_up());
        s.closed_cleanly += u64::from(outcome.closed_cleanly);
        if let Some(n) = s.first_per_node.get_mut(outcome.first_node) {
            *n += 1;
        }
        if outcome.lost.is_none()
            && let Some(n) = s.last_per_node.get_mut(outcome.last_node)
        {
            *n += 1;
        }
        s.dropped += u64::from(!outcome.drops.is_empty());
        drops.extend(outcome.drops);
        lost.extend(outcome.lost);
        for r in &outcome.reconnects {
            reconnect_us.push(micros(r.took));
            s.sent_while_away += while_away(&parts.sent_at, r);
            if outcome.first_node == parts.killed {
                last_back = last_back.max(Some(r.at));
            }
        }
    }
    s.reconnects = reconnect_us.len() as u64;
    s.reconnect = LatencyMs::of(reconnect_us);
    s.all_back_ms =
        last_back.map(|at| micros(at.saturating_duration_since(parts.killed_at)) as f64 / 1000.0);
    s.drop_reasons = by_reason(drops);
    s.lost = by_reason(lost);
    s
}

/// Events sent between a socket's drop and its reconnect.
fn while_away(sent_at: &[Instant], r: &Reconnect) -> u64 {
    let dropped = r.at.checked_sub(r.took).unwrap_or(r.at);
    sent_at
        .iter()
        .filter(|&&sent| sent >= dropped && sent <= r.at)
        .count() as u64
}

impl FailoverSummary {
    /// Every socket read every event once, in order, and none was left behind.
    pub fn passed(&self) -> bool {
        self.missed == 0
            && self.duplicates == 0
            && self.out_of_order == 0
            && self.resyncs == 0
            && self.lost.is_empty()
    }

    fn lost_count(&self) -> u64 {
        self.lost.iter().map(|(_, n)| n).sum()
    }

    pub fn to_json(&self) -> Value {
        let by_reason = |v: &[(String, u64)]| {
            v.iter()
                .map(|(why, n)| (why.clone(), json!(n)))
                .collect::<serde_json::Map<_, _>>()
        };
        json!({
            "scenario": "failover",
            "passed": self.passed(),
            "nodes": self.nodes,
            "killed_node": self.killed,
            "users": self.users,
            "sockets": {
                "requested": self.sockets,
                "connected": self.connected,
                "failed_by_reason": by_reason(&self.connect_failures),
                "connect_ms": self.connect.to_json(),
                "per_node_first": self.first_per_node,
                "per_node_last": self.last_per_node,
                "closed_cleanly": self.closed_cleanly,
            },
            "events": {
                "created": self.events,
                "before_kill": self.before_kill,
                "send_secs": (self.send_secs * 1000.0).round() / 1000.0,
                "post_latency_ms": self.post_latency.to_json(),
            },
            "reconnect": {
                "sockets_dropped": self.dropped,
                "dropped_by_reason": by_reason(&self.drop_reasons),
                "reconnects": self.reconnects,
                "reconnect_ms": self.reconnect.to_json(),
                "all_back_after_kill_ms": self.all_back_ms.map(|ms| (ms * 1000.0).round() / 1000.0),
                "events_sent_while_away": self.sent_while_away,
                "lost_by_reason": by_reason(&self.lost),
            },
            "frames": {
                "expected": self.expected,
                "missed": self.missed,
                "duplicates": self.duplicates,
                "out_of_order": self.out_of_order,
                "resyncs": self.resyncs,
                "read_after_reconnect": self.after_reconnect,
                "foreign": self.foreign,
                "sockets_caught_up": self.caught_up,
            },
        })
    }

    /// The Markdown table of the failover, then one line each for the verdict, the
    /// sockets and the events.
    pub fn to_table(&self) -> String {
        let header = [
            "scenario",
            "nodes",
            "sockets",
            "events",
            "killed node",
            "reconnects",
            "reconnect p50 ms",
            "p99",
            "max",
            "all back ms",
            "missed",
            "duplicates",
            "out of order",
        ];
        let row = [
            "failover".to_owned(),
            self.nodes.to_string(),
            format!("{}/{}", self.connected, self.sockets),
            self.events.to_string(),
            self.killed.to_string(),
            format!("{}/{}", self.reconnects, self.dropped),
            ms_cell(self.reconnect.p50),
            ms_cell(self.reconnect.p99),
            ms_cell(self.reconnect.max),
            ms_cell(self.all_back_ms),
            self.missed.to_string(),
            self.duplicates.to_string(),
            self.out_of_order.to_string(),
        ];
        let verdict = format!(
            "check: {} — {} of {} frames missed, {} duplicates, {} out of order, {} resyncs; \
             {} of {} sockets read every event; {} sockets never got back{}",
            if self.passed() { "passed" } else { "FAILED" },
            self.missed,
            self.expected,
            self.duplicates,
            self.out_of_order,
            self.resyncs,
            self.caught_up,
            self.connected,
            self.lost_count(),
            reasons(&self.lost),
        );
        let per_node = |v: &[u64]| v.iter().map(u64::to_string).collect::<Vec<_>>().join("/");
        let sockets = format!(
            "sockets: {} of {} connected{}, connect p50 {} ms, p95 {} ms; per node {} at the \
             start, {} at the end; {} dropped{}; {} closed cleanly",
            self.connected,
            self.sockets,
            reasons(&self.connect_failures),
            ms_cell(self.connect.p50),
            ms_cell(self.connect.p95),
            per_node(&self.first_per_node),
            per_node(&self.last_per_node),
            self.dropped,
            reasons(&self.drop_reasons),
            self.closed_cleanly,
        );
        let events = format!(
            "events: {} contacts created on node 0 in {:.1} s, node {} killed after {}; POST \
             /api/contacts p50 {} ms, p95 {} ms, max {} ms; {} contact.created frames read after \
             a reconnect (replay, then live); {} events sent while a socket was away",
            self.events,
            self.send_secs,
            self.killed,
            self.before_kill,
            ms_cell(self.post_latency.p50),
            ms_cell(self.post_latency.p95),
            ms_cell(self.post_latency.max),
            self.after_reconnect,
            self.sent_while_away,
        );
        [
            markdown_table(&header, &row),
            String::new(),
            verdict,
            sockets,
            events,
        ]
        .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::{
        socket::{Frame, FrameKind},
        storm::tracker::Tracker,
    };

    fn created(seq: i64, id: i64) -> Frame {
        Frame {
            seq: Some(seq),
            kind: FrameKind::Created { id },
        }
    }

    /// A socket that read events `0..events` from ids 100.., with `seqs` in that order.
    fn outcome(node: usize, reads: &[(i64, i64)], events: usize) -> SocketOutcome {
        let mut tracker = Tracker::new(events);
        for &(seq, id) in reads {
            tracker.read(
                &created(seq, id),
                |id| usize::try_from(id - 100).ok(),
                false,
            );
        }
        SocketOutcome {
            tracker,
            first_node: node,
            last_node: node,
            drops: Vec::new(),
            reconnects: Vec::new(),
            after_reconnect: 0,
            lost: None,
            closed_cleanly: true,
        }
    }

    fn parts(outcomes: Vec<SocketOutcome>, killed_at: Instant) -> Parts {
        Parts {
            nodes: 2,
            killed: 1,
            killed_at,
            users: 2,
            sockets: 2,
            events: 2,
            before_kill: 1,
            opened: Handshakes {
                latencies_us: vec![1_000, 2_000],
                failures: Vec::new(),
            },
            batches: [Paced::default(), Paced::default()],
            sent_at: vec![killed_at + Duration::from_millis(20)],
            outcomes,
        }
    }

    #[test]
    fn a_moved_socket_that_read_everything_in_order_passes() {
        let killed_at = Instant::now();
        let stay = outcome(0, &[(1, 100), (2, 101)], 2);
        let mut moved = outcome(1, &[(1, 100), (2, 101)], 2);
        moved.last_node = 0;
        moved.drops.push("connection ended".into());
        moved.reconnects.push(Reconnect {
            took: Duration::from_millis(30),
            at: killed_at + Duration::from_millis(40),
        });
        let s = tally(parts(vec![stay, moved], killed_at));
        assert!(s.passed(), "{}", s.to_table());
        assert_eq!((s.expected, s.missed, s.caught_up), (4, 0, 2));
        assert_eq!((s.dropped, s.reconnects), (1, 1));
        assert_eq!(s.all_back_ms, Some(40.0));
        assert_eq!(
            s.sent_while_away, 1,
            "sent 20 ms after the kill, while it was away"
        );
        assert_eq!(
            (s.first_per_node.clone(), s.last_per_node.clone()),
            (vec![1, 1], vec![2, 0])
        );
        let table = s.to_table();
        assert!(table.contains("check: passed"), "{table}");
        assert!(table.contains("| 1/1 "), "{table}");
    }

    #[test]
    fn a_missed_a_repeated_or_a_late_event_fails() {
        let killed_at = Instant::now();
        let missed = outcome(0, &[(1, 100)], 2);
        let s = tally(parts(vec![missed], killed_at));
        assert_eq!(s.missed, 1);
        assert!(!s.passed());

        let backwards = outcome(0, &[(2, 101), (1, 100)], 2);
        let s = tally(parts(vec![backwards], killed_at));
        assert_eq!((s.missed, s.out_of_order), (0, 1));
        assert!(!s.passed());
        assert_eq!(s.to_json()["frames"]["out_of_order"], 1);

        let mut lost = outcome(1, &[(1, 100), (2, 101)], 2);
        lost.lost = Some("no live node".into());
        let s = tally(parts(vec![lost], killed_at));
        assert!(!s.passed());
        assert!(
            s.to_table()
                .contains("1 sockets never got back (no live node: 1)")
        );
    }
}
