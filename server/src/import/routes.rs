//! `/api/imports`: dry run, start, progress (`contacts.import`).

use api_types::{ApiErrorBody, ImportJobDto, ImportReport, ImportRequest};
use axum::{Json, extract::State, http::StatusCode};

use super::{Importer, plan};
use crate::{
    auth::current_user::AuthUser,
    error::{ApiError, ApiResult},
    http::{json::ApiJson, params::ApiPath},
    state::AppState,
};

/// What importing this file would do: every bad row with the reason, the rows that
/// would be skipped (phone already known), and how many would be created.
#[utoipa::path(
    post, path = "/api/imports/contacts/dry-run", tag = "imports",
    request_body = ImportRequest,
    responses((status = 200, body = ImportReport), (status = 422, body = ApiErrorBody))
)]
pub async fn dry_run(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<ImportRequest>,
) -> ApiResult<Json<ImportReport>> {
    let planned = plan(&state.db, &state.vault, &request, state.clock.now()).await?;
    Ok(Json(planned.report))
}

/// Starts importing the file's valid rows in the background; poll
/// `GET /api/imports/{id}` for progress. Bad rows are reported, not imported.
#[utoipa::path(
    post, path = "/api/imports/contacts", tag = "imports",
    request_body = ImportRequest,
    responses((status = 202, body = ImportJobDto), (status = 422, body = ApiErrorBody))
)]
pub async fn start(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(request): ApiJson<ImportRequest>,
) -> ApiResult<(StatusCode, Json<ImportJobDto>)> {
    let planned = plan(&state.db, &state.vault, &request, state.clock.now()).await?;
    let job = state.imports.start(caller.user.id, planned.report.rows);
    let id = job.id;
    tokio::spawn(async move {
        let _one_at_a_time = state.imports.running.lock().await;
        let importer = Importer {
            db: &state.db,
            vault: &state.vault,
            clock: state.clock.as_ref(),
            creator: caller.actor(),
            meta: &caller.meta,
            feed: Some(&state.live.feed),
        };
        let outcome = importer
            .apply(planned, |progress| {
                state.imports.update(progress.clone(), id)
            })
            .await;
        if let Err(err) = outcome {
            tracing::error!(%err, job = id, "import stopped");
            if let Some(mut job) = state.imports.get(id, caller.user.id) {
                job.done = true;
                job.error = Some(
                    "Nhập dữ liệu bị dừng do lỗi hệ thống; các dòng đã nhập được giữ, hãy nhập lại tệp để tiếp tục"
                        .into(),
                );
                state.imports.update(job, id);
            }
        }
    });
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// Progress of an import the caller started.
#[utoipa::path(
    get, path = "/api/imports/{id}", tag = "imports",
    params(("id" = u64, Path)),
    responses((status = 200, body = ImportJobDto), (status = 404, body = ApiErrorBody))
)]
pub async fn progress(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<u64>,
) -> ApiResult<Json<ImportJobDto>> {
    state
        .imports
        .get(id, caller.user.id)
        .map(Json)
        .ok_or(ApiError::NotFound)
}
