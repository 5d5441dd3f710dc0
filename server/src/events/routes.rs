use axum::{Json, extract::State};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(latest))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LatestSeq {
    pub seq: i64,
}

/// The newest event's `seq`. A client reads it before loading a list, then resumes the
/// socket after it, so nothing between the two is missed.
#[utoipa::path(
    get, path = "/api/events/latest", tag = "system",
    responses((status = 200, body = LatestSeq))
)]
pub async fn latest(State(state): State<AppState>) -> Json<LatestSeq> {
    Json(LatestSeq {
        seq: state.live.feed.latest_seq(),
    })
}
