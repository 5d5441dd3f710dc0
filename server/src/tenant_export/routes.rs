//! `GET /api/export/all` (`data.export_all`): the archive, built in a temporary file
//! and streamed; audited with what it held.

use axum::{
    body::Body,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use tokio_util::io::ReaderStream;

use super::internal;
use crate::{
    auth::current_user::AuthUser, domain::today_in_vietnam, error::ApiResult, state::AppState,
};

/// Everything the firm holds, for moving to another system: a ZIP of JSON Lines files
/// (one per table, personal fields decrypted), `khach-hang.csv` in the import format
/// and `manifest.json`. No password hashes, sessions, keys or two-factor secrets.
#[utoipa::path(
    get, path = "/api/export/all", tag = "reports",
    responses((status = 200, description = "ZIP archive (application/zip)"))
)]
pub async fn export_all(State(state): State<AppState>, caller: AuthUser) -> ApiResult<Response> {
    let now = state.clock.now();
    // Deleted when the last handle closes: after the download, or at once on failure.
    let file = tempfile::tempfile().map_err(internal)?;
    let writer = file.try_clone().map_err(internal)?;
    let manifest = super::write(&state.db, &state.vault, writer, now).await?;
    super::audit(
        &state.db,
        Some(caller.actor()),
        &caller.meta,
        &manifest,
        now,
    )
    .await?;

    let mut file = tokio::fs::File::from_std(file);
    tokio::io::AsyncSeekExt::rewind(&mut file)
        .await
        .map_err(internal)?;
    let mut response = Body::from_stream(ReaderStream::new(file)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    let name = format!(
        "attachment; filename=\"ankhang-du-lieu-{}.zip\"",
        today_in_vietnam(now)
    );
    if let Ok(value) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
