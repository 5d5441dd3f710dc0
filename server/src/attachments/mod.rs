//! Attachments (SRS 4.13): ID cards and contracts on contacts and deals, encrypted at
//! rest. Each file has its own random AES-256 key, sealed in its row with the owning
//! contact's data key; the bytes are encrypted in chunks as they stream in
//! (`cipher_stream`), so no file is ever held whole in memory. Anonymising the contact
//! destroys its data key and deletes its files; retention purges old ones.

mod access;
mod cipher_stream;
mod detect;
mod purge;
mod routes;
pub mod store;
mod upload;
mod view;

use axum::extract::DefaultBodyLimit;
pub use purge::{delete_for_contact, purge_uploaded_before};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// Purposes the contact's data key seals a file's name and key under.
const FILE_NAME_FIELD: &str = "attachment.file_name";
const FILE_KEY_FIELD: &str = "attachment.file_key";

pub fn router() -> OpenApiRouter<AppState> {
    // The API's 1 MiB body limit does not fit files. The upload handler enforces
    // `ANKHANG_ATTACHMENT_MAX_BYTES` itself while the file streams (413 naming the
    // field) and refuses any other multipart field, so nothing else can grow the body.
    OpenApiRouter::new()
        .routes(routes!(routes::list_for_contact, upload::upload_to_contact))
        .routes(routes!(routes::list_for_deal, upload::upload_to_deal))
        .routes(routes!(routes::download))
        .routes(routes!(routes::delete))
        .layer(DefaultBodyLimit::disable())
}

/// A failure of ours (file system, crypto), reported as a 500 with its cause logged.
fn internal(err: impl Into<anyhow::Error>) -> crate::error::ApiError {
    crate::error::ApiError::Internal(err.into())
}
