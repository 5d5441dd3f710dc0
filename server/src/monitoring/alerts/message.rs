//! What an alert says, in Vietnamese, as a Slack incoming-webhook body
//! (`{"text": …}`, also understood by Mattermost, Rocket.Chat and Discord's Slack
//! endpoint). Alerts carry no personal data and no request bodies: only the route
//! template, the status, an error id to look up in the server's log, the node and
//! the time.

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use serde::Serialize;

use super::limiter::Summary;

/// Job failure details are cut here: enough to triage, never a dump.
const MAX_DETAIL_CHARS: usize = 300;
/// Other held-back alerts named one by one in a summary; the rest are only counted.
const MAX_OTHERS_NAMED: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertKind {
    /// A 5xx answer.
    ServerError {
        method: String,
        /// The matched route template (`/api/contacts/{id}`), never the concrete path.
        route: String,
        status: u16,
        error_id: Option<String>,
    },
    BackgroundJob {
        job: &'static str,
        detail: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub kind: AlertKind,
    pub at: DateTime<Utc>,
}

impl Alert {
    /// Occurrences with the same key are "the same error" for rate limiting.
    pub fn key(&self) -> String {
        match &self.kind {
            AlertKind::ServerError {
                method,
                route,
                status,
                ..
            } => format!("{method} {route} → {status}"),
            AlertKind::BackgroundJob { job, .. } => format!("tác vụ nền {job}"),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct SlackBody {
    pub text: String,
}

/// The message for `alert` sent from `node`, with what was held back since the last
/// message (`summary`) and what the full queue dropped.
pub fn compose(alert: &Alert, node: &str, summary: &Summary, dropped: u64) -> SlackBody {
    let when = alert
        .at
        .with_timezone(&Ho_Chi_Minh)
        .format("%d/%m/%Y %H:%M:%S");
    let mut lines = Vec::new();
    match &alert.kind {
        AlertKind::ServerError {
            method,
            route,
            status,
            error_id,
        } => {
            lines.push(format!(
                "🚨 AnKhangCRM: lỗi máy chủ {status} tại {method} {route}"
            ));
            lines.push(format!("• Máy chủ: {node}"));
            lines.push(format!("• Thời điểm: {when} (giờ Việt Nam)"));
            lines.push(match error_id {
                Some(id) => format!("• Mã lỗi: {id} (tra trong nhật ký máy chủ: error_id={id})"),
                None => "• Mã lỗi: không có (xem nhật ký máy chủ quanh thời điểm trên)".to_owned(),
            });
        }
        AlertKind::BackgroundJob { job, detail } => {
            lines.push(format!("⚠️ AnKhangCRM: tác vụ nền \"{job}\" thất bại"));
            lines.push(format!("• Máy chủ: {node}"));
            lines.push(format!("• Thời điểm: {when} (giờ Việt Nam)"));
            lines.push(format!("• Chi tiết: {}", shorten(detail)));
        }
    }
    if summary.same > 0 {
        lines.push(format!("… và {} lỗi tương tự bị gộp", summary.same));
    }
    if !summary.others.is_empty() {
        let total: u64 = summary.others.iter().map(|(_, n)| n).sum();
        let mut named: Vec<String> = summary
            .others
            .iter()
            .take(MAX_OTHERS_NAMED)
            .map(|(key, n)| format!("{key} ({n})"))
            .collect();
        if summary.others.len() > MAX_OTHERS_NAMED {
            named.push(format!(
                "{} loại khác",
                summary.others.len() - MAX_OTHERS_NAMED
            ));
        }
        lines.push(format!(
            "… và {total} cảnh báo khác bị gộp: {}",
            named.join(", ")
        ));
    }
    if dropped > 0 {
        lines.push(format!(
            "… và {dropped} cảnh báo bị bỏ vì hàng đợi gửi đã đầy"
        ));
    }
    SlackBody {
        text: lines.join("\n"),
    }
}

fn shorten(detail: &str) -> String {
    let one_line = detail.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= MAX_DETAIL_CHARS {
        return one_line;
    }
    let cut: String = one_line.chars().take(MAX_DETAIL_CHARS).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 23, 8, 0, 5)
            .single()
            .expect("time")
    }

    #[test]
    fn a_server_error_names_route_status_error_id_node_and_vietnam_time() {
        let alert = Alert {
            kind: AlertKind::ServerError {
                method: "GET".into(),
                route: "/api/audit".into(),
                status: 500,
                error_id: Some("9f3c2a71".into()),
            },
            at: at(),
        };
        let body = compose(
            &alert,
            "web-01",
            &Summary {
                same: 37,
                others: vec![],
            },
            0,
        );
        assert_eq!(
            body.text,
            "🚨 AnKhangCRM: lỗi máy chủ 500 tại GET /api/audit\n\
             • Máy chủ: web-01\n\
             • Thời điểm: 23/01/2026 15:00:05 (giờ Việt Nam)\n\
             • Mã lỗi: 9f3c2a71 (tra trong nhật ký máy chủ: error_id=9f3c2a71)\n\
             … và 37 lỗi tương tự bị gộp"
        );
        assert_eq!(
            serde_json::to_value(&body).expect("json")["text"],
            body.text.as_str()
        );
    }

    #[test]
    fn a_job_failure_is_cut_short_and_other_held_back_alerts_are_counted() {
        let alert = Alert {
            kind: AlertKind::BackgroundJob {
                job: "backup",
                detail: format!("không ghi được\n{}", "x".repeat(1000)),
            },
            at: at(),
        };
        let others = vec![
            ("GET /api/audit → 500".to_owned(), 4),
            ("POST /api/contacts → 500".to_owned(), 2),
        ];
        let body = compose(&alert, "web-01", &Summary { same: 0, others }, 3);
        let text = body.text;
        assert!(text.starts_with("⚠️ AnKhangCRM: tác vụ nền \"backup\" thất bại"));
        assert!(text.contains("• Chi tiết: không ghi được xxx"), "{text}");
        assert!(text.len() < 700, "{text}");
        assert!(text.contains(
            "… và 6 cảnh báo khác bị gộp: GET /api/audit → 500 (4), POST /api/contacts → 500 (2)"
        ));
        assert!(text.ends_with("… và 3 cảnh báo bị bỏ vì hàng đợi gửi đã đầy"));
        assert!(!text.contains("tương tự"));
    }
}
