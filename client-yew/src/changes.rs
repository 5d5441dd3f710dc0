//! What one audit entry of a contact or a deal changed, as "field: before → after" for
//! the history card. The server stores whole snapshots, so only the fields that differ
//! are shown.

use api_types::{INTERACTION_KINDS, SOURCES, ServiceTypeDto, format_vnd, label};
use serde_json::Value;

use crate::{format, text};

#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub field: &'static str,
    /// `None` when the entry records only the new value.
    pub before: Option<String>,
    pub after: String,
}

/// How a stored value reads.
#[derive(Clone, Copy)]
enum Show {
    Plain,
    Status,
    Source,
    ServiceType,
    Kind,
    Payment,
    Money,
    Day,
    /// A deal's lines: `GPKD × 2 (3.000.000 ₫), …`.
    Lines,
}

/// The fields worth showing, by their path in the snapshot. Ids of people and teams are
/// left out: the entries that change them also carry names or a summary.
const FIELDS: &[(&[&str], &str, Show)] = &[
    (&["status"], text::FIELD_STATUS, Show::Status),
    (&["assignee_name"], text::FIELD_ASSIGNEE, Show::Plain),
    (
        &["personal", "full_name"],
        text::FIELD_FULL_NAME,
        Show::Plain,
    ),
    (&["personal", "phone"], text::FIELD_PHONE, Show::Plain),
    (&["personal", "email"], text::FIELD_EMAIL, Show::Plain),
    (&["personal", "note"], text::FIELD_NOTE, Show::Plain),
    (
        &["service_type_id"],
        text::FIELD_SERVICE_TYPE,
        Show::ServiceType,
    ),
    (&["source"], text::FIELD_SOURCE, Show::Source),
    // Deals (the note of a deal sits at the top, a contact's under `personal`).
    (&["lines"], text::FIELD_LINES, Show::Lines),
    (&["coupon"], text::FIELD_COUPON, Show::Plain),
    (&["discount"], text::FIELD_DISCOUNT, Show::Money),
    (&["total"], text::FIELD_TOTAL, Show::Money),
    (&["payment_status"], text::FIELD_PAYMENT, Show::Payment),
    (&["closed_on"], text::FIELD_CLOSED_ON, Show::Day),
    (&["note"], text::FIELD_NOTE, Show::Plain),
];

/// The changes an entry records. Without a `before` (creation, new interaction) only the
/// facts worth a line are listed, not the whole first snapshot.
pub fn changes(
    before: Option<&Value>,
    after: Option<&Value>,
    service_types: &[ServiceTypeDto],
) -> Vec<FieldChange> {
    let Some(after) = after else {
        return Vec::new();
    };
    let show = |value: &Value, how: Show| shown(value, how, service_types);
    let Some(before) = before else {
        let mut facts = Vec::new();
        if let Some(kind) = after.get("kind") {
            facts.push(FieldChange {
                field: text::FIELD_KIND,
                before: None,
                after: show(kind, Show::Kind),
            });
        }
        // A new deal: what was sold and for how much.
        for (key, field, how) in [
            ("lines", text::FIELD_LINES, Show::Lines),
            ("total", text::FIELD_TOTAL, Show::Money),
        ] {
            if let Some(value) = after.get(key) {
                facts.push(FieldChange {
                    field,
                    before: None,
                    after: show(value, how),
                });
            }
        }
        if let Some(Value::Array(refs)) = after.get("created_despite_duplicates") {
            let codes: Vec<&str> = refs
                .iter()
                .filter_map(|r| r.get("code")?.as_str())
                .collect();
            facts.push(FieldChange {
                field: text::FIELD_DUPLICATES,
                before: None,
                after: codes.join(", "),
            });
        }
        return facts;
    };
    FIELDS
        .iter()
        .filter_map(|(path, field, how)| {
            let old = at(before, path);
            let new = at(after, path);
            // A field only one side records was not part of this change.
            let (old, new) = (old?, new?);
            (old != new).then(|| FieldChange {
                field,
                before: Some(show(old, *how)),
                after: show(new, *how),
            })
        })
        .collect()
}

fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |inner, key| inner.get(key))
}

fn shown(value: &Value, how: Show, service_types: &[ServiceTypeDto]) -> String {
    if let (Show::Lines, Value::Array(lines)) = (how, value) {
        return lines_summary(lines);
    }
    let raw = match value {
        Value::Null => return text::DASH.to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let named = |table: &[(&str, &str)]| {
        Some(label(table, &raw))
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
    };
    match how {
        Show::Plain => None,
        Show::Status => Some(text::status_label(&raw).to_owned()),
        Show::Source => named(SOURCES),
        Show::Kind => named(INTERACTION_KINDS),
        Show::Payment => Some(text::payment_label(&raw).to_owned()),
        Show::Money => value.as_i64().map(format_vnd),
        Show::Day => Some(format::date(&raw)),
        Show::Lines => None,
        Show::ServiceType => service_types
            .iter()
            .find(|st| value.as_i64() == Some(st.id))
            .map(|st| st.name.clone()),
    }
    .unwrap_or(raw)
}

/// `GPKD × 2 (3.000.000 ₫), TLDN × 1 (5.000.000 ₫)`.
fn lines_summary(lines: &[Value]) -> String {
    let line = |line: &Value| {
        let product = line.get("product")?.as_str()?;
        let quantity = line.get("quantity")?.as_i64()?;
        let total = line.get("line_total")?.as_i64()?;
        Some(format!("{product} × {quantity} ({})", format_vnd(total)))
    };
    let parts: Vec<String> = lines.iter().filter_map(line).collect();
    if parts.is_empty() {
        text::DASH.to_owned()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn service_type() -> ServiceTypeDto {
        ServiceTypeDto {
            id: 1,
            code: "TLDN".into(),
            name: "Thành lập doanh nghiệp".into(),
            description: None,
            active: true,
            daily_pick_limit: 5,
            sort_order: 0,
        }
    }

    #[test]
    fn a_pick_reads_as_a_status_change() {
        let before = json!({ "status": "new", "assignee_id": null });
        let after = json!({ "status": "consulting", "assignee_id": 4, "team_id": 2 });
        let found = changes(Some(&before), Some(&after), &[]);
        assert_eq!(
            found,
            [FieldChange {
                field: "Trạng thái",
                before: Some("Mới".into()),
                after: "Đang tư vấn".into(),
            }]
        );
    }

    #[test]
    fn an_edit_lists_only_the_fields_that_differ() {
        let snapshot = |phone: &str, service: i64| {
            json!({
                "code": "KH2026-001", "status": "consulting", "service_type_id": service,
                "source": "google",
                "personal": { "full_name": "An", "phone": phone, "email": null, "note": null },
            })
        };
        let before = snapshot("0912000111", 2);
        let after = snapshot("0912000222", 1);
        let found = changes(Some(&before), Some(&after), &[service_type()]);
        let lines: Vec<_> = found
            .iter()
            .map(|c| {
                (
                    c.field,
                    c.before.clone().unwrap_or_default(),
                    c.after.clone(),
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                ("Điện thoại", "0912000111".into(), "0912000222".into()),
                ("Dịch vụ", "2".into(), "Thành lập doanh nghiệp".into()),
            ]
        );
    }

    fn deal_snapshot(quantity: i64, payment: &str) -> Value {
        json!({
            "code": "HD2026-001", "contact_id": 3, "closer_id": 4,
            "lines": [{ "product": "GPKD", "quantity": quantity, "unit_price": 1_500_000,
                        "line_total": 1_500_000 * quantity }],
            "coupon": null, "subtotal": 1_500_000 * quantity, "discount": 0,
            "total": 1_500_000 * quantity, "payment_status": payment,
            "closed_on": "2026-11-25", "note": "Cọc trước",
        })
    }

    #[test]
    fn a_deal_edit_reads_as_lines_and_money() {
        let found = changes(
            Some(&deal_snapshot(1, "pending")),
            Some(&deal_snapshot(2, "pending")),
            &[],
        );
        let lines: Vec<(&str, String)> = found.iter().map(|c| (c.field, c.after.clone())).collect();
        assert_eq!(
            lines,
            [
                ("Sản phẩm", "GPKD × 2 (3.000.000 ₫)".to_owned()),
                ("Tổng tiền", "3.000.000 ₫".to_owned()),
            ]
        );
        let created = changes(None, Some(&deal_snapshot(1, "paid")), &[]);
        assert_eq!(
            created.len(),
            2,
            "a new deal lists what was sold and the total"
        );
        let paid = changes(
            Some(&json!({ "code": "HD2026-001", "payment_status": "pending" })),
            Some(&json!({ "code": "HD2026-001", "payment_status": "paid", "note": "CK" })),
            &[],
        );
        assert_eq!(paid.len(), 1);
        assert_eq!(paid[0].before.as_deref(), Some("Chưa thanh toán"));
        assert_eq!(paid[0].after, "Đã thanh toán đủ");
    }

    #[test]
    fn hidden_values_never_look_changed_and_creation_lists_facts_only() {
        let hidden = json!({ "personal": { "phone": "***" }, "status": "new" });
        assert!(changes(Some(&hidden), Some(&hidden), &[]).is_empty());
        let created = json!({
            "status": "new", "personal": { "phone": "0912000111" },
            "created_despite_duplicates": [{ "id": 1, "code": "KH2026-001", "status": "new" }],
        });
        let found = changes(None, Some(&created), &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].after, "KH2026-001");
        let interaction = json!({ "interaction_id": 3, "kind": "call" });
        assert_eq!(changes(None, Some(&interaction), &[])[0].after, "Gọi điện");
    }
}
