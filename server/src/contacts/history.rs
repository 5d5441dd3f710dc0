//! A contact's audit entries for its detail page, within the caller's scope.

use api_types::{ApiErrorBody, AuditEntryDto};
use axum::{Json, extract::State};
use entities::audit_log;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{
    scope,
    vault::{ERASED, HIDDEN, reveal_audit},
    view,
};
use crate::{
    audit, auth::current_user::AuthUser, error::ApiResult, http::params::ApiPath, state::AppState,
};

/// Most recent first; personal values are shown only to those who may see them unmasked.
#[utoipa::path(
    get, path = "/api/contacts/{id}/history", tag = "contacts",
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
    let row = view::find_visible(&state.db, &caller, id).await?;
    let reveals = scope::reveals(&caller, &row);
    let key = if reveals {
        state.vault.key_for(&state.db, id).await?
    } else {
        None
    };
    let unreadable = if reveals { ERASED } else { HIDDEN };
    let entries = audit_log::Entity::find()
        .filter(audit_log::Column::TargetType.eq("contact"))
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
                    reveal_audit(value, key.as_ref(), unreadable);
                }
                // Network details of colleagues are for the audit screen, not the file.
                dto.ip = None;
                dto.user_agent = None;
                dto
            })
            .collect(),
    ))
}
