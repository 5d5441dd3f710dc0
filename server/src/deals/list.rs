//! The deals list: filters, one page, and totals over every matching deal, all within
//! the caller's scope.

use std::collections::{BTreeSet, HashMap};

use api_types::{
    ApiErrorBody, DealFilterOptions, DealPage, DealSummary, TeamRef, permissions::DEALS_VIEW_ALL,
};
use axum::{Json, extract::State};
use entities::{contact, deal, deal_line, product, team};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, Query as SqlQuery},
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{payment, scope};
use crate::{
    auth::current_user::AuthUser,
    contacts::routes::search_condition,
    db, domain,
    error::{ApiError, ApiResult},
    http::params::ApiQuery,
    state::AppState,
    users::refs,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DealQuery {
    /// `pending`, `partial`, `paid` or `refunded`.
    payment_status: Option<String>,
    closer_id: Option<i64>,
    team_id: Option<i64>,
    /// Closed on or after this day (`YYYY-MM-DD`).
    from: Option<String>,
    /// Closed on or before this day (`YYYY-MM-DD`).
    to: Option<String>,
    /// A deal code (`HD2026-…`), or what finds the contact: code, phone or name.
    q: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
    /// Export only: `csv` (default) or `xlsx`.
    pub format: Option<String>,
}

pub(super) fn filter(
    state: &AppState,
    caller: &AuthUser,
    query: &DealQuery,
) -> Result<Condition, ApiError> {
    let mut all = Condition::all().add(scope::condition(caller));
    if let Some(status) = query.payment_status.as_deref().filter(|s| !s.is_empty()) {
        if !payment::is_status(status) {
            return Err(ApiError::validation(
                "payment_status",
                "Trạng thái thanh toán không hợp lệ",
            ));
        }
        all = all.add(deal::Column::PaymentStatus.eq(status));
    }
    if let Some(id) = query.closer_id {
        all = all.add(deal::Column::CloserId.eq(id));
    }
    if let Some(id) = query.team_id {
        all = all.add(deal::Column::TeamId.eq(id));
    }
    if let Some(from) = query.from.as_deref().filter(|s| !s.is_empty()) {
        all = all.add(deal::Column::ClosedOn.gte(domain::date("from", from, "Từ ngày")?));
    }
    if let Some(to) = query.to.as_deref().filter(|s| !s.is_empty()) {
        all = all.add(deal::Column::ClosedOn.lte(domain::date("to", to, "Đến ngày")?));
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let upper = q.to_uppercase();
        let is_deal_code = upper
            .strip_prefix("HD")
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_digit());
        all = all.add(if is_deal_code {
            deal::Column::Code.starts_with(upper)
        } else {
            deal::Column::ContactId.in_subquery(
                SqlQuery::select()
                    .column(contact::Column::Id)
                    .from(contact::Entity)
                    .cond_where(search_condition(&state.vault, q))
                    .to_owned(),
            )
        });
    }
    Ok(all)
}

#[derive(FromQueryResult)]
struct Sums {
    sum_total: i64,
    sum_discount: i64,
}

/// Deals the caller may see, newest closing date first, with totals for the filter.
#[utoipa::path(
    get, path = "/api/deals", tag = "deals",
    params(DealQuery),
    responses((status = 200, body = DealPage), (status = 422, body = ApiErrorBody))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiQuery(query): ApiQuery<DealQuery>,
) -> ApiResult<Json<DealPage>> {
    let condition = filter(&state, &caller, &query)?;
    let per_page = query.per_page.unwrap_or(20).clamp(1, 200);
    let page = query.page.unwrap_or(1).max(1);
    let select = deal::Entity::find().filter(condition);
    let total = select.clone().count(&state.db).await?;
    let backend = state.db.get_database_backend();
    let sums = select
        .clone()
        .select_only()
        .column_as(
            db::sum_i64(backend, Expr::col(deal::Column::Total)),
            "sum_total",
        )
        .column_as(
            db::sum_i64(backend, Expr::col(deal::Column::Discount)),
            "sum_discount",
        )
        .into_model::<Sums>()
        .one(&state.db)
        .await?
        .unwrap_or(Sums {
            sum_total: 0,
            sum_discount: 0,
        });
    let rows = select
        .order_by_desc(deal::Column::ClosedOn)
        .order_by_desc(deal::Column::Id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .all(&state.db)
        .await?;
    Ok(Json(DealPage {
        items: summaries(&state, rows).await?,
        total,
        sum_total: sums.sum_total,
        sum_discount: sums.sum_discount,
    }))
}

pub(super) async fn summaries(
    state: &AppState,
    rows: Vec<deal::Model>,
) -> Result<Vec<DealSummary>, ApiError> {
    let conn = &state.db;
    let deal_ids: Vec<i64> = rows.iter().map(|d| d.id).collect();
    let contact_ids: Vec<i64> = rows.iter().map(|d| d.contact_id).collect();
    let contacts: HashMap<i64, contact::Model> = contact::Entity::find()
        .filter(contact::Column::Id.is_in(contact_ids.clone()))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let keys = state.vault.keys_for(conn, &contact_ids).await?;
    let lines = deal_line::Entity::find()
        .filter(deal_line::Column::DealId.is_in(deal_ids))
        .order_by_asc(deal_line::Column::Position)
        .all(conn)
        .await?;
    let product_names: HashMap<i64, String> = product::Entity::find()
        .filter(product::Column::Id.is_in(lines.iter().map(|l| l.product_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let mut products: HashMap<i64, Vec<String>> = HashMap::new();
    for line in &lines {
        products.entry(line.deal_id).or_default().push(
            product_names
                .get(&line.product_id)
                .cloned()
                .unwrap_or_default(),
        );
    }
    let people = refs::by_id(conn, rows.iter().map(|d| d.closer_id)).await?;
    let teams = team_names(conn, rows.iter().filter_map(|d| d.team_id).collect()).await?;
    let coupons: HashMap<i64, String> = entities::coupon::Entity::find()
        .filter(entities::coupon::Column::Id.is_in(rows.iter().filter_map(|d| d.coupon_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    Ok(rows
        .into_iter()
        .map(|d| {
            let contact = contacts.get(&d.contact_id);
            DealSummary {
                id: d.id,
                code: d.code,
                contact_id: d.contact_id,
                contact_code: contact.map(|c| c.code.clone()).unwrap_or_default(),
                contact_name: contact
                    .map(|c| state.vault.open(keys.get(&c.id), c).full_name)
                    .unwrap_or_default(),
                closer_id: d.closer_id,
                closer_name: people.get(&d.closer_id).map(|p| p.full_name.clone()),
                team_name: d.team_id.and_then(|t| teams.get(&t).cloned()),
                products: products.remove(&d.id).unwrap_or_default(),
                coupon_code: d.coupon_id.and_then(|c| coupons.get(&c).cloned()),
                total: d.total,
                payment_status: d.payment_status,
                closed_on: d.closed_on.format("%Y-%m-%d").to_string(),
            }
        })
        .collect())
}

async fn team_names(
    conn: &impl ConnectionTrait,
    ids: BTreeSet<i64>,
) -> Result<HashMap<i64, String>, ApiError> {
    Ok(team::Entity::find()
        .filter(team::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect())
}

/// The Sales and teams the caller may filter the deals list by: everyone who closed
/// a deal and every team for those who see all deals; nothing for a Sale, who sees
/// only their own.
#[utoipa::path(
    get, path = "/api/deals/filters", tag = "deals",
    responses((status = 200, body = DealFilterOptions))
)]
pub async fn filters(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<DealFilterOptions>> {
    if !caller.grants.has(DEALS_VIEW_ALL) {
        return Ok(Json(DealFilterOptions {
            closers: Vec::new(),
            teams: Vec::new(),
        }));
    }
    let closer_ids: Vec<i64> = deal::Entity::find()
        .select_only()
        .column(deal::Column::CloserId)
        .distinct()
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut closers: Vec<_> = refs::by_id(&state.db, closer_ids)
        .await?
        .into_values()
        .collect();
    closers.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    let teams = team::Entity::find()
        .order_by_asc(team::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|t| TeamRef {
            id: t.id,
            name: t.name,
        })
        .collect();
    Ok(Json(DealFilterOptions { closers, teams }))
}
