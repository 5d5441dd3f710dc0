//! Roles and the permission matrix (PERM-001…007).

mod routes;
pub mod service;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::list_permissions))
        .routes(routes!(routes::list_roles, routes::create_role))
        .routes(routes!(routes::update_role, routes::delete_role))
        .routes(routes!(routes::clone_role))
}
