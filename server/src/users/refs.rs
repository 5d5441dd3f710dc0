//! Employees as other screens name them: who closed a deal, who may use a coupon.

use std::collections::{BTreeSet, HashMap};

use api_types::PersonRef;
use entities::{team, user};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// `PersonRef`s of these users (with their team's name), by id.
pub async fn by_id(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, PersonRef>, DbErr> {
    let ids: BTreeSet<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(conn)
        .await?;
    Ok(refs(conn, users)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}

/// `PersonRef`s of these users, by name.
pub async fn refs(
    conn: &impl ConnectionTrait,
    mut users: Vec<user::Model>,
) -> Result<Vec<PersonRef>, DbErr> {
    let team_ids: BTreeSet<i64> = users.iter().filter_map(|u| u.team_id).collect();
    let teams: HashMap<i64, String> = team::Entity::find()
        .filter(team::Column::Id.is_in(team_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    users.sort_by(|a, b| a.full_name.cmp(&b.full_name).then(a.id.cmp(&b.id)));
    Ok(users
        .into_iter()
        .map(|u| PersonRef {
            id: u.id,
            team_name: u.team_id.and_then(|t| teams.get(&t).cloned()),
            full_name: u.full_name,
            username: u.username,
        })
        .collect())
}

/// Active users among `ids`, by name.
pub async fn active(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<Vec<PersonRef>, DbErr> {
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids.into_iter().collect::<Vec<_>>()))
        .filter(user::Column::Status.eq(user::STATUS_ACTIVE))
        .order_by_asc(user::Column::FullName)
        .all(conn)
        .await?;
    refs(conn, users).await
}
