//! Roles and their permissions (listing; the matrix editor builds on it).

use api_types::{ApiErrorBody, RoleDto};
use axum::{Json, extract::State};
use entities::{role, role_permission};
use sea_orm::{EntityTrait, QueryOrder};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{error::ApiResult, state::AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_roles))
}

/// Every role with its permissions; the four defaults exist after migrate.
#[utoipa::path(
    get, path = "/api/roles", tag = "roles",
    responses(
        (status = 200, body = Vec<RoleDto>),
        (status = 403, body = ApiErrorBody),
    )
)]
pub async fn list_roles(State(state): State<AppState>) -> ApiResult<Json<Vec<RoleDto>>> {
    let roles = role::Entity::find()
        .order_by_asc(role::Column::Id)
        .all(&state.db)
        .await?;
    let grants = role_permission::Entity::find()
        .order_by_asc(role_permission::Column::PermissionCode)
        .all(&state.db)
        .await?;
    Ok(Json(
        roles
            .into_iter()
            .map(|r| RoleDto {
                permissions: grants
                    .iter()
                    .filter(|g| g.role_id == r.id)
                    .map(|g| g.permission_code.clone())
                    .collect(),
                id: r.id,
                name: r.name,
                description: r.description,
                system: r.is_system,
            })
            .collect(),
    ))
}
