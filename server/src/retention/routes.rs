//! `GET /api/retention` and `POST /api/retention/run` (`data.retention`): the policy
//! in force with its last run, and applying it now.

use api_types::{ApiErrorBody, RetentionPolicyDto, RetentionReport};
use axum::{Json, extract::State};
use entities::audit_log;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{error::ApiResult, state::AppState};

/// The retention periods and what the last run did.
#[utoipa::path(
    get, path = "/api/retention", tag = "reports",
    responses((status = 200, body = RetentionPolicyDto))
)]
pub async fn policy(State(state): State<AppState>) -> ApiResult<Json<RetentionPolicyDto>> {
    let c = &state.config.retention;
    // The run's own audit entry is its record; an archived one is simply older.
    let last_run = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("data.retention_run"))
        .order_by_desc(audit_log::Column::Id)
        .one(&state.db)
        .await?
        .and_then(|row| row.after_data)
        .and_then(|data| serde_json::from_str::<RetentionReport>(&data).ok());
    Ok(Json(RetentionPolicyDto {
        interval_hours: c.interval.map(|d| d.as_secs() / 3600),
        audit_months: c.audit_months,
        inactive_contact_months: c.inactive_contact_months,
        system_log_months: c.system_log_months,
        attachment_months: c.attachment_months,
        won_deal_months: c.won_deal_months,
        last_run,
    }))
}

/// Applies the retention policy at once (it also runs daily by itself) and answers
/// what it did. The run is audited as `data.retention_run`.
#[utoipa::path(
    post, path = "/api/retention/run", tag = "reports",
    responses((status = 200, body = RetentionReport), (status = 500, body = ApiErrorBody))
)]
pub async fn run(State(state): State<AppState>) -> ApiResult<Json<RetentionReport>> {
    Ok(Json(super::run_once(&state).await?))
}
