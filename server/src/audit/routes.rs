//! Reading the audit trail: search with filters, and chain verification.

use std::collections::HashMap;

use api_types::{ApiErrorBody, AuditEntryDto, AuditPage, AuditVerifyResponse};
use axum::{Json, extract::State};
use chrono::{DateTime, SecondsFormat, Utc};
use entities::{audit_log, deal};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    contacts::vault::{ERASED, reveal_audit},
    error::{ApiError, ApiResult},
    http::params::ApiQuery,
    state::AppState,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(verify))
}

const MAX_PER_PAGE: u64 = 200;

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Actor user id.
    actor: Option<i64>,
    /// Exact action, e.g. `auth.login`, or a module prefix ending in `.`, e.g. `auth.`.
    action: Option<String>,
    /// Target as `type:id` (e.g. `user:3`) or just a type.
    target: Option<String>,
    /// RFC 3339 lower bound (inclusive).
    from: Option<String>,
    /// RFC 3339 upper bound (exclusive).
    to: Option<String>,
    /// Free text over action, actor name, target and IP.
    q: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

fn parse_time(field: &str, raw: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ApiError::validation(field, "Thời gian phải theo định dạng RFC 3339"))
}

/// Search the audit trail, newest first.
#[utoipa::path(
    get, path = "/api/audit", tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, body = AuditPage),
        (status = 403, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    let mut filter = Condition::all();
    if let Some(actor) = query.actor {
        filter = filter.add(audit_log::Column::ActorId.eq(actor));
    }
    if let Some(action) = query.action.as_deref().filter(|a| !a.is_empty()) {
        filter = match action.strip_suffix('.') {
            Some(module) => filter.add(audit_log::Column::Module.eq(module)),
            None => filter.add(audit_log::Column::Action.eq(action)),
        };
    }
    if let Some(target) = query.target.as_deref().filter(|t| !t.is_empty()) {
        filter = match target.split_once(':') {
            Some((kind, id)) => filter
                .add(audit_log::Column::TargetType.eq(kind))
                .add(audit_log::Column::TargetId.eq(id)),
            None => filter.add(audit_log::Column::TargetType.eq(target)),
        };
    }
    if let Some(from) = query.from.as_deref() {
        filter = filter.add(audit_log::Column::At.gte(parse_time("from", from)?));
    }
    if let Some(to) = query.to.as_deref() {
        filter = filter.add(audit_log::Column::At.lt(parse_time("to", to)?));
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let q: String = q.chars().take(100).collect();
        filter = filter.add(
            Condition::any()
                .add(audit_log::Column::Action.contains(&q))
                .add(audit_log::Column::ActorName.contains(&q))
                .add(audit_log::Column::TargetId.contains(&q))
                .add(audit_log::Column::Ip.contains(&q)),
        );
    }
    let per_page = query.per_page.unwrap_or(50).clamp(1, MAX_PER_PAGE);
    let page = query.page.unwrap_or(1).max(1);
    let select = audit_log::Entity::find().filter(filter);
    let total = select.clone().count(&state.db).await?;
    let rows = select
        .order_by_desc(audit_log::Column::Id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .all(&state.db)
        .await?;
    // Personal data inside entries is sealed under the key of the contact they are
    // about (a deal's entries under its contact's): show it while the key exists,
    // "[đã xoá]" once the contact was erased.
    let target_of = |row: &audit_log::Model, kind: &str| {
        (row.target_type.as_deref() == Some(kind))
            .then(|| row.target_id.as_deref()?.parse::<i64>().ok())
            .flatten()
    };
    let deal_contacts: HashMap<i64, i64> = deal::Entity::find()
        .filter(deal::Column::Id.is_in(rows.iter().filter_map(|r| target_of(r, "deal"))))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.contact_id))
        .collect();
    let contact_of = |row: &audit_log::Model| {
        target_of(row, "contact")
            .or_else(|| target_of(row, "deal").and_then(|d| deal_contacts.get(&d).copied()))
    };
    let contact_ids: Vec<i64> = rows.iter().filter_map(contact_of).collect();
    let keys = state.vault.keys_for(&state.db, &contact_ids).await?;
    let items = rows
        .into_iter()
        .map(|row| {
            let key = contact_of(&row).and_then(|id| keys.get(&id));
            let mut entry = dto(row);
            for value in [&mut entry.before, &mut entry.after].into_iter().flatten() {
                reveal_audit(value, key, ERASED);
            }
            entry
        })
        .collect();
    Ok(Json(AuditPage { items, total }))
}

pub fn dto(row: audit_log::Model) -> AuditEntryDto {
    let json = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
    AuditEntryDto {
        id: row.id,
        at: row.at.to_rfc3339_opts(SecondsFormat::Millis, true),
        actor_id: row.actor_id,
        actor_name: row.actor_name,
        action: row.action,
        module: row.module,
        target_type: row.target_type,
        target_id: row.target_id,
        before: json(row.before_data),
        after: json(row.after_data),
        ip: row.ip,
        user_agent: row.user_agent,
    }
}

/// Recompute the hash chain and report the first entry that was altered or removed.
#[utoipa::path(
    get, path = "/api/audit/verify", tag = "audit",
    responses(
        (status = 200, body = AuditVerifyResponse),
        (status = 403, body = ApiErrorBody),
    )
)]
pub async fn verify(State(state): State<AppState>) -> ApiResult<Json<AuditVerifyResponse>> {
    let result = super::verify(&state.db).await?;
    Ok(Json(AuditVerifyResponse {
        ok: result.first_bad_id.is_none(),
        entries: result.entries,
        first_bad_id: result.first_bad_id,
    }))
}
