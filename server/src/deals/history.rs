//! A deal's audit entries for its detail page.

use api_types::{ApiErrorBody, AuditEntryDto};
use axum::{Json, extract::State};
use entities::audit_log;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::scope;
use crate::{
    audit,
    auth::current_user::AuthUser,
    contacts::vault::{ERASED, reveal_audit},
    error::ApiResult,
    http::params::ApiPath,
    state::AppState,
};

/// Most recent first, within the caller's deal scope; sealed notes opened.
#[utoipa::path(
    get, path = "/api/deals/{id}/history", tag = "deals",
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = Vec<AuditEntryDto>),
        (status = 404, body = ApiErrorBody),
    )
)]
pub async fn history(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<AuditEntryDto>>> {
    let row = scope::find_visible(&state.db, &caller, id).await?;
    let key = state.vault.key_for(&state.db, row.contact_id).await?;
    let entries = audit_log::Entity::find()
        .filter(audit_log::Column::TargetType.eq("deal"))
        .filter(audit_log::Column::TargetId.eq(id.to_string()))
        .order_by_desc(audit_log::Column::Id)
        .limit(200)
        .all(&state.db)
        .await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|entry| {
                let mut dto = audit::routes::dto(entry);
                for value in [&mut dto.before, &mut dto.after].into_iter().flatten() {
                    reveal_audit(value, key.as_ref(), ERASED);
                }
                dto.ip = None;
                dto.user_agent = None;
                dto
            })
            .collect(),
    ))
}
