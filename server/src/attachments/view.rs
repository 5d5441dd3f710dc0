//! Attachment rows as the caller sees them.

use std::collections::HashMap;

use api_types::{AttachmentDto, AttachmentList};
use chrono::SecondsFormat;
use entities::{attachment, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{FILE_NAME_FIELD, access};
use crate::{
    auth::current_user::AuthUser, contacts::vault::ERASED, crypto::envelope::DataKey,
    error::ApiError,
};

/// Audit entries about a file name its record, so they show in that record's history.
pub fn audit_target(row: &attachment::Model) -> (&'static str, String) {
    match row.deal_id {
        Some(deal_id) => ("deal", deal_id.to_string()),
        None => ("contact", row.contact_id.to_string()),
    }
}

pub fn dto(
    row: &attachment::Model,
    file_name: String,
    uploaded_by_name: Option<String>,
    can_delete: bool,
) -> AttachmentDto {
    AttachmentDto {
        id: row.id,
        contact_id: row.contact_id,
        deal_id: row.deal_id,
        file_name,
        content_type: row.content_type.clone(),
        size_bytes: u64::try_from(row.size_bytes).unwrap_or_default(),
        uploaded_by: row.uploaded_by,
        uploaded_by_name,
        created_at: row.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        download_url: format!("/api/attachments/{}/download", row.id),
        can_delete,
    }
}

/// A record's files, newest first. `editable`: the caller may edit the record.
pub async fn list(
    conn: &impl ConnectionTrait,
    caller: &AuthUser,
    key: Option<&DataKey>,
    rows: Vec<attachment::Model>,
    editable: bool,
    max_bytes: u64,
) -> Result<AttachmentList, ApiError> {
    let uploaders: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.uploaded_by).collect::<Vec<_>>()))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect();
    let items = rows
        .iter()
        .map(|row| {
            let name = key
                .and_then(|k| k.open(FILE_NAME_FIELD, &row.file_name_enc).ok())
                .unwrap_or_else(|| ERASED.to_owned());
            dto(
                row,
                name,
                uploaders.get(&row.uploaded_by).cloned(),
                access::may_delete(caller, editable, row),
            )
        })
        .collect();
    Ok(AttachmentList {
        items,
        max_bytes,
        // A record whose contact was anonymised takes no more files.
        can_upload: editable && key.is_some(),
    })
}

/// The rows of a contact (its own files, not its deals') or of a deal.
pub async fn rows_of(
    conn: &impl ConnectionTrait,
    contact_id: i64,
    deal_id: Option<i64>,
) -> Result<Vec<attachment::Model>, ApiError> {
    let query = attachment::Entity::find().filter(attachment::Column::ContactId.eq(contact_id));
    let query = match deal_id {
        Some(id) => query.filter(attachment::Column::DealId.eq(id)),
        None => query.filter(attachment::Column::DealId.is_null()),
    };
    Ok(query
        .order_by_desc(attachment::Column::Id)
        .all(conn)
        .await?)
}
