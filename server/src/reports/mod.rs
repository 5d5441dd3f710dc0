//! Reports and the dashboard (SPEC.md RPT): aggregations done by the database over
//! Vietnamese calendar days, and their exports.

mod care;
mod dashboard;
mod export;
mod period;
mod queries;
mod sql;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// The label of deals closed by someone in no team.
pub const NO_TEAM: &str = "Chưa có nhóm";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dashboard::dashboard))
        .routes(routes!(export::export))
}
