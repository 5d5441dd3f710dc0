//! `POST /api/retention/run` (`data.retention`): apply the retention policy now.

use api_types::{ApiErrorBody, RetentionReport};
use axum::{Json, extract::State};

use crate::{error::ApiResult, state::AppState};

/// Applies the retention policy at once (it also runs daily by itself) and answers
/// what it did. The run is audited as `data.retention_run`.
#[utoipa::path(
    post, path = "/api/retention/run", tag = "reports",
    responses((status = 200, body = RetentionReport), (status = 500, body = ApiErrorBody))
)]
pub async fn run(State(state): State<AppState>) -> ApiResult<Json<RetentionReport>> {
    Ok(Json(super::run_once(&state).await?))
}
