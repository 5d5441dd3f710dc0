//! Reading the audit trail: search with filters, and chain verification.

use std::{collections::HashMap, time::Instant};

use api_types::{ApiErrorBody, AuditEntryDto, AuditPage, AuditVerifyResponse, PersonRef};
use axum::{Json, extract::State};
use chrono::SecondsFormat;
use entities::{audit_log, deal, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::search::{self, Filters, RawFilters};
use crate::{
    contacts::vault::{ERASED, reveal_audit},
    error::ApiResult,
    http::params::ApiQuery,
    state::AppState,
    users::refs,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(verify))
        .routes(routes!(actors))
}

const MAX_PER_PAGE: u64 = 200;

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Actor user id.
    actor: Option<i64>,
    /// Exact action, e.g. `auth.login`, or a module prefix ending in `.`, e.g. `auth.`.
    action: Option<String>,
    /// Module, e.g. `contacts`.
    module: Option<String>,
    /// Target as `type:id` (e.g. `user:3`) or just a type.
    target: Option<String>,
    /// Lower bound (inclusive): RFC 3339, or a day `YYYY-MM-DD` from its midnight in Vietnam.
    from: Option<String>,
    /// Upper bound: RFC 3339 (exclusive), or a day `YYYY-MM-DD` (included).
    to: Option<String>,
    /// Free text: a person's name or username, an action or module (code or Vietnamese
    /// label, diacritics optional), a record id or contact/deal code, an IP or its prefix.
    q: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// Search the audit trail, newest first. `total` stops counting at 10 000
/// (`total_exact` is then false).
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
    let filters = Filters::parse(RawFilters {
        actor: query.actor,
        action: query.action.as_deref(),
        module: query.module.as_deref(),
        target: query.target.as_deref(),
        from: query.from.as_deref(),
        to: query.to.as_deref(),
        q: query.q.as_deref(),
    })?;
    let condition = filters.condition(&state.db).await?;
    let per_page = query.per_page.unwrap_or(50).clamp(1, MAX_PER_PAGE);
    let page = query.page.unwrap_or(1).max(1);
    let offset = (page - 1) * per_page;
    let (rows, (total, total_exact)) = tokio::try_join!(
        search::page(&state.db, condition.clone(), offset, per_page),
        search::count(&state.db, condition),
    )?;
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
    Ok(Json(AuditPage {
        items,
        total,
        total_exact,
    }))
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
    let started = Instant::now();
    let result = super::verify(&state.db).await?;
    Ok(Json(AuditVerifyResponse {
        millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        ok: result.first_bad_id.is_none(),
        entries: result.entries,
        archived: result.archived,
        first_bad_id: result.first_bad_id,
    }))
}

/// Everyone who can appear as an actor (locked accounts included), by name, for the
/// audit screen's filter.
#[utoipa::path(
    get, path = "/api/audit/actors", tag = "audit",
    responses(
        (status = 200, body = Vec<PersonRef>),
        (status = 403, body = ApiErrorBody),
    )
)]
pub async fn actors(State(state): State<AppState>) -> ApiResult<Json<Vec<PersonRef>>> {
    let users = user::Entity::find().all(&state.db).await?;
    Ok(Json(refs::refs(&state.db, users).await?))
}
