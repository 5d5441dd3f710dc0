//! The dashboard's aggregations, each one grouped query: the database counts and
//! sums, only the grouped rows come back.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use entities::{contact, daily_pick, deal, team, user};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};

use super::{period::Period, sql};
use crate::db;

pub const REFUNDED: &str = "refunded";

/// Contacts of one team (the team of the Sale who picked them), or all.
fn contacts_of(team_id: Option<i64>) -> Condition {
    let mut all = Condition::all();
    if let Some(team) = team_id {
        all = all.add(contact::Column::TeamId.eq(team));
    }
    all
}

fn created_in(period: &Period, team_id: Option<i64>) -> Condition {
    contacts_of(team_id)
        .add(contact::Column::CreatedAt.gte(period.start_utc()))
        .add(contact::Column::CreatedAt.lt(period.end_utc()))
}

fn deals_in(period: &Period, team_id: Option<i64>) -> Condition {
    let mut all = Condition::all().add(deal::Column::ClosedOn.between(period.first, period.last));
    if let Some(team) = team_id {
        all = all.add(deal::Column::TeamId.eq(team));
    }
    all
}

/// Picks are counted per Sale and day; a team's are those of its current members.
fn picks_in(period: &Period, team_id: Option<i64>) -> Condition {
    let mut all = Condition::all().add(daily_pick::Column::Day.between(
        period.first.format("%Y-%m-%d").to_string(),
        period.last.format("%Y-%m-%d").to_string(),
    ));
    if let Some(team) = team_id {
        all = all.add(
            daily_pick::Column::UserId.in_subquery(
                Query::select()
                    .column(user::Column::Id)
                    .from(user::Entity)
                    .and_where(user::Column::TeamId.eq(team))
                    .to_owned(),
            ),
        );
    }
    all
}

pub async fn contacts_created(
    conn: &impl ConnectionTrait,
    period: &Period,
    team_id: Option<i64>,
) -> Result<i64, DbErr> {
    let count = contact::Entity::find()
        .filter(created_in(period, team_id))
        .count(conn)
        .await?;
    Ok(i64::try_from(count).unwrap_or(i64::MAX))
}

/// Contacts created in the period, by their status now.
pub async fn status_counts(
    conn: &impl ConnectionTrait,
    period: &Period,
    team_id: Option<i64>,
) -> Result<Vec<(String, i64)>, DbErr> {
    contact::Entity::find()
        .select_only()
        .column(contact::Column::Status)
        .column_as(Expr::col(contact::Column::Id).count(), "count")
        .filter(created_in(period, team_id))
        .group_by(contact::Column::Status)
        .into_tuple()
        .all(conn)
        .await
}

/// New contacts per Vietnamese calendar day of the period (days without any omitted).
pub async fn contacts_per_day(
    conn: &impl ConnectionTrait,
    period: &Period,
    team_id: Option<i64>,
) -> Result<Vec<(NaiveDate, i64)>, DbErr> {
    let hour = sql::utc_hour(conn.get_database_backend(), "contacts", "created_at");
    let rows: Vec<(String, i64)> = contact::Entity::find()
        .select_only()
        .column_as(hour.clone(), "hour")
        .column_as(Expr::col(contact::Column::Id).count(), "count")
        .filter(created_in(period, team_id))
        .group_by(hour)
        .into_tuple()
        .all(conn)
        .await?;
    let mut days: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for (hour, count) in rows {
        if let Some(day) = sql::vietnam_day(&hour) {
            *days.entry(day).or_default() += count;
        }
    }
    Ok(days.into_iter().collect())
}

/// Picks per Sale in the period: `(user_id, picks)`.
pub async fn picks_per_sale(
    conn: &impl ConnectionTrait,
    period: &Period,
    team_id: Option<i64>,
) -> Result<Vec<(i64, i64)>, DbErr> {
    let backend = conn.get_database_backend();
    daily_pick::Entity::find()
        .select_only()
        .column(daily_pick::Column::UserId)
        .column_as(
            db::sum_i64(backend, Expr::col(daily_pick::Column::Count)),
            "picks",
        )
        .filter(picks_in(period, team_id))
        .group_by(daily_pick::Column::UserId)
        .into_tuple()
        .all(conn)
        .await
}

/// Per closer: `(user_id, deals, revenue)`; refunded deals count as deals, not revenue.
pub async fn deals_per_closer(
    conn: &impl ConnectionTrait,
    period: &Period,
    team_id: Option<i64>,
) -> Result<Vec<(i64, i64, i64)>, DbErr> {
    let backend = conn.get_database_backend();
    deal::Entity::find()
        .select_only()
        .column(deal::Column::CloserId)
        .column_as(Expr::col(deal::Column::Id).count(), "deals")
        .column_as(db::sum_i64(backend, earned()), "revenue")
        .filter(deals_in(period, team_id))
        .group_by(deal::Column::CloserId)
        .into_tuple()
        .all(conn)
        .await
}

/// Per team of the deal: `(team_id, revenue)`, refunds excluded.
pub async fn revenue_per_team(
    conn: &impl ConnectionTrait,
    period: &Period,
    team_id: Option<i64>,
) -> Result<Vec<(Option<i64>, i64)>, DbErr> {
    let backend = conn.get_database_backend();
    deal::Entity::find()
        .select_only()
        .column(deal::Column::TeamId)
        .column_as(db::sum_i64(backend, earned()), "revenue")
        .filter(deals_in(period, team_id))
        .group_by(deal::Column::TeamId)
        .into_tuple()
        .all(conn)
        .await
}

/// A deal's total unless it was refunded.
fn earned() -> Expr {
    Expr::case(deal::Column::PaymentStatus.eq(REFUNDED), Expr::val(0i64))
        .finally(Expr::col(deal::Column::Total))
        .into()
}

pub async fn user_names(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, (String, Option<i64>)>, DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, (u.full_name, u.team_id)))
        .collect())
}

pub async fn team_names(conn: &impl ConnectionTrait) -> Result<HashMap<i64, String>, DbErr> {
    Ok(team::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect())
}
