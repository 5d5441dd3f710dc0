//! Importing the old Google Sheets (`contacts.import`).

use api_types::{ImportJobDto, ImportReport, ImportRequest};
use gloo_net::http::Request;

use super::{ApiError, read, send};

pub async fn import_dry_run(body: &ImportRequest) -> Result<ImportReport, ApiError> {
    read(send(Request::post("/api/imports/contacts/dry-run").json(body)).await?).await
}

pub async fn import_start(body: &ImportRequest) -> Result<ImportJobDto, ApiError> {
    read(send(Request::post("/api/imports/contacts").json(body)).await?).await
}

pub async fn import_progress(id: u64) -> Result<ImportJobDto, ApiError> {
    read(send(Request::get(&format!("/api/imports/{id}")).build()).await?).await
}

pub async fn retention_policy() -> Result<api_types::RetentionPolicyDto, ApiError> {
    read(send(Request::get("/api/retention").build()).await?).await
}

pub async fn retention_run() -> Result<api_types::RetentionReport, ApiError> {
    read(send(Request::post("/api/retention/run").build()).await?).await
}
