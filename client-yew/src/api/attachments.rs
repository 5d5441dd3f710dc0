//! Attachments of contacts and deals: listing, uploading (multipart), deleting.
//! Downloads are plain links: the session cookie authenticates them.

use api_types::{ATTACHMENT_FIELD, AttachmentDto, AttachmentList};
use gloo_net::http::Request;
use web_sys::{File, FormData};

use super::{ApiError, read, send};
use crate::text;

/// Whose files: a contact's own or a deal's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentOwner {
    Contact(i64),
    Deal(i64),
}

impl AttachmentOwner {
    fn path(self) -> String {
        match self {
            Self::Contact(id) => format!("/api/contacts/{id}/attachments"),
            Self::Deal(id) => format!("/api/deals/{id}/attachments"),
        }
    }
}

pub async fn attachments(owner: AttachmentOwner) -> Result<AttachmentList, ApiError> {
    read(send(Request::get(&owner.path()).build()).await?).await
}

pub async fn upload_attachment(
    owner: AttachmentOwner,
    file: &File,
) -> Result<AttachmentDto, ApiError> {
    let form = FormData::new()
        .and_then(|form| {
            form.append_with_blob_and_filename(ATTACHMENT_FIELD, file, &file.name())?;
            Ok(form)
        })
        .map_err(|_| ApiError::local(0, "browser", text::ATTACHMENT_BROWSER_ERROR))?;
    // No Content-Type of our own: the browser writes the multipart boundary into it.
    read(send(Request::post(&owner.path()).body(form)).await?).await
}

pub async fn delete_attachment(id: i64) -> Result<(), ApiError> {
    send(Request::delete(&format!("/api/attachments/{id}")).build())
        .await
        .map(drop)
}
