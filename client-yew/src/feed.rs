//! Live changes laid over the loaded contact list, so rows change in place without
//! reloading: new contacts on top, picks by others, status moves. Reset whenever the
//! list itself is loaded again.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use api_types::{ContactDto, ContactPage};
use yew::prelude::*;

use crate::text;
use crate::ws::{ContactEvent, NewContact};

mod scope;

pub use scope::would_include;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Feed {
    /// Events up to this number are already in the loaded list (replays repeat them).
    pub since: u64,
    /// New contacts shown above the list, newest first.
    pub added: Vec<ContactDto>,
    /// Rows still highlighted as new.
    pub fresh: HashSet<i64>,
    /// Contacts someone else picked: who.
    pub taken: HashMap<i64, String>,
    pub statuses: HashMap<i64, String>,
    /// New contacts the current filter may not show: the "reload" notice counts them.
    pub waiting: u64,
}

pub enum FeedAction {
    /// The list was loaded as of event `seq`.
    Reset(u64),
    Event {
        seq: u64,
        event: ContactEvent,
        /// Whether the list's filter shows new contacts on top (`would_include`).
        shows_new: bool,
        me: Option<i64>,
    },
    /// The highlight of a new row is over.
    Settled(i64),
    /// The server's view of a contact after the viewer's own action on it (boxed: a
    /// contact is far larger than the other actions).
    Row(Box<ContactDto>),
}

impl Reducible for Feed {
    type Action = FeedAction;

    fn reduce(self: Rc<Self>, action: FeedAction) -> Rc<Self> {
        let mut feed = (*self).clone();
        match action {
            FeedAction::Reset(since) => {
                return Rc::new(Self {
                    since,
                    ..Self::default()
                });
            }
            FeedAction::Settled(id) => {
                feed.fresh.remove(&id);
            }
            FeedAction::Row(contact) => {
                feed.statuses.remove(&contact.id);
                if let Some(row) = feed.added.iter_mut().find(|row| row.id == contact.id) {
                    *row = *contact;
                }
            }
            FeedAction::Event { seq, .. } if seq <= self.since => return self,
            FeedAction::Event {
                event,
                shows_new,
                me,
                ..
            } => feed.apply(event, shows_new, me),
        }
        Rc::new(feed)
    }
}

impl Feed {
    fn apply(&mut self, event: ContactEvent, shows_new: bool, me: Option<i64>) {
        match event {
            ContactEvent::Created { contact, at } => {
                if !shows_new {
                    self.waiting += 1;
                } else if self.added.iter().all(|row| row.id != contact.id) {
                    self.fresh.insert(contact.id);
                    self.added.insert(0, row_for(contact, at));
                }
            }
            // The picker's own screen shows the result through the pick flow.
            ContactEvent::Picked { id, picked_by } if Some(picked_by.id) != me => {
                self.taken.insert(id, picked_by.full_name);
                // A pick always moves the contact on to consulting.
                self.statuses.insert(id, "consulting".to_owned());
            }
            ContactEvent::Picked { .. } => {}
            ContactEvent::StatusChanged { id, to } => {
                self.statuses.insert(id, to);
            }
            ContactEvent::Reassigned { id, status, .. } => {
                if status == "new" {
                    self.taken.remove(&id);
                }
                self.statuses.insert(id, status);
            }
        }
    }

    /// The loaded page with the live changes applied.
    pub fn over(&self, page: &ContactPage) -> ContactPage {
        let added: Vec<ContactDto> = self
            .added
            .iter()
            .filter(|row| page.items.iter().all(|item| item.id != row.id))
            .cloned()
            .collect();
        let total = page.total + added.len() as u64;
        let items = added
            .into_iter()
            .chain(page.items.iter().cloned())
            .map(|mut row| {
                if let Some(status) = self.statuses.get(&row.id) {
                    row.status.clone_from(status);
                }
                row
            })
            .collect();
        ContactPage { items, total }
    }
}

/// A row for a contact known only from its event; the phone stays hidden as for any
/// pooled contact until it is picked.
fn row_for(contact: NewContact, at: String) -> ContactDto {
    ContactDto {
        id: contact.id,
        code: contact.code,
        full_name: contact.full_name,
        phone: text::DASH.to_owned(),
        email: None,
        masked: true,
        note: None,
        service_type_id: contact.service_type_id,
        service_type_code: contact.service_type.clone(),
        service_type_name: contact.service_type,
        source: contact.source,
        team_id: None,
        team_name: None,
        status: contact.status,
        assignee_id: None,
        assignee_name: None,
        created_by: 0,
        created_by_name: None,
        created_at: at.clone(),
        updated_at: at,
        picked_at: None,
        allowed_moves: Vec::new(),
        deal_id: None,
        can_close: false,
        anonymized: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ws::Person;

    fn created(id: i64) -> ContactEvent {
        let contact = NewContact {
            id,
            code: format!("KH-{id}"),
            full_name: "An".into(),
            service_type: "TLDN".into(),
            service_type_id: 1,
            source: "hotline".into(),
            status: "new".into(),
        };
        ContactEvent::Created {
            contact,
            at: "2026-11-25T01:00:00Z".into(),
        }
    }

    fn event(feed: Rc<Feed>, seq: u64, event: ContactEvent, shows_new: bool) -> Rc<Feed> {
        let me = Some(9);
        feed.reduce(FeedAction::Event {
            seq,
            event,
            shows_new,
            me,
        })
    }

    #[test]
    fn new_contacts_go_on_top_or_into_the_notice() {
        let feed = Rc::new(Feed::default()).reduce(FeedAction::Reset(10));
        let feed = event(feed, 10, created(1), true);
        assert!(feed.added.is_empty(), "already in the loaded list");
        let feed = event(feed, 11, created(2), true);
        let feed = event(feed, 11, created(2), true);
        let feed = event(feed, 12, created(3), false);
        assert_eq!(feed.added.iter().map(|c| c.id).collect::<Vec<_>>(), [2]);
        assert!(feed.fresh.contains(&2));
        assert_eq!(feed.waiting, 1);
        let feed = feed.reduce(FeedAction::Settled(2));
        assert!(feed.fresh.is_empty());
        let page = ContactPage {
            items: vec![],
            total: 4,
        };
        let shown = feed.over(&page);
        assert_eq!((shown.items.len(), shown.total), (1, 5));
        assert!(shown.items[0].masked);
    }

    #[test]
    fn picks_by_others_and_moves_change_rows() {
        let by = |id| Person {
            id,
            full_name: "Bình".into(),
        };
        let feed = Rc::new(Feed::default());
        let feed = event(
            feed,
            1,
            ContactEvent::Picked {
                id: 4,
                picked_by: by(9),
            },
            true,
        );
        assert!(feed.taken.is_empty(), "my own pick is the pick flow's");
        let feed = event(
            feed,
            2,
            ContactEvent::Picked {
                id: 4,
                picked_by: by(5),
            },
            true,
        );
        assert_eq!(feed.taken.get(&4).map(String::as_str), Some("Bình"));
        let to = "consulting".to_owned();
        let feed = event(feed, 3, ContactEvent::StatusChanged { id: 4, to }, true);
        assert_eq!(
            feed.statuses.get(&4).map(String::as_str),
            Some("consulting")
        );
        let back = ContactEvent::Reassigned {
            id: 4,
            status: "new".into(),
            to: None,
        };
        let feed = event(feed, 4, back, true);
        assert!(feed.taken.is_empty());
        assert_eq!(feed.statuses.get(&4).map(String::as_str), Some("new"));
    }
}
