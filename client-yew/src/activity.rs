//! The dashboard's recent-activity lines, read from the event frames the server keeps
//! (the same JSON the socket sends).

use api_types::{STATUSES, format_vnd, label};
use serde::Deserialize;
use serde_json::Value;

use crate::text;

/// One line of the activity list.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub seq: i64,
    /// RFC 3339.
    pub at: String,
    /// `contact.created`, `deal.created`, …: the list styles each kind.
    pub kind: String,
    pub text: String,
    /// The contact or deal the line is about.
    pub link: Option<Link>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Contact(i64),
    Deal(i64),
}

#[derive(Deserialize)]
struct Frame {
    seq: i64,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    at: String,
    data: Data,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Data {
    id: i64,
    code: String,
    full_name: String,
    contact_code: String,
    total: i64,
    to: Option<Value>,
    picked_by: Option<Named>,
    closer: Option<Named>,
}

#[derive(Deserialize, Default, Clone)]
struct Named {
    full_name: String,
}

/// The line for one frame; `None` for kinds the list does not show.
pub fn from_frame(frame: &Value) -> Option<Activity> {
    let frame: Frame = serde_json::from_value(frame.clone()).ok()?;
    let d = &frame.data;
    let (text, link) = match frame.kind.as_str() {
        "contact.created" => (
            text::activity_created(&d.code, &d.full_name),
            Link::Contact(d.id),
        ),
        "contact.picked" => (
            text::activity_picked(&name(&d.picked_by), &d.code),
            Link::Contact(d.id),
        ),
        "contact.status_changed" => {
            let to = d.to.as_ref().and_then(Value::as_str).unwrap_or_default();
            (
                text::activity_status(&d.code, label(STATUSES, to)),
                Link::Contact(d.id),
            )
        }
        "contact.reassigned" => {
            let holder =
                d.to.as_ref()
                    .and_then(|to| to.get("full_name"))
                    .and_then(Value::as_str);
            (
                text::activity_reassigned(&d.code, holder),
                Link::Contact(d.id),
            )
        }
        "deal.created" => (
            text::activity_deal(
                &name(&d.closer),
                &d.code,
                &d.contact_code,
                &format_vnd(d.total),
            ),
            Link::Deal(d.id),
        ),
        _ => return None,
    };
    Some(Activity {
        seq: frame.seq,
        at: frame.at,
        kind: frame.kind,
        text,
        link: Some(link),
    })
}

fn name(person: &Option<Named>) -> String {
    person
        .as_ref()
        .map_or_else(|| text::UNKNOWN.to_owned(), |p| p.full_name.clone())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn each_event_reads_as_a_sentence_with_its_record() {
        let picked = from_frame(&json!({
            "seq": 9, "type": "contact.picked", "at": "2026-12-02T03:00:00.000Z",
            "data": { "id": 7, "code": "KH2026-007", "picked_by": { "id": 3, "full_name": "Trần Sơn" } }
        }))
        .expect("line");
        assert_eq!(picked.text, "Trần Sơn đã nhận KH2026-007");
        assert_eq!(picked.link, Some(Link::Contact(7)));
        let deal = from_frame(&json!({
            "seq": 10, "type": "deal.created", "at": "",
            "data": { "id": 2, "code": "HD2026-002", "contact_code": "KH2026-007",
                      "closer": { "id": 3, "full_name": "Trần Sơn" }, "total": 5000000 }
        }))
        .expect("line");
        assert_eq!(
            deal.text,
            "Trần Sơn chốt HD2026-002 (KH2026-007) — 5.000.000 ₫"
        );
        assert_eq!(deal.link, Some(Link::Deal(2)));
        let failed = from_frame(&json!({
            "seq": 11, "type": "contact.status_changed",
            "data": { "id": 7, "code": "KH2026-007", "from": "consulting", "to": "failed" }
        }))
        .expect("line");
        assert_eq!(failed.text, "KH2026-007 chuyển sang Thất bại");
        assert!(from_frame(&json!({ "seq": 1, "type": "notification", "data": {} })).is_none());
    }
}
