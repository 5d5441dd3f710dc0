//! What the nodes tell each other over the broker. Messages carry no personal data
//! and no event payloads: an event hint says only how far the shared `events` table
//! has grown, and each node reads (and decrypts) the new rows itself.

use serde::{Deserialize, Serialize};

/// One message on the deployment's channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// The sending process, so a node skips its own messages.
    pub node: String,
    #[serde(flatten)]
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    /// Events up to `through` are committed: read what you have not published yet.
    Events { through: i64 },
    /// A change other nodes' memory must follow (sessions, rights, the event ring).
    #[serde(untagged)]
    Control(Control),
}

/// A change made on one node that the others' in-memory state must follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Control {
    /// Logout or revocation: close these sessions' sockets, forget cached sessions.
    SessionsRevoked { session_ids: Vec<i64> },
    /// A locked account: close its sockets, forget cached sessions.
    AccountLocked { user_id: i64 },
    /// Roles or grants changed: reload these users' rights for routing.
    PermissionsChanged { user_ids: Vec<i64> },
    /// Employees or teams edited: forget cached sessions.
    UsersChanged,
    /// Stored events now read differently (a contact erased): rebuild the ring.
    ReloadEvents,
}

impl Envelope {
    pub fn encode(&self) -> String {
        // A derived Serialize of plain fields cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn decode(payload: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_survives_the_wire() {
        let bodies = [
            Body::Events { through: 42 },
            Body::Control(Control::SessionsRevoked {
                session_ids: vec![1, 2],
            }),
            Body::Control(Control::AccountLocked { user_id: 7 }),
            Body::Control(Control::PermissionsChanged { user_ids: vec![3] }),
            Body::Control(Control::UsersChanged),
            Body::Control(Control::ReloadEvents),
        ];
        for body in bodies {
            let sent = Envelope {
                node: "n1".into(),
                body,
            };
            let text = sent.encode();
            assert_eq!(Envelope::decode(text.as_bytes()).expect(&text), sent);
        }
    }

    #[test]
    fn the_wire_format_is_flat_json() {
        let text = Envelope {
            node: "a".into(),
            body: Body::Events { through: 9 },
        }
        .encode();
        assert_eq!(text, r#"{"node":"a","kind":"events","through":9}"#);
        assert!(Envelope::decode(b"{\"node\":\"a\",\"kind\":\"nonsense\"}").is_err());
    }
}
