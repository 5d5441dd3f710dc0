//! `GET /api/reports/export?table=…`: one of the dashboard's tables as CSV or XLSX,
//! for the same period and team. Audited.

use api_types::{ApiErrorBody, Dashboard, STATUSES, label};
use axum::{extract::State, response::Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use super::dashboard::{ReportQuery, build};
use crate::{
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    export::{self, Cell, Column, Format, Row, Rows, column},
    http::params::ApiQuery,
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `top_performers`, `picks_per_sale`, `revenue_per_team`, `trend`, `status` or `care`.
    table: Option<String>,
    /// `csv` (default) or `xlsx`.
    format: Option<String>,
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
    team_id: Option<i64>,
}

/// One dashboard table for the period.
#[utoipa::path(
    get, path = "/api/reports/export", tag = "reports",
    params(ExportQuery),
    responses(
        (status = 200, description = "CSV (UTF-8 with BOM) or XLSX file"),
        (status = 403, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiQuery(query): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let format = Format::parse(query.format.as_deref())?;
    let table = query.table.as_deref().unwrap_or_default();
    let Some(columns) = table_columns(table) else {
        return Err(ApiError::validation(
            "table",
            "Bảng báo cáo phải là top_performers, picks_per_sale, revenue_per_team, trend, status hoặc care",
        ));
    };
    let report = ReportQuery {
        period: query.period.clone(),
        from: query.from.clone(),
        to: query.to.clone(),
        team_id: query.team_id,
    };
    let dashboard = build(&state, &caller, &report).await?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    caller
        .audit(
            &tx,
            now,
            "reports.exported",
            None,
            None,
            Some(json!({
                "table": table, "format": format.code(),
                "from": dashboard.from, "to": dashboard.to, "team_id": query.team_id,
            })),
        )
        .await?;
    tx.commit().await?;
    let stem = format!(
        "bao-cao-{}-{}-{}",
        table.replace('_', "-"),
        dashboard.from,
        dashboard.to
    );
    let rows = rows(table, dashboard);
    export::download(format, &stem, columns, Rows(Some(rows))).await
}

const PERFORMERS: &[Column] = &[
    column("Nhân viên", 26),
    column("Nhóm", 18),
    column("Khách đã nhận", 14),
    column("Hợp đồng", 10),
    column("Doanh thu", 18),
];
const PICKS: &[Column] = &[column("Nhân viên", 26), column("Lượt nhận", 12)];
const REVENUE: &[Column] = &[column("Nhóm", 26), column("Doanh thu", 18)];
const TREND: &[Column] = &[column("Từ ngày", 12), column("Khách hàng mới", 16)];
const STATUS: &[Column] = &[column("Trạng thái", 18), column("Số khách hàng", 14)];
const CARE: &[Column] = &[
    column("Mã KH", 14),
    column("Họ tên", 26),
    column("Trạng thái", 14),
    column("Từ lúc", 17),
];

fn table_columns(table: &str) -> Option<&'static [Column]> {
    Some(match table {
        "top_performers" => PERFORMERS,
        "picks_per_sale" => PICKS,
        "revenue_per_team" => REVENUE,
        "trend" => TREND,
        "status" => STATUS,
        "care" => CARE,
        _ => return None,
    })
}

fn rows(table: &str, d: Dashboard) -> Vec<Row> {
    let bars = |bars: Vec<api_types::Bar>, money: bool| -> Vec<Row> {
        bars.into_iter()
            .map(|b| {
                let value = if money {
                    Cell::Money(b.value)
                } else {
                    Cell::Number(b.value)
                };
                vec![Cell::Text(b.label), value]
            })
            .collect()
    };
    match table {
        "top_performers" => d
            .top_performers
            .into_iter()
            .map(|p| {
                vec![
                    Cell::Text(p.full_name),
                    p.team.into(),
                    Cell::Number(p.contacts),
                    Cell::Number(p.deals),
                    Cell::Money(p.revenue),
                ]
            })
            .collect(),
        "picks_per_sale" => bars(d.picks_per_sale, false),
        "revenue_per_team" => bars(d.revenue_per_team, true),
        "trend" => d
            .trend
            .into_iter()
            .map(|p| {
                vec![
                    NaiveDate::parse_from_str(&p.start, "%Y-%m-%d").map_or(Cell::Empty, Cell::Day),
                    Cell::Number(p.count),
                ]
            })
            .collect(),
        "status" => d
            .status
            .into_iter()
            .map(|s| {
                vec![
                    Cell::from(label(STATUSES, &s.status)),
                    Cell::Number(s.count),
                ]
            })
            .collect(),
        _ => d
            .care
            .oldest
            .into_iter()
            .map(|c| {
                vec![
                    Cell::Text(c.code),
                    Cell::Text(c.full_name),
                    Cell::from(label(STATUSES, &c.status)),
                    DateTime::parse_from_rfc3339(&c.since)
                        .map_or(Cell::Empty, |t| Cell::Time(t.with_timezone(&Utc))),
                ]
            })
            .collect(),
    }
}
