//! One person's data, for a subject-access or portability request: the contact with
//! its personal fields, its interactions, its deals and its history, as JSON (for
//! another system) or CSV/XLSX (for the person). Audited like every export.

use api_types::{
    ApiErrorBody, AuditEntryDto, ContactDto, InteractionDto, PAYMENT_STATUSES, STATUSES, label,
};
use axum::{
    Json,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use entities::deal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::IntoParams;

use super::{history, interactions, scope, view};
use crate::{
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    export::{self, Cell, Column, Format, Rows, column},
    http::params::{ApiPath, ApiQuery},
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
pub struct SubjectQuery {
    /// `json` (default), `csv` or `xlsx`.
    format: Option<String>,
}

/// A deal as the person's file lists it.
#[derive(Debug, Serialize)]
struct DealLine {
    code: String,
    total: i64,
    discount: i64,
    payment_status: String,
    closed_on: String,
}

#[derive(Debug, Serialize)]
struct SubjectFile {
    exported_at: String,
    contact: ContactDto,
    interactions: Vec<InteractionDto>,
    deals: Vec<DealLine>,
    history: Vec<AuditEntryDto>,
}

const COLUMNS: &[Column] = &[
    column("Phần", 16),
    column("Mục", 30),
    column("Nội dung", 80),
];

/// Everything held about one contact (`contacts.export`, within the caller's scope).
#[utoipa::path(
    get, path = "/api/contacts/{id}/data", tag = "contacts",
    params(("id" = i64, Path), SubjectQuery),
    responses(
        (status = 200, description = "JSON, CSV (UTF-8 with BOM) or XLSX file"),
        (status = 404, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn subject_export(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<SubjectQuery>,
) -> ApiResult<Response> {
    let format = match query.format.as_deref() {
        None | Some("json") => None,
        other => Some(Format::parse(other).map_err(|_| {
            ApiError::validation("format", "Định dạng xuất phải là json, csv hoặc xlsx")
        })?),
    };
    let row = view::find_visible(&state.db, &caller, id).await?;
    if !scope::reveals(&caller, &row) {
        // A masked pool contact: nothing personal to hand out to this caller.
        return Err(ApiError::NotFound);
    }
    let code = row.code.clone();
    let now = state.clock.now();
    let contact = view::dto(&state.db, &state.vault, &caller, row).await?;
    let Json(interactions) =
        interactions::list_interactions(State(state.clone()), caller.clone(), ApiPath(id)).await?;
    let Json(history) = history::history(State(state.clone()), caller.clone(), ApiPath(id)).await?;
    let deals: Vec<DealLine> = deal::Entity::find()
        .filter(deal::Column::ContactId.eq(id))
        .order_by_asc(deal::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|d| DealLine {
            code: d.code,
            total: d.total,
            discount: d.discount,
            payment_status: d.payment_status,
            closed_on: d.closed_on.format("%Y-%m-%d").to_string(),
        })
        .collect();

    let tx = db::begin_write(&state.db).await?;
    caller
        .audit(
            &tx,
            now,
            "contacts.data_exported",
            Some(("contact", id.to_string())),
            None,
            Some(json!({ "format": format.map_or("json", Format::code) })),
        )
        .await?;
    tx.commit().await?;

    let file = SubjectFile {
        exported_at: now.to_rfc3339(),
        contact,
        interactions,
        deals,
        history,
    };
    let stem = format!("du-lieu-{}", code.to_lowercase());
    match format {
        None => {
            let mut response = Json(file).into_response();
            let disposition = format!("attachment; filename=\"{stem}.json\"");
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_DISPOSITION, value);
            }
            Ok(response)
        }
        Some(format) => export::download(format, &stem, COLUMNS, Rows(Some(rows(&file)))).await,
    }
}

/// The file as (section, item, content) rows.
fn rows(file: &SubjectFile) -> Vec<Vec<Cell>> {
    let line =
        |part: &str, item: &str, value: Cell| vec![Cell::from(part), Cell::from(item), value];
    let c = &file.contact;
    let mut out = vec![
        line("Khách hàng", "Mã", Cell::from(c.code.as_str())),
        line("Khách hàng", "Họ tên", Cell::from(c.full_name.as_str())),
        line("Khách hàng", "Điện thoại", Cell::from(c.phone.as_str())),
        line("Khách hàng", "Email", Cell::from(c.email.clone())),
        line("Khách hàng", "Ghi chú", Cell::from(c.note.clone())),
        line(
            "Khách hàng",
            "Dịch vụ",
            Cell::from(c.service_type_name.as_str()),
        ),
        line(
            "Khách hàng",
            "Trạng thái",
            Cell::from(label(STATUSES, &c.status)),
        ),
        line("Khách hàng", "Ngày tạo", Cell::from(c.created_at.as_str())),
    ];
    for i in &file.interactions {
        out.push(line(
            "Tương tác",
            &format!("{} · {}", i.created_at, i.kind),
            Cell::from(i.content.as_str()),
        ));
    }
    for d in &file.deals {
        out.push(line(
            "Hợp đồng",
            &format!(
                "{} · {}",
                d.code,
                label(PAYMENT_STATUSES, &d.payment_status)
            ),
            Cell::Money(d.total),
        ));
    }
    for h in &file.history {
        let what = api_types::audit_action_label(&h.action).unwrap_or(&h.action);
        out.push(line(
            "Lịch sử",
            &h.at,
            Cell::from(format!(
                "{what} — {}",
                h.actor_name.as_deref().unwrap_or("Hệ thống")
            )),
        ));
    }
    out
}
