use axum::{extract::State, http::StatusCode};
use sea_orm::ConnectionTrait;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(healthz))
}

/// Liveness for load balancers and monitors: `200` when the database answers.
#[utoipa::path(
    get, path = "/healthz", tag = "system",
    responses(
        (status = 200, description = "ok"),
        (status = 503, description = "database unreachable"),
    )
)]
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(err) => {
            tracing::error!(error = %err, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
