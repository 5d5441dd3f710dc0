//! Employees (EMP): accounts, their roles, team and status, and per-user permission
//! overrides.

mod admin_routes;
pub mod refs;
mod routes;
pub mod rules;
pub mod service;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::list_users, routes::create_user))
        .routes(routes!(routes::get_user, routes::update_user))
        .routes(routes!(routes::form_options))
        .routes(routes!(admin_routes::lock_user))
        .routes(routes!(admin_routes::unlock_user))
        .routes(routes!(admin_routes::reset_password))
        .routes(routes!(admin_routes::set_overrides))
}
