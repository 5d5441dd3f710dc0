//! Employees. This holds account creation (API and CLI); the full employee screens
//! build on it.

mod routes;
pub mod service;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(routes::create_user))
}
