//! Who may see, add and delete attachments. Reading follows the record's own
//! row-level security: a contact's files need the contact visible *and* unmasked (an
//! ID card is personal data, like its phone), a deal's files need the deal visible.
//! Outside that, a file does not exist for the caller (`404`, as the record).
//!
//! Adding needs the record's edit right (`contacts.edit` on a contact the caller may
//! edit; `deals.edit` on a deal they closed, or any deal with `deals.view_all`).
//! Deleting needs the same, and being the uploader or holding `users.manage`
//! (administrators tidy up others' files; colleagues cannot remove each other's).

use api_types::permissions::{DEALS_EDIT, DEALS_VIEW, DEALS_VIEW_ALL, USERS_MANAGE};
use entities::{attachment, contact, deal};
use sea_orm::ConnectionTrait;

use crate::{
    auth::current_user::AuthUser,
    contacts::{self, scope},
    deals,
    error::ApiError,
};

/// A contact whose attachments the caller may list: `Ok(None)` while it is masked for
/// them (the list is then empty, like its interactions).
pub async fn contact_to_read(
    conn: &impl ConnectionTrait,
    caller: &AuthUser,
    id: i64,
) -> Result<Option<contact::Model>, ApiError> {
    let row = contacts::find_visible(conn, caller, id).await?;
    Ok(scope::reveals(caller, &row).then_some(row))
}

/// A contact the caller may attach files to (`contacts.edit` is the route's).
pub async fn contact_to_edit(
    conn: &impl ConnectionTrait,
    caller: &AuthUser,
    id: i64,
) -> Result<contact::Model, ApiError> {
    let row = contacts::find_visible(conn, caller, id).await?;
    if scope::reveals(caller, &row) {
        Ok(row)
    } else {
        Err(ApiError::Forbidden)
    }
}

pub async fn deal_to_read(
    conn: &impl ConnectionTrait,
    caller: &AuthUser,
    id: i64,
) -> Result<deal::Model, ApiError> {
    deals::scope::find_visible(conn, caller, id).await
}

pub(super) fn may_edit_deal(caller: &AuthUser, row: &deal::Model) -> bool {
    caller.grants.has(DEALS_EDIT)
        && (caller.grants.has(DEALS_VIEW_ALL) || row.closer_id == caller.user.id)
}

/// A deal the caller may attach files to. Unlike the deal's own fields, a refunded
/// deal still takes files: the refund's paperwork belongs with it.
pub async fn deal_to_edit(
    conn: &impl ConnectionTrait,
    caller: &AuthUser,
    id: i64,
) -> Result<deal::Model, ApiError> {
    let row = deal_to_read(conn, caller, id).await?;
    if may_edit_deal(caller, &row) {
        Ok(row)
    } else {
        Err(ApiError::Forbidden)
    }
}

/// The caller may read this file; `Ok(true)` when they may also edit its record.
pub async fn readable(
    conn: &impl ConnectionTrait,
    caller: &AuthUser,
    row: &attachment::Model,
) -> Result<bool, ApiError> {
    match row.deal_id {
        Some(deal_id) => {
            // The download route is open to every signed-in user; the deal's own
            // routes need `deals.view`, so this one does too.
            if !caller.grants.has(DEALS_VIEW) {
                return Err(ApiError::NotFound);
            }
            let deal = deal_to_read(conn, caller, deal_id).await?;
            Ok(may_edit_deal(caller, &deal))
        }
        None => {
            let visible = contact_to_read(conn, caller, row.contact_id)
                .await
                .map_err(|_| ApiError::NotFound)?;
            match visible {
                Some(_) => Ok(caller.grants.has(api_types::permissions::CONTACTS_EDIT)),
                None => Err(ApiError::NotFound),
            }
        }
    }
}

/// Whether the caller may delete a file of a record they may edit.
pub fn may_delete(caller: &AuthUser, record_editable: bool, row: &attachment::Model) -> bool {
    record_editable && (row.uploaded_by == caller.user.id || caller.grants.has(USERS_MANAGE))
}
