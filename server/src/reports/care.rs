//! The customer-care part of the dashboard: how many contacts wait with CSKH, and the
//! ones waiting longest, within what the viewer may see.

use api_types::{CareItem, CareQueue};
use chrono::SecondsFormat;
use entities::contact;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use crate::{auth::current_user::AuthUser, contacts::scope, error::ApiError, state::AppState};

/// Rows in the "waiting longest" table.
const OLDEST: u64 = 10;
/// Statuses still waiting for customer care (`closed` is done with).
const WAITING: [&str; 3] = ["failed", "care_l1", "care_l2"];

pub async fn queue(
    state: &AppState,
    caller: &AuthUser,
    team_id: Option<i64>,
) -> Result<CareQueue, ApiError> {
    let mut visible = Condition::all().add(scope::condition(caller)?);
    if let Some(team) = team_id {
        visible = visible.add(contact::Column::TeamId.eq(team));
    }
    let filter = visible.clone().add(contact::Column::Status.is_in(WAITING));
    let counts: Vec<(String, i64)> = contact::Entity::find()
        .select_only()
        .column(contact::Column::Status)
        .column_as(Expr::col(contact::Column::Id).count(), "count")
        .filter(filter.clone())
        .group_by(contact::Column::Status)
        .into_tuple()
        .all(&state.db)
        .await?;
    let count = |status: &str| {
        counts
            .iter()
            .find(|(s, _)| s == status)
            .map_or(0, |(_, n)| *n)
    };
    // The oldest of each status read along the (status, updated_at) index, then
    // merged: one query over all three would sort every waiting contact.
    let mut rows = Vec::new();
    for status in WAITING {
        rows.extend(
            contact::Entity::find()
                .filter(visible.clone().add(contact::Column::Status.eq(status)))
                .order_by_asc(contact::Column::UpdatedAt)
                .order_by_asc(contact::Column::Id)
                .limit(OLDEST)
                .all(&state.db)
                .await?,
        );
    }
    rows.sort_by_key(|row| (row.updated_at, row.id));
    rows.truncate(OLDEST as usize);
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let keys = state.vault.keys_for(&state.db, &ids).await?;
    let oldest = rows
        .into_iter()
        .map(|row| CareItem {
            full_name: state.vault.open(keys.get(&row.id), &row).full_name,
            id: row.id,
            code: row.code,
            status: row.status,
            since: row.updated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        })
        .collect();
    Ok(CareQueue {
        failed: count("failed"),
        care_l1: count("care_l1"),
        care_l2: count("care_l2"),
        oldest,
    })
}
