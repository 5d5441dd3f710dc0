//! Who a rule being written would reach now, for the rule form's live preview. It uses
//! the matcher's own tests (`recipients::listed`, `notifications.receive`,
//! `scope::sees`), so the admin sees the same people the worker would pick.

use std::collections::HashMap;

use api_types::{PersonRef, RecipientPreview, RuleConditions, permissions::NOTIFICATIONS_RECEIVE};
use entities::{team, user};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder};

use super::recipients::{self, Memberships};
use crate::{
    contacts::scope::{self, ContactState, VIEW, VIEW_ALL, VIEW_FAILED},
    permissions::GrantsCache,
};

/// The contact an event would be about, as far as the preview knows it.
pub enum Subject {
    /// Its state after the event is known (a new contact, or a real one).
    Known(ContactState),
    /// It depends on each event (who picked it, where it moved): people who may see
    /// some contact are listed, each event narrows them.
    PerEvent,
}

impl Subject {
    /// What the preview can assume about the contact of `trigger` when no real contact
    /// is named: a new contact sits in the pool with nobody holding it.
    pub fn for_trigger(trigger: &str) -> Self {
        if trigger == "contact.created" {
            Self::Known(ContactState {
                status: "new".to_owned(),
                assignee_id: None,
                // Nobody: the operator who creates it sees the pool anyway.
                created_by: 0,
            })
        } else {
            Self::PerEvent
        }
    }
}

pub async fn preview(
    conn: &impl ConnectionTrait,
    grants: &GrantsCache,
    conditions: &RuleConditions,
    subject: &Subject,
) -> Result<RecipientPreview, DbErr> {
    let roles = Memberships::load(conn).await?;
    let users = user::Entity::find()
        .order_by_asc(user::Column::FullName)
        .all(conn)
        .await?;
    let teams: HashMap<i64, String> = team::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let mut people = Vec::new();
    for person in users
        .iter()
        .filter(|u| recipients::listed(conditions, u, &roles))
    {
        let rights = grants.get(conn, person.id).await?;
        let sees = match subject {
            Subject::Known(state) => scope::sees(&rights, person.id, state),
            Subject::PerEvent => [VIEW, VIEW_ALL, VIEW_FAILED].iter().any(|p| rights.has(p)),
        };
        if rights.has(NOTIFICATIONS_RECEIVE) && sees {
            people.push(PersonRef {
                id: person.id,
                full_name: person.full_name.clone(),
                username: person.username.clone(),
                team_name: person.team_id.and_then(|id| teams.get(&id).cloned()),
            });
        }
    }
    Ok(RecipientPreview {
        people,
        per_contact: matches!(subject, Subject::PerEvent),
    })
}
