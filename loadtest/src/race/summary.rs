//! What a `race` run measured and found, as a Markdown table or one JSON object.

use std::{collections::BTreeMap, fmt::Write as _};

use serde_json::{Value, json};

use super::check::RoundCheck;
use crate::{
    socket::reasons,
    stats::{LatencyMs, markdown_table, ms_cell},
};

#[derive(Debug, Clone)]
pub struct RaceSummary {
    /// Sales racing, one socket each.
    pub sales: u32,
    /// Server processes the Sales were spread over.
    pub nodes: usize,
    pub rounds: u32,
    /// Wall time of the rounds.
    pub elapsed_secs: f64,
    /// Handshakes of the Sales' sockets.
    pub connect: LatencyMs,
    /// Every pick, from just before its POST to its answer.
    pub pick_latency: LatencyMs,
    /// The winning picks alone: the part of the fan-out latency before the publish.
    pub winner_latency: LatencyMs,
    /// Every `contact.picked` read, from just before the winner's POST.
    pub fan_out: LatencyMs,
    /// Per round, the last socket's read of `contact.picked`, same origin.
    pub to_all: LatencyMs,
    /// Sockets lost before the end of the run, by reason.
    pub dropped: Vec<(String, u64)>,
    pub closed_cleanly: u64,
    /// One per round, in order.
    pub checks: Vec<RoundCheck>,
}

impl RaceSummary {
    /// Every round had one winner, consistent answers, frames and database.
    pub fn passed(&self) -> bool {
        self.checks.len() == self.rounds as usize && self.checks.iter().all(RoundCheck::passed)
    }

    fn rounds_passed(&self) -> usize {
        self.checks.iter().filter(|c| c.passed()).count()
    }

    fn winners(&self) -> Vec<u32> {
        self.checks.iter().map(|c| c.winners).collect()
    }

    fn sum(&self, field: impl Fn(&RoundCheck) -> u64) -> u64 {
        self.checks.iter().map(field).sum()
    }

    fn other(&self) -> BTreeMap<String, u64> {
        let mut other = BTreeMap::new();
        for (label, n) in self.checks.iter().flat_map(|c| &c.other) {
            *other.entry(label.clone()).or_default() += n;
        }
        other
    }

    /// `contact.picked` frames due: one per Sale per round.
    fn expected(&self) -> u64 {
        u64::from(self.sales) * self.checks.len() as u64
    }

    pub fn to_json(&self) -> Value {
        json!({
            "scenario": "race",
            "sales": self.sales,
            "nodes": self.nodes,
            "rounds": self.rounds,
            "rounds_passed": self.rounds_passed(),
            "passed": self.passed(),
            "elapsed_secs": (self.elapsed_secs * 1000.0).round() / 1000.0,
            "winners_per_round": self.winners(),
            "answers": {
                "won": self.sum(|c| u64::from(c.winners)),
                "lost": self.sum(|c| u64::from(c.lost)),
                "lost_misnamed": self.sum(|c| u64::from(c.misnamed)),
                "other_by_kind": self.other(),
            },
            "pick_latency_ms": self.pick_latency.to_json(),
            "winner_pick_latency_ms": self.winner_latency.to_json(),
            "picked_frames": {
                "expected": self.expected(),
                "missing": self.sum(|c| c.picked_missing),
                "misnamed": self.sum(|c| c.frame_misnamed),
                "fan_out_latency_ms": self.fan_out.to_json(),
                "to_all_sockets_ms": self.to_all.to_json(),
            },
            "created_frames_missing": self.sum(|c| c.created_missing),
            "duplicate_frames": self.sum(|c| c.duplicates),
            "assignee_mismatches": self.sum(|c| u64::from(c.assignee_mismatch)),
            "sockets": {
                "connect_ms": self.connect.to_json(),
                "dropped_by_reason": self.dropped.iter()
                    .map(|(why, n)| (why.clone(), json!(n)))
                    .collect::<serde_json::Map<_, _>>(),
                "closed_cleanly": self.closed_cleanly,
            },
        })
    }

    /// The Markdown table, then one line each for the winners, the answers, the
    /// frames and the sockets.
    pub fn to_table(&self) -> String {
        let header = [
            "scenario",
            "sales",
            "rounds",
            "1 winner",
            "pick p50 ms",
            "p95",
            "p99",
            "max",
            "picked fan-out p50 ms",
            "p95",
            "p99",
            "max",
            "missing frames",
        ];
        let missing = self.sum(RoundCheck::missing);
        let row = [
            "race".to_owned(),
            self.sales.to_string(),
            self.rounds.to_string(),
            format!(
                "{}/{}",
                self.checks.iter().filter(|c| c.winners == 1).count(),
                self.rounds
            ),
            ms_cell(self.pick_latency.p50),
            ms_cell(self.pick_latency.p95),
            ms_cell(self.pick_latency.p99),
            ms_cell(self.pick_latency.max),
            ms_cell(self.fan_out.p50),
            ms_cell(self.fan_out.p95),
            ms_cell(self.fan_out.p99),
            ms_cell(self.fan_out.max),
            missing.to_string(),
        ];
        let winners: Vec<String> = self.winners().iter().map(u32::to_string).collect();
        let verdict = format!(
            "check: {} — {} of {} rounds correct; winners per round: {}",
            if self.passed() { "passed" } else { "FAILED" },
            self.rounds_passed(),
            self.rounds,
            winners.join(" "),
        );
        let mut answers = format!(
            "answers: {} won, {} lost with 409 already_picked ({} naming someone other than \
             the winner)",
            self.sum(|c| u64::from(c.winners)),
            self.sum(|c| u64::from(c.lost)),
            self.sum(|c| u64::from(c.misnamed)),
        );
        let other = self.other();
        if !other.is_empty() {
            let other: Vec<(String, u64)> = other.into_iter().collect();
            let _ = write!(answers, "; other answers{}", reasons(&other));
        }
        let _ = write!(
            answers,
            "; database holds the winner: {} of {} rounds; the winning pick's answer p50 {} \
             ms, max {} ms (the event is published just before it)",
            self.checks.len() as u64 - self.sum(|c| u64::from(c.assignee_mismatch)),
            self.checks.len(),
            ms_cell(self.winner_latency.p50),
            ms_cell(self.winner_latency.max),
        );
        let frames = format!(
            "frames: contact.picked {} expected, {} missing, {} naming the wrong winner; \
             contact.created {} missing; {} duplicates; last socket per round p50 {} ms, \
             max {} ms",
            self.expected(),
            self.sum(|c| c.picked_missing),
            self.sum(|c| c.frame_misnamed),
            self.sum(|c| c.created_missing),
            self.sum(|c| c.duplicates),
            ms_cell(self.to_all.p50),
            ms_cell(self.to_all.max),
        );
        let dropped: u64 = self.dropped.iter().map(|(_, n)| n).sum();
        let sockets = format!(
            "sockets: {} (one per Sale, over {} node(s)); connect p50 {} ms, p95 {} ms; {} dropped during the \
             run{}; {} closed cleanly; rounds took {:.1} s",
            self.sales,
            self.nodes,
            ms_cell(self.connect.p50),
            ms_cell(self.connect.p95),
            dropped,
            reasons(&self.dropped),
            self.closed_cleanly,
            self.elapsed_secs,
        );
        [
            markdown_table(&header, &row),
            String::new(),
            verdict,
            answers,
            frames,
            sockets,
        ]
        .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::race::check::Answer;

    fn summary(checks: Vec<RoundCheck>) -> RaceSummary {
        RaceSummary {
            sales: 3,
            nodes: 1,
            rounds: 2,
            elapsed_secs: 1.0,
            connect: LatencyMs::default(),
            pick_latency: LatencyMs::of(vec![1_000, 2_000, 3_000]),
            winner_latency: LatencyMs::of(vec![1_000]),
            fan_out: LatencyMs::of(vec![4_000]),
            to_all: LatencyMs::default(),
            dropped: Vec::new(),
            closed_cleanly: 3,
            checks,
        }
    }

    fn good_round() -> RoundCheck {
        RoundCheck::of_answers(&[
            (1, Answer::Won),
            (2, Answer::Lost { named: Some(1) }),
            (3, Answer::Lost { named: Some(1) }),
        ])
    }

    #[test]
    fn clean_rounds_pass_and_report_one_winner_each() {
        let s = summary(vec![good_round(), good_round()]);
        assert!(s.passed());
        let json = s.to_json();
        assert_eq!(json["winners_per_round"], json!([1, 1]));
        assert_eq!(json["answers"]["lost"], 4);
        assert_eq!(json["picked_frames"]["expected"], 6);
        let table = s.to_table();
        assert!(table.contains("| 2/2 "), "{table}");
        assert!(table.contains("check: passed"));
    }

    #[test]
    fn a_round_with_two_winners_or_a_missing_frame_fails_the_run() {
        let double = RoundCheck::of_answers(&[(1, Answer::Won), (2, Answer::Won)]);
        let s = summary(vec![good_round(), double]);
        assert!(!s.passed());
        assert!(s.to_table().contains("winners per round: 1 2"));

        let mut missing = good_round();
        missing.picked_missing = 1;
        let s = summary(vec![good_round(), missing]);
        assert!(!s.passed());
        assert_eq!(s.to_json()["picked_frames"]["missing"], 1);
    }

    #[test]
    fn a_run_cut_short_does_not_pass() {
        assert!(!summary(vec![good_round()]).passed());
    }
}
