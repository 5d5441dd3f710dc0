//! `GET /api/contacts/export`: the contacts list, with the same filters and the same
//! row-level security and masking, as CSV or XLSX. Audited.

use api_types::{ApiErrorBody, ContactDto, SOURCES, STATUSES, label};
use axum::{extract::State, response::Response};
use chrono::{DateTime, Utc};
use entities::contact;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use super::{
    routes::{ContactQuery, list_filter},
    view,
};
use crate::{
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    export::{self, Cell, Column, Format, Row, Source, column},
    http::params::ApiQuery,
    state::AppState,
};

pub(crate) const COLUMNS: &[Column] = &[
    column("Mã KH", 14),
    column("Họ tên", 26),
    column("Số điện thoại", 14),
    column("Email", 26),
    column("Dịch vụ", 24),
    column("Nguồn", 20),
    column("Trạng thái", 14),
    column("Nhóm", 16),
    column("Người nhận", 22),
    column("Người tạo", 22),
    column("Ngày tạo", 17),
    column("Ngày nhận", 17),
    column("Ghi chú", 40),
];

/// Every contact the list would show for these filters, newest first.
#[utoipa::path(
    get, path = "/api/contacts/export", tag = "contacts",
    params(ContactQuery),
    responses(
        (status = 200, description = "CSV (UTF-8 with BOM) or XLSX file"),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiQuery(query): ApiQuery<ContactQuery>,
) -> ApiResult<Response> {
    let format = Format::parse(query.format.as_deref())?;
    let filter = list_filter(&state, &caller, &query)?;
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    caller
        .audit(
            &tx,
            now,
            "contacts.exported",
            None,
            None,
            Some(json!({ "format": format.code(), "filters": format!("{query:?}") })),
        )
        .await?;
    tx.commit().await?;
    let stem = format!("khach-hang-{}", crate::domain::today_in_vietnam(now));
    let source = Pages {
        state,
        caller,
        filter,
        before_id: None,
        done: false,
    };
    export::download(format, &stem, COLUMNS, source).await
}

/// Keyset pages (by descending id), so the thousandth page costs what the first does.
struct Pages {
    state: AppState,
    caller: AuthUser,
    filter: Condition,
    before_id: Option<i64>,
    done: bool,
}

impl Source for Pages {
    async fn next(&mut self) -> Result<Vec<Row>, ApiError> {
        if self.done {
            return Ok(Vec::new());
        }
        let mut filter = self.filter.clone();
        if let Some(id) = self.before_id {
            filter = filter.add(contact::Column::Id.lt(id));
        }
        let rows = contact::Entity::find()
            .filter(filter)
            .order_by_desc(contact::Column::Id)
            .limit(export::PAGE)
            .all(&self.state.db)
            .await?;
        self.done = (rows.len() as u64) < export::PAGE;
        self.before_id = rows.last().map(|r| r.id);
        let dtos = view::dtos(&self.state.db, &self.state.vault, &self.caller, rows).await?;
        Ok(dtos.into_iter().map(row).collect())
    }
}

fn row(c: ContactDto) -> Row {
    let time = |t: &str| {
        DateTime::parse_from_rfc3339(t)
            .map(|t| Cell::Time(t.with_timezone(&Utc)))
            .unwrap_or(Cell::Empty)
    };
    vec![
        Cell::Text(c.code),
        Cell::Text(c.full_name),
        Cell::Text(c.phone),
        c.email.into(),
        Cell::Text(c.service_type_name),
        Cell::from(label(SOURCES, &c.source)),
        Cell::from(label(STATUSES, &c.status)),
        c.team_name.into(),
        c.assignee_name.into(),
        c.created_by_name.into(),
        time(&c.created_at),
        c.picked_at.as_deref().map_or(Cell::Empty, time),
        c.note.into(),
    ]
}
