//! What a rule needs to know about one logged event: the contact as the event left it
//! (status and holder decide who may see it), the placeholder values, and the link.

use std::collections::HashMap;

use api_types::{SOURCES, STATUSES, format_vnd, label};
use entities::{contact, event, service_type, user};
use serde_json::Value;

use super::template::Values;
use crate::contacts::scope::ContactState;

/// Users and service types by id, read once per batch of events.
#[derive(Debug, Default)]
pub struct Directory {
    pub users: HashMap<i64, user::Model>,
    pub service_types: HashMap<i64, service_type::Model>,
}

impl Directory {
    fn user_name(&self, id: Option<i64>) -> Option<String> {
        id.and_then(|id| self.users.get(&id))
            .map(|u| u.full_name.clone())
    }
}

/// One event, ready for rules.
#[derive(Debug, Clone)]
pub struct Facts {
    pub seq: i64,
    pub contact: contact::Model,
    /// The contact as the event left it.
    pub state: ContactState,
    pub values: Values,
    pub link: String,
}

/// The contact's status and holder right after the event, from the event itself (the
/// contact may have moved on since).
pub fn state_after(kind: &str, payload: &Value, row: &contact::Model) -> ContactState {
    let id_at = |pointer: &str| payload.pointer(pointer).and_then(Value::as_i64);
    let text_at = |pointer: &str| {
        payload
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let (status, assignee_id) = match kind {
        "contact.created" => (text_at("/status"), None),
        "contact.picked" => (Some("consulting".to_owned()), id_at("/picked_by/id")),
        "contact.status_changed" => (text_at("/to"), id_at("/assignee_id")),
        "contact.reassigned" => (text_at("/status"), id_at("/to/id")),
        "deal.created" => (Some("won".to_owned()), id_at("/closer/id")),
        _ => (None, row.assignee_id),
    };
    ContactState {
        status: status.unwrap_or_else(|| row.status.clone()),
        assignee_id,
        created_by: row.created_by,
    }
}

/// Who caused the event, as the payload names them (older events may not).
fn actor_id(kind: &str, payload: &Value, row: &contact::Model) -> Option<i64> {
    let id_at = |pointer: &str| payload.pointer(pointer).and_then(Value::as_i64);
    id_at("/actor/id")
        .or_else(|| id_at("/picked_by/id"))
        .or_else(|| id_at("/closer/id"))
        .or_else(|| (kind == "contact.created").then_some(row.created_by))
}

/// The facts of a logged event about a contact; `None` for events about no contact
/// (or one that no longer exists), which no rule can match.
pub fn facts(
    row: &event::Model,
    contact: Option<&contact::Model>,
    dir: &Directory,
) -> Option<Facts> {
    let contact = contact?;
    let payload: Value = serde_json::from_str(&row.payload).unwrap_or(Value::Null);
    let state = state_after(&row.kind, &payload, contact);
    let mut values = Values::default();
    values.set("contact.code", contact.code.clone());
    values.set(
        "contact.service_type",
        dir.service_types
            .get(&contact.service_type_id)
            .map(|t| t.name.clone())
            .unwrap_or_default(),
    );
    values.set("contact.source", label(SOURCES, &contact.source));
    values.set("contact.status", label(STATUSES, &state.status));
    values.set(
        "sale.name",
        dir.user_name(state.assignee_id)
            .unwrap_or_else(|| "chưa có".into()),
    );
    values.set(
        "actor.name",
        dir.user_name(actor_id(&row.kind, &payload, contact))
            .unwrap_or_else(|| "Hệ thống".into()),
    );
    let mut link = format!("/contacts/{}", contact.id);
    if row.kind == "response.negative" {
        let terms: Vec<&str> = payload
            .get("terms")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        values.set("response.terms", terms.join(", "));
    }
    if row.kind == "deal.created" {
        if let Some(code) = payload.get("code").and_then(Value::as_str) {
            values.set("deal.code", code);
        }
        if let Some(total) = payload.get("total").and_then(Value::as_i64) {
            values.set("deal.total", format_vnd(total));
        }
        if let Some(id) = payload.get("id").and_then(Value::as_i64) {
            link = format!("/deals/{id}");
        }
    }
    Some(Facts {
        seq: row.id,
        contact: contact.clone(),
        state,
        values,
        link,
    })
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use serde_json::json;

    use super::*;

    fn held_by(assignee: Option<i64>, status: &str) -> contact::Model {
        let now = Utc::now();
        contact::Model {
            id: 7,
            code: "KH2026-007".into(),
            full_name_enc: String::new(),
            phone_enc: String::new(),
            email_enc: None,
            note_enc: None,
            phone_index: String::new(),
            service_type_id: 1,
            source: "google".into(),
            team_id: None,
            status: status.into(),
            assignee_id: assignee,
            created_by: 2,
            created_at: now,
            updated_at: now,
            picked_at: None,
        }
    }

    #[test]
    fn the_state_is_the_one_the_event_left_not_the_current_one() {
        // Picked by 9, since moved on to 5: a `contact.picked` rule still sees 9's lead.
        let now = held_by(Some(5), "failed");
        let picked = state_after("contact.picked", &json!({"picked_by": {"id": 9}}), &now);
        assert_eq!(
            (picked.status.as_str(), picked.assignee_id),
            ("consulting", Some(9))
        );
        let created = state_after("contact.created", &json!({"status": "new"}), &now);
        assert_eq!(
            (created.status.as_str(), created.assignee_id),
            ("new", None)
        );
        let moved = state_after(
            "contact.status_changed",
            &json!({"from": "consulting", "to": "failed", "assignee_id": 9}),
            &now,
        );
        assert_eq!(
            (moved.status.as_str(), moved.assignee_id),
            ("failed", Some(9))
        );
        let pooled = state_after(
            "contact.reassigned",
            &json!({"status": "new", "to": null}),
            &now,
        );
        assert_eq!((pooled.status.as_str(), pooled.assignee_id), ("new", None));
        assert_eq!(pooled.created_by, 2);
    }

    #[test]
    fn values_come_from_the_event_and_the_directory() {
        let mut dir = Directory::default();
        let now = Utc::now();
        dir.users.insert(
            9,
            user::Model {
                id: 9,
                username: "sale09".into(),
                full_name: "Lê Văn Chín".into(),
                email: None,
                phone: None,
                team_id: None,
                position: None,
                password_hash: String::new(),
                status: "active".into(),
                created_at: now,
                updated_at: now,
                password_changed_at: now,
            },
        );
        let row = event::Model {
            id: 40,
            at: now,
            kind: "deal.created".into(),
            contact_id: Some(7),
            payload:
                json!({"id": 3, "code": "HD2026-003", "total": 15_000_000, "closer": {"id": 9}})
                    .to_string(),
            audience: String::new(),
        };
        let got = facts(&row, Some(&held_by(Some(9), "won")), &dir).expect("facts");
        let text = super::super::template::render(
            "{{deal.code}} {{deal.total}} {{sale.name}} {{actor.name}} {{contact.source}}",
            &got.values,
        );
        assert_eq!(
            text,
            "HD2026-003 15.000.000 ₫ Lê Văn Chín Lê Văn Chín Google"
        );
        assert_eq!(got.link, "/deals/3");
        assert!(facts(&row, None, &dir).is_none());
    }
}
