//! Teams (TEAM): name, region, leader, members. Membership is the employee's single
//! `team_id`, so each Sale belongs to at most one team.

mod members;
mod routes;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::list_teams, routes::create_team))
        .routes(routes!(
            routes::get_team,
            routes::update_team,
            routes::delete_team
        ))
        .routes(routes!(members::add_member))
        .routes(routes!(members::remove_member))
        .routes(routes!(members::candidates))
}
