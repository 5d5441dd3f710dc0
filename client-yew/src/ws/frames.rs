//! The server's frames as data: parsing and the event-number bookkeeping, kept free of
//! the socket so they can be tested natively.

use api_types::NotificationDto;
use serde::Deserialize;

/// Someone named in an event.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Person {
    pub id: i64,
    pub full_name: String,
}

/// A contact that just entered the pool (`contact.created`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewContact {
    pub id: i64,
    pub code: String,
    pub full_name: String,
    /// The service type's code, e.g. `TLDN`.
    #[serde(default)]
    pub service_type: String,
    pub service_type_id: i64,
    pub source: String,
    #[serde(default = "new_status")]
    pub status: String,
}

fn new_status() -> String {
    "new".to_owned()
}

/// A deal just signed (`deal.created`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewDeal {
    pub id: i64,
    pub code: String,
    pub contact_code: String,
    pub closer: Person,
    pub total: i64,
}

/// What happened to a contact, as pushed by the server.
#[derive(Debug, Clone, PartialEq)]
pub enum ContactEvent {
    Created {
        contact: NewContact,
        at: String,
    },
    Picked {
        id: i64,
        picked_by: Person,
    },
    StatusChanged {
        id: i64,
        to: String,
    },
    Reassigned {
        id: i64,
        status: String,
        to: Option<Person>,
    },
}

#[derive(Debug, PartialEq, Deserialize)]
struct PickedData {
    id: i64,
    picked_by: Person,
}

#[derive(Debug, PartialEq, Deserialize)]
struct StatusData {
    id: i64,
    to: String,
}

#[derive(Debug, PartialEq, Deserialize)]
struct ReassignedData {
    id: i64,
    status: String,
    to: Option<Person>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(tag = "type")]
enum Frame {
    #[serde(rename = "permissions.changed")]
    PermissionsChanged,
    #[serde(rename = "resync")]
    Resync,
    #[serde(rename = "contact.created")]
    Created {
        seq: u64,
        #[serde(default)]
        at: String,
        data: NewContact,
    },
    #[serde(rename = "contact.picked")]
    Picked { seq: u64, data: PickedData },
    #[serde(rename = "contact.status_changed")]
    StatusChanged { seq: u64, data: StatusData },
    #[serde(rename = "contact.reassigned")]
    Reassigned { seq: u64, data: ReassignedData },
    #[serde(rename = "deal.created")]
    DealCreated { seq: u64, data: NewDeal },
    #[serde(rename = "notification")]
    Notification { seq: u64, data: NotificationDto },
    /// Pongs and pushes this client does not use yet.
    #[serde(other)]
    Other,
}

/// One frame, as far as this client cares.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    PermissionsChanged,
    /// The missed events are gone from the server: lists must be loaded again.
    Resync,
    Contact(u64, ContactEvent),
    Deal(u64, NewDeal),
    /// A new entry in the user's inbox.
    Notification(u64, NotificationDto),
    /// Any other numbered event: its number still counts for resuming.
    Numbered(u64),
    Ignored,
}

/// Only the number, read from frames whose type this client does not know.
#[derive(Deserialize)]
struct SeqOnly {
    seq: Option<u64>,
}

pub fn parse(text: &str) -> Parsed {
    let Ok(frame) = serde_json::from_str::<Frame>(text) else {
        // A known type with a body this client cannot read still moves the cursor.
        return numbered(text);
    };
    match frame {
        Frame::PermissionsChanged => Parsed::PermissionsChanged,
        Frame::Resync => Parsed::Resync,
        Frame::Created { seq, at, data } => {
            Parsed::Contact(seq, ContactEvent::Created { contact: data, at })
        }
        Frame::Picked { seq, data } => Parsed::Contact(
            seq,
            ContactEvent::Picked {
                id: data.id,
                picked_by: data.picked_by,
            },
        ),
        Frame::StatusChanged { seq, data } => Parsed::Contact(
            seq,
            ContactEvent::StatusChanged {
                id: data.id,
                to: data.to,
            },
        ),
        Frame::Reassigned { seq, data } => Parsed::Contact(
            seq,
            ContactEvent::Reassigned {
                id: data.id,
                status: data.status,
                to: data.to,
            },
        ),
        Frame::DealCreated { seq, data } => Parsed::Deal(seq, data),
        Frame::Notification { seq, data } => Parsed::Notification(seq, data),
        Frame::Other => numbered(text),
    }
}

fn numbered(text: &str) -> Parsed {
    match serde_json::from_str::<SeqOnly>(text)
        .ok()
        .and_then(|f| f.seq)
    {
        Some(seq) => Parsed::Numbered(seq),
        None => Parsed::Ignored,
    }
}

/// Moves the cursor to `seq` when it is new; a replay after a reconnect can repeat
/// events already shown, and those must not be applied twice.
pub fn advance(last: &mut u64, seq: u64) -> bool {
    if seq <= *last {
        return false;
    }
    *last = seq;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_contact_events() {
        let created = r#"{"seq":7,"type":"contact.created","at":"2026-11-25T01:00:00Z","data":{"id":3,"code":"KH-3","full_name":"An","service_type":"TLDN","service_type_id":1,"source":"hotline","status":"new"}}"#;
        let Parsed::Contact(7, ContactEvent::Created { contact, at }) = parse(created) else {
            panic!("not a created event: {:?}", parse(created));
        };
        assert_eq!((contact.id, contact.code.as_str()), (3, "KH-3"));
        assert_eq!(at, "2026-11-25T01:00:00Z");
        let picked = r#"{"seq":8,"type":"contact.picked","data":{"id":3,"code":"KH-3","service_type_id":1,"picked_by":{"id":5,"full_name":"Bình"}}}"#;
        let by = Person {
            id: 5,
            full_name: "Bình".into(),
        };
        assert_eq!(
            parse(picked),
            Parsed::Contact(
                8,
                ContactEvent::Picked {
                    id: 3,
                    picked_by: by
                }
            )
        );
        let moved = r#"{"seq":9,"type":"contact.status_changed","data":{"id":3,"code":"KH-3","from":"consulting","to":"failed","assignee_id":5}}"#;
        let to = ContactEvent::StatusChanged {
            id: 3,
            to: "failed".into(),
        };
        assert_eq!(parse(moved), Parsed::Contact(9, to));
        let back = r#"{"seq":10,"type":"contact.reassigned","data":{"id":3,"code":"KH-3","status":"new","from":{"id":5,"full_name":"Bình"},"to":null}}"#;
        let pooled = ContactEvent::Reassigned {
            id: 3,
            status: "new".into(),
            to: None,
        };
        assert_eq!(parse(back), Parsed::Contact(10, pooled));
    }

    #[test]
    fn reads_new_deals() {
        let created = r#"{"seq":11,"type":"deal.created","data":{"id":2,"code":"HD2026-002","contact_id":3,"contact_code":"KH2026-003","closer":{"id":5,"full_name":"Bình"},"total":5220000}}"#;
        let Parsed::Deal(11, deal) = parse(created) else {
            panic!("not a deal: {:?}", parse(created));
        };
        assert_eq!((deal.id, deal.code.as_str()), (2, "HD2026-002"));
        assert_eq!(deal.closer.full_name, "Bình");
        assert_eq!(deal.total, 5_220_000);
    }

    #[test]
    fn reads_notifications() {
        let frame = r#"{"seq":14,"type":"notification","data":{"id":5,"title":"Khách mới","body":"An","link":"/contacts/3","created_at":"2026-11-25T01:00:00Z","read_at":null}}"#;
        let Parsed::Notification(14, note) = parse(frame) else {
            panic!("not a notification: {:?}", parse(frame));
        };
        assert_eq!((note.id, note.link.as_deref()), (5, Some("/contacts/3")));
    }

    #[test]
    fn reads_control_and_unknown_frames() {
        assert_eq!(parse(r#"{"type":"resync"}"#), Parsed::Resync);
        assert_eq!(parse(r#"{"type":"pong"}"#), Parsed::Ignored);
        let changed = r#"{"type":"permissions.changed","at":"2026-11-25T01:02:03.000Z"}"#;
        assert_eq!(parse(changed), Parsed::PermissionsChanged);
        let deal = r#"{"seq":12,"type":"deal.created","data":{"id":1}}"#;
        assert_eq!(parse(deal), Parsed::Numbered(12));
        let odd = r#"{"seq":13,"type":"contact.picked","data":{"id":"x"}}"#;
        assert_eq!(parse(odd), Parsed::Numbered(13));
        assert_eq!(parse("not json"), Parsed::Ignored);
    }

    #[test]
    fn skips_replayed_events() {
        let mut last = 5;
        let seen: Vec<u64> = [4, 5, 6, 6, 9, 7, 10]
            .into_iter()
            .filter(|seq| advance(&mut last, *seq))
            .collect();
        assert_eq!(seen, [6, 9, 10]);
        assert_eq!(last, 10);
    }
}
