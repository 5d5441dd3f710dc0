//! The bell's state: the newest notifications and the unread count, from the inbox
//! page and the live `notification` events laid over it.

use std::rc::Rc;

use api_types::{NotificationDto, NotificationPage};
use yew::prelude::*;

/// How many entries the dropdown keeps; the inbox page holds the newest 30.
const KEPT: usize = 30;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Inbox {
    /// Newest first.
    pub items: Vec<NotificationDto>,
    pub unread: u64,
    /// The first page has arrived; events before it are kept and merged into it.
    pub loaded: bool,
}

pub enum InboxAction {
    Loaded(NotificationPage),
    /// A `notification` event.
    Arrived(NotificationDto),
    /// The server's count after marking one read.
    Read {
        id: i64,
        unread: u64,
        at: String,
    },
    AllRead {
        unread: u64,
        at: String,
    },
}

impl Reducible for Inbox {
    type Action = InboxAction;

    fn reduce(self: Rc<Self>, action: InboxAction) -> Rc<Self> {
        let mut inbox = (*self).clone();
        match action {
            InboxAction::Loaded(page) => {
                // An event that overtook the page's answer is newer than anything on it:
                // keep it on top, and count it if the page could not have.
                let newest = page.items.first().map_or(0, |n| n.id);
                let overtaking: Vec<NotificationDto> =
                    inbox.items.into_iter().filter(|n| n.id > newest).collect();
                let extra = overtaking.iter().filter(|n| n.read_at.is_none()).count() as u64;
                inbox.items = overtaking.into_iter().chain(page.items).collect();
                inbox.items.truncate(KEPT);
                inbox.unread = page.unread_count + extra;
                inbox.loaded = true;
            }
            InboxAction::Arrived(note) => {
                // A replay after reconnecting may repeat one already shown.
                if inbox.items.iter().any(|n| n.id == note.id) {
                    return self;
                }
                if note.read_at.is_none() {
                    inbox.unread += 1;
                }
                inbox.items.insert(0, note);
                inbox.items.truncate(KEPT);
            }
            InboxAction::Read { id, unread, at } => {
                if let Some(note) = inbox.items.iter_mut().find(|n| n.id == id) {
                    note.read_at.get_or_insert(at);
                }
                inbox.unread = unread;
            }
            InboxAction::AllRead { unread, at } => {
                for note in &mut inbox.items {
                    note.read_at.get_or_insert_with(|| at.clone());
                }
                inbox.unread = unread;
            }
        }
        Rc::new(inbox)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(id: i64, read: bool) -> NotificationDto {
        NotificationDto {
            id,
            title: format!("Thông báo {id}"),
            body: String::new(),
            link: None,
            created_at: "2026-11-25T01:00:00Z".into(),
            read_at: read.then(|| "2026-11-25T02:00:00Z".into()),
        }
    }

    fn page(items: Vec<NotificationDto>, unread: u64) -> NotificationPage {
        NotificationPage {
            total: items.len() as u64,
            items,
            unread_count: unread,
        }
    }

    #[test]
    fn events_raise_the_count_once_each() {
        let inbox = Rc::new(Inbox::default()).reduce(InboxAction::Loaded(page(
            vec![note(2, false), note(1, true)],
            1,
        )));
        let inbox = inbox.reduce(InboxAction::Arrived(note(3, false)));
        let inbox = inbox.reduce(InboxAction::Arrived(note(3, false)));
        assert_eq!(inbox.unread, 2);
        assert_eq!(
            inbox.items.iter().map(|n| n.id).collect::<Vec<_>>(),
            [3, 2, 1]
        );
    }

    #[test]
    fn an_event_that_overtakes_the_first_page_is_kept_and_counted() {
        let inbox = Rc::new(Inbox::default()).reduce(InboxAction::Arrived(note(5, false)));
        // The page was read before notification 5 was written.
        let inbox = inbox.reduce(InboxAction::Loaded(page(vec![note(4, false)], 1)));
        assert_eq!(inbox.unread, 2);
        assert_eq!(inbox.items.len(), 2);
        // …or after: then it is on the page and counted there.
        let inbox = Rc::new(Inbox::default())
            .reduce(InboxAction::Arrived(note(5, false)))
            .reduce(InboxAction::Loaded(page(vec![note(5, false)], 1)));
        assert_eq!((inbox.unread, inbox.items.len()), (1, 1));
    }

    #[test]
    fn reading_takes_the_servers_count() {
        let inbox = Rc::new(Inbox::default()).reduce(InboxAction::Loaded(page(
            vec![note(2, false), note(1, false)],
            2,
        )));
        let at = "2026-11-25T03:00:00Z".to_owned();
        let inbox = inbox.reduce(InboxAction::Read {
            id: 2,
            unread: 1,
            at: at.clone(),
        });
        assert!(inbox.items[0].read_at.is_some() && inbox.items[1].read_at.is_none());
        let inbox = inbox.reduce(InboxAction::AllRead { unread: 0, at });
        assert_eq!(inbox.unread, 0);
        assert!(inbox.items.iter().all(|n| n.read_at.is_some()));
    }
}
