//! Who may receive an event: decided per user with the same rules as contact queries.

use api_types::permissions::{DEALS_VIEW, DEALS_VIEW_ALL};
use serde::{Deserialize, Serialize};

use crate::{
    contacts::scope::{self, ContactState, VIEW, VIEW_ALL},
    permissions::Grants,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Audience {
    /// Everyone who sees the pool of new contacts.
    Pool,
    /// Everyone whose scope includes the contact in any of these states (before and
    /// after a change), so the contact appears or disappears on their screens.
    Contact { states: Vec<ContactState> },
    /// A deal's closer and everyone who sees every deal.
    Deal { closer_id: i64 },
    /// One user alone (their own notifications).
    User { user_id: i64 },
}

impl Audience {
    pub fn allows(&self, user_id: i64, grants: &Grants) -> bool {
        match self {
            Self::Pool => grants.has(VIEW) || grants.has(VIEW_ALL),
            Self::Contact { states } => states.iter().any(|s| scope::sees(grants, user_id, s)),
            Self::Deal { closer_id } => {
                (*closer_id == user_id && grants.has(DEALS_VIEW)) || grants.has(DEALS_VIEW_ALL)
            }
            Self::User { user_id: to } => *to == user_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grants(codes: &[&str]) -> Grants {
        Grants {
            roles: Vec::new(),
            permissions: codes.iter().map(|c| (*c).to_owned()).collect(),
            ..Grants::default()
        }
    }

    fn state(status: &str, assignee: Option<i64>) -> ContactState {
        ContactState {
            status: status.into(),
            assignee_id: assignee,
            created_by: 1,
        }
    }

    #[test]
    fn a_sale_hears_of_their_own_contacts_and_the_pool_only() {
        let sale = grants(&["contacts.view"]);
        let care = grants(&["contacts.view_failed"]);
        let held_by_9 = Audience::Contact {
            states: vec![state("consulting", Some(9))],
        };
        assert!(held_by_9.allows(9, &sale));
        assert!(!held_by_9.allows(8, &sale));
        assert!(!held_by_9.allows(8, &care));
        let failed = Audience::Contact {
            states: vec![state("consulting", Some(9)), state("failed", Some(9))],
        };
        assert!(failed.allows(8, &care));
        assert!(Audience::Pool.allows(8, &sale));
        assert!(!Audience::Pool.allows(8, &care));
        assert!(Audience::Pool.allows(8, &grants(&["contacts.view_all"])));
    }

    #[test]
    fn a_deal_reaches_its_closer_and_those_who_see_every_deal() {
        let deal = Audience::Deal { closer_id: 9 };
        assert!(deal.allows(9, &grants(&["deals.view"])));
        assert!(!deal.allows(8, &grants(&["deals.view"])));
        assert!(deal.allows(8, &grants(&["deals.view_all"])));
        assert!(!deal.allows(9, &grants(&["contacts.view"])));
    }

    #[test]
    fn a_personal_event_reaches_its_user_whatever_their_rights() {
        let mine = Audience::User { user_id: 9 };
        assert!(mine.allows(9, &grants(&[])));
        assert!(!mine.allows(8, &grants(&["contacts.view_all", "deals.view_all"])));
    }
}
