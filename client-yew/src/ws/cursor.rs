//! Which event number the socket resumes after, and dropping events already seen.

use std::cell::Cell;

use super::LiveEvent;
use super::frames::{Parsed, advance, parse};

/// The highest event number seen, shared between the service and the pages.
#[derive(Debug, Default)]
pub struct Cursor {
    last: Cell<Option<u64>>,
    opened: Cell<bool>,
}

impl Cursor {
    /// A page loaded its data as of event `seq`. Until the socket first opens, the
    /// service resumes from no later than that, so nothing between the two is lost;
    /// afterwards the socket sees every event itself.
    pub fn floor(&self, seq: u64) {
        if !self.opened.get() {
            self.last
                .set(Some(self.last.get().map_or(seq, |last| last.min(seq))));
        }
    }

    /// A new session starts: where to resume is not known yet.
    pub fn reset(&self) {
        self.last.set(None);
        self.opened.set(false);
    }

    pub fn last(&self) -> Option<u64> {
        self.last.get()
    }

    /// The socket opened: from now on it sees every event itself.
    pub fn open(&self) {
        self.opened.set(true);
    }
}

/// Turns a frame into news; numbered frames already seen (replays) are dropped.
pub fn event_for(text: &str, cursor: &Cursor) -> Option<LiveEvent> {
    let parsed = parse(text);
    if let Parsed::Contact(seq, _)
    | Parsed::Deal(seq, _)
    | Parsed::Notification(seq, _)
    | Parsed::Numbered(seq) = &parsed
    {
        let mut last = cursor.last.get().unwrap_or(0);
        let fresh = advance(&mut last, *seq);
        cursor.last.set(Some(last));
        if !fresh {
            return None;
        }
    }
    match parsed {
        Parsed::PermissionsChanged => Some(LiveEvent::PermissionsChanged),
        Parsed::Resync => Some(LiveEvent::Resync),
        Parsed::Contact(seq, event) => Some(LiveEvent::Contact(seq, event)),
        Parsed::Deal(seq, deal) => Some(LiveEvent::Deal(seq, deal)),
        Parsed::Notification(seq, note) => Some(LiveEvent::Notification(seq, note)),
        Parsed::Numbered(_) | Parsed::Ignored => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_replayed_events() {
        let cursor = Cursor::default();
        cursor.floor(8);
        cursor.floor(9);
        let status = |seq: u64| {
            format!(
                r#"{{"seq":{seq},"type":"contact.status_changed","data":{{"id":1,"from":"new","to":"failed"}}}}"#
            )
        };
        assert_eq!(event_for(&status(8), &cursor), None);
        assert!(matches!(
            event_for(&status(9), &cursor),
            Some(LiveEvent::Contact(9, _))
        ));
        assert_eq!(event_for(&status(9), &cursor), None);
        assert_eq!(
            event_for(r#"{"type":"resync"}"#, &cursor),
            Some(LiveEvent::Resync)
        );
        let changed = r#"{"type":"permissions.changed"}"#;
        assert_eq!(
            event_for(changed, &cursor),
            Some(LiveEvent::PermissionsChanged)
        );
    }
}
