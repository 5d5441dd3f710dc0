//! Who receives a rule's message about one event: active employees matching every
//! recipient list of the rule, holding `notifications.receive`, and allowed to see the
//! contact as the event left it — the same row-level rule as every contact query
//! (`contacts::scope::sees`), so a Sale never hears of another Sale's lead.

use std::collections::{HashMap, HashSet};

use api_types::{RuleConditions, permissions::NOTIFICATIONS_RECEIVE};
use entities::{user, user_role};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

use super::context::{Directory, Facts};
use crate::{contacts::scope, permissions::GrantsCache};

/// Each user's roles, read once per batch.
#[derive(Debug, Default)]
pub struct Memberships(HashMap<i64, HashSet<i64>>);

impl Memberships {
    pub async fn load(conn: &impl ConnectionTrait) -> Result<Self, DbErr> {
        let mut map: HashMap<i64, HashSet<i64>> = HashMap::new();
        for row in user_role::Entity::find().all(conn).await? {
            map.entry(row.user_id).or_default().insert(row.role_id);
        }
        Ok(Self(map))
    }

    fn has_any(&self, user_id: i64, role_ids: &[i64]) -> bool {
        self.0
            .get(&user_id)
            .is_some_and(|held| role_ids.iter().any(|r| held.contains(r)))
    }
}

/// Whether the rule's event filters (service type, source, status) let the event through.
pub fn event_passes(conditions: &RuleConditions, facts: &Facts) -> bool {
    (conditions.service_type_ids.is_empty()
        || conditions
            .service_type_ids
            .contains(&facts.contact.service_type_id))
        && (conditions.sources.is_empty() || conditions.sources.contains(&facts.contact.source))
        && (conditions.statuses.is_empty() || conditions.statuses.contains(&facts.state.status))
}

/// Whether an employee is on the rule's recipient lists (each given list must match).
pub fn listed(conditions: &RuleConditions, user: &user::Model, roles: &Memberships) -> bool {
    user.is_active()
        && (conditions.role_ids.is_empty() || roles.has_any(user.id, &conditions.role_ids))
        && (conditions.team_ids.is_empty()
            || user
                .team_id
                .is_some_and(|t| conditions.team_ids.contains(&t)))
        && (conditions.user_ids.is_empty() || conditions.user_ids.contains(&user.id))
}

/// The recipients of one rule for one event, by id.
pub async fn resolve(
    conn: &impl ConnectionTrait,
    grants: &GrantsCache,
    conditions: &RuleConditions,
    facts: &Facts,
    dir: &Directory,
    roles: &Memberships,
) -> Result<Vec<i64>, DbErr> {
    let mut ids: Vec<i64> = dir
        .users
        .values()
        .filter(|u| listed(conditions, u, roles))
        .map(|u| u.id)
        .collect();
    ids.sort_unstable();
    let rights = grants.get_many(conn, &ids).await?;
    Ok(ids
        .into_iter()
        .filter(|id| {
            rights.get(id).is_some_and(|rights| {
                rights.has(NOTIFICATIONS_RECEIVE) && scope::sees(rights, *id, &facts.state)
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use entities::contact;

    use super::*;
    use crate::{contacts::scope::ContactState, notifications::template::Values};

    fn person(id: i64, team: Option<i64>, status: &str) -> user::Model {
        let now = Utc::now();
        user::Model {
            id,
            username: format!("u{id}"),
            full_name: format!("User {id}"),
            email: None,
            phone: None,
            team_id: team,
            position: None,
            password_hash: String::new(),
            status: status.into(),
            created_at: now,
            updated_at: now,
            password_changed_at: now,
        }
    }

    #[test]
    fn every_given_list_must_match_and_locked_people_never_do() {
        let mut roles = Memberships::default();
        roles.0.insert(1, HashSet::from([3]));
        roles.0.insert(2, HashSet::from([3]));
        roles.0.insert(4, HashSet::from([3]));
        let sales_of_team_7 = RuleConditions {
            role_ids: vec![3],
            team_ids: vec![7],
            ..RuleConditions::default()
        };
        assert!(listed(
            &sales_of_team_7,
            &person(1, Some(7), "active"),
            &roles
        ));
        assert!(!listed(
            &sales_of_team_7,
            &person(2, Some(8), "active"),
            &roles
        ));
        assert!(!listed(
            &sales_of_team_7,
            &person(3, Some(7), "active"),
            &roles
        ));
        assert!(!listed(
            &sales_of_team_7,
            &person(4, Some(7), "locked"),
            &roles
        ));
        let everyone = RuleConditions::default();
        assert!(listed(&everyone, &person(3, None, "active"), &roles));
    }

    #[test]
    fn event_filters_read_the_contact_and_the_state_the_event_left() {
        let now = Utc::now();
        let facts = Facts {
            seq: 1,
            contact: contact::Model {
                id: 1,
                code: "KH2026-001".into(),
                full_name_enc: String::new(),
                phone_enc: String::new(),
                email_enc: None,
                note_enc: None,
                phone_index: String::new(),
                service_type_id: 2,
                source: "google".into(),
                team_id: None,
                status: "care_l1".into(),
                assignee_id: None,
                created_by: 1,
                created_at: now,
                updated_at: now,
                picked_at: None,
            },
            state: ContactState {
                status: "failed".into(),
                assignee_id: Some(5),
                created_by: 1,
            },
            values: Values::default(),
            link: String::new(),
        };
        let only = |f: fn(&mut RuleConditions)| {
            let mut c = RuleConditions::default();
            f(&mut c);
            event_passes(&c, &facts)
        };
        assert!(only(|_| {}));
        assert!(only(|c| c.statuses = vec!["failed".into()]));
        assert!(!only(|c| c.statuses = vec!["care_l1".into()]));
        assert!(only(|c| c.service_type_ids = vec![1, 2]));
        assert!(!only(|c| c.service_type_ids = vec![1]));
        assert!(!only(|c| c.sources = vec!["referral".into()]));
    }
}
