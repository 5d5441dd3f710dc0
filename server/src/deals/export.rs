//! `GET /api/deals/export`: the deals list, with its filters and row-level security,
//! as CSV or XLSX. Audited.

use api_types::{ApiErrorBody, DealSummary, PAYMENT_STATUSES, label};
use axum::{extract::State, response::Response};
use chrono::NaiveDate;
use entities::deal;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use super::list::{DealQuery, filter, summaries};
use crate::{
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    export::{self, Cell, Column, Format, Row, Source, column},
    http::params::ApiQuery,
    state::AppState,
};

const COLUMNS: &[Column] = &[
    column("Mã hợp đồng", 14),
    column("Mã KH", 14),
    column("Khách hàng", 26),
    column("Sản phẩm", 36),
    column("Mã giảm giá", 14),
    column("Tổng tiền", 16),
    column("Thanh toán", 20),
    column("Ngày chốt", 12),
    column("Người chốt", 22),
    column("Nhóm", 16),
];

/// Every deal the list would show for these filters, newest first.
#[utoipa::path(
    get, path = "/api/deals/export", tag = "deals",
    params(DealQuery),
    responses(
        (status = 200, description = "CSV (UTF-8 with BOM) or XLSX file"),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiQuery(query): ApiQuery<DealQuery>,
) -> ApiResult<Response> {
    let format = Format::parse(query.format.as_deref())?;
    let condition = filter(&state, &caller, &query)?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    caller
        .audit(
            &tx,
            now,
            "deals.exported",
            None,
            None,
            Some(json!({ "format": format.code(), "filters": format!("{query:?}") })),
        )
        .await?;
    tx.commit().await?;
    let stem = format!("hop-dong-{}", crate::domain::today_in_vietnam(now));
    let source = Pages {
        state,
        condition,
        before_id: None,
        done: false,
    };
    export::download(format, &stem, COLUMNS, source).await
}

/// Keyset pages by descending id.
struct Pages {
    state: AppState,
    condition: Condition,
    before_id: Option<i64>,
    done: bool,
}

impl Source for Pages {
    async fn next(&mut self) -> Result<Vec<Row>, ApiError> {
        if self.done {
            return Ok(Vec::new());
        }
        let mut condition = self.condition.clone();
        if let Some(id) = self.before_id {
            condition = condition.add(deal::Column::Id.lt(id));
        }
        let rows = deal::Entity::find()
            .filter(condition)
            .order_by_desc(deal::Column::Id)
            .limit(export::PAGE)
            .all(&self.state.db)
            .await?;
        self.done = (rows.len() as u64) < export::PAGE;
        self.before_id = rows.last().map(|r| r.id);
        Ok(summaries(&self.state, rows)
            .await?
            .into_iter()
            .map(row)
            .collect())
    }
}

fn row(d: DealSummary) -> Row {
    vec![
        Cell::Text(d.code),
        Cell::Text(d.contact_code),
        Cell::Text(d.contact_name),
        Cell::Text(d.products.join(", ")),
        d.coupon_code.into(),
        Cell::Money(d.total),
        Cell::from(label(PAYMENT_STATUSES, &d.payment_status)),
        NaiveDate::parse_from_str(&d.closed_on, "%Y-%m-%d").map_or(Cell::Empty, Cell::Day),
        d.closer_name.into(),
        d.team_name.into(),
    ]
}
