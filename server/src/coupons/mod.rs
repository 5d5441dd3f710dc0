//! Coupons (SPEC.md COUPON): created by admins and assigned to specific employees;
//! only an assignee may apply one, only until it expires, and never more often than
//! its use limit.

mod routes;
pub mod rules;
mod view;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::list, routes::create))
        .routes(routes!(routes::mine))
        .routes(routes!(routes::assignable))
        .routes(routes!(routes::get, routes::update, routes::delete))
}
