//! Importing the old Google Sheets (CSV export) into contacts: column mapping, a dry
//! run that names every bad row, then an idempotent import (CLI and web).

mod apply;
pub mod cli;
mod columns;
mod jobs;
mod plan;
mod routes;
mod row;

pub use apply::Importer;
pub use jobs::Jobs;
pub use plan::{Plan, plan};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// Sheets of tens of thousands of rows exceed the API's usual 1 MiB bodies.
pub const MAX_CSV_BYTES: usize = 32 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::dry_run))
        .routes(routes!(routes::start))
        .routes(routes!(routes::progress))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_CSV_BYTES))
}
