//! Turning contact rows into what the caller may see.

use std::collections::{HashMap, HashSet};

use api_types::{ContactDto, ContactRef};
use chrono::SecondsFormat;
use entities::{contact, service_type, team, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    scope::{self, VIEW_ALL, VIEW_FAILED, mask_email, mask_phone},
    status::Status,
    vault::Vault,
};
use crate::{auth::current_user::AuthUser, error::ApiError};

/// Finds a contact by id within the caller's scope: outside it, the contact does not
/// exist for them (`404`, not `403`, so ids cannot be probed).
pub async fn find_visible(
    conn: &impl ConnectionTrait,
    caller: &AuthUser,
    id: i64,
) -> Result<contact::Model, ApiError> {
    contact::Entity::find_by_id(id)
        .filter(scope::condition(caller)?)
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Statuses this caller may set by hand now: a consulting contact is its Sale's to
/// move; failed and care contacts are customer care's.
pub fn allowed_moves(caller: &AuthUser, row: &contact::Model) -> Vec<String> {
    let Some(status) = Status::parse(&row.status) else {
        return Vec::new();
    };
    if !caller
        .grants
        .has(api_types::permissions::CONTACTS_UPDATE_STATUS)
    {
        return Vec::new();
    }
    let admin = caller.grants.has(VIEW_ALL);
    let permitted = match status {
        Status::Consulting => admin || row.assignee_id == Some(caller.user.id),
        s if s.in_care() => admin || caller.grants.has(VIEW_FAILED),
        _ => admin,
    };
    if !permitted {
        return Vec::new();
    }
    status
        .manual_moves()
        .into_iter()
        .map(|s| s.code().to_owned())
        .collect()
}

/// The holder of a consulting contact closes it by creating its deal.
pub fn can_close(caller: &AuthUser, row: &contact::Model) -> bool {
    caller.grants.has(api_types::permissions::DEALS_CREATE)
        && row.status == Status::Consulting.code()
        && row.assignee_id == Some(caller.user.id)
}

pub async fn dtos(
    conn: &impl ConnectionTrait,
    vault: &Vault,
    caller: &AuthUser,
    rows: Vec<contact::Model>,
) -> Result<Vec<ContactDto>, ApiError> {
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let keys = vault.keys_for(conn, &ids).await?;
    let service_types: HashMap<i64, service_type::Model> = service_type::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|st| (st.id, st))
        .collect();
    let people: HashSet<i64> = rows
        .iter()
        .flat_map(|c| [Some(c.created_by), c.assignee_id])
        .flatten()
        .collect();
    let names: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(people))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect();
    let team_ids: HashSet<i64> = rows.iter().filter_map(|c| c.team_id).collect();
    let teams: HashMap<i64, String> = team::Entity::find()
        .filter(team::Column::Id.is_in(team_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let deals = crate::deals::deal_ids_for_contacts(conn, caller, ids).await?;
    let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    Ok(rows
        .into_iter()
        .map(|row| {
            let key = keys.get(&row.id);
            let personal = vault.open(key, &row);
            let reveal = scope::reveals(caller, &row);
            let st = service_types.get(&row.service_type_id);
            ContactDto {
                allowed_moves: allowed_moves(caller, &row),
                deal_id: deals.get(&row.id).copied(),
                can_close: can_close(caller, &row),
                anonymized: key.is_none(),
                id: row.id,
                code: row.code,
                full_name: personal.full_name,
                phone: if reveal {
                    personal.phone
                } else {
                    mask_phone(&personal.phone)
                },
                email: if reveal {
                    personal.email
                } else {
                    personal.email.as_deref().map(mask_email)
                },
                masked: !reveal,
                note: if reveal { personal.note } else { None },
                service_type_id: row.service_type_id,
                service_type_code: st.map(|s| s.code.clone()).unwrap_or_default(),
                service_type_name: st.map(|s| s.name.clone()).unwrap_or_default(),
                source: row.source,
                team_id: row.team_id,
                team_name: row.team_id.and_then(|t| teams.get(&t).cloned()),
                status: row.status,
                assignee_id: row.assignee_id,
                assignee_name: row.assignee_id.and_then(|a| names.get(&a).cloned()),
                created_by: row.created_by,
                created_by_name: names.get(&row.created_by).cloned(),
                created_at: time(row.created_at),
                updated_at: time(row.updated_at),
                picked_at: row.picked_at.map(time),
            }
        })
        .collect())
}

pub async fn dto(
    conn: &impl ConnectionTrait,
    vault: &Vault,
    caller: &AuthUser,
    row: contact::Model,
) -> Result<ContactDto, ApiError> {
    dtos(conn, vault, caller, vec![row])
        .await?
        .pop()
        .ok_or(ApiError::NotFound)
}

/// Contacts already holding this phone (X-DUP), oldest first.
pub async fn duplicates(
    conn: &impl ConnectionTrait,
    vault: &Vault,
    phone: &str,
    except: Option<i64>,
) -> Result<Vec<ContactRef>, ApiError> {
    let mut query =
        contact::Entity::find().filter(contact::Column::PhoneIndex.eq(vault.phone_index(phone)));
    if let Some(id) = except {
        query = query.filter(contact::Column::Id.ne(id));
    }
    Ok(query
        .order_by_asc(contact::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|c| ContactRef {
            id: c.id,
            code: c.code,
            status: c.status,
        })
        .collect())
}
