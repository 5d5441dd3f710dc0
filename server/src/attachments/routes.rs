//! Listing, downloading and deleting attachments.

use api_types::{ApiErrorBody, AttachmentList, permissions::CONTACTS_EDIT};
use axum::{
    Json,
    body::Body,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::Response,
};
use entities::attachment;
use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::json;

use super::{
    FILE_KEY_FIELD, FILE_NAME_FIELD, access, cipher_stream::FileKey, detect, internal, store, view,
};
use crate::{
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    http::params::ApiPath,
    state::AppState,
};

/// A contact's own files (a deal's files are listed on the deal). Empty while the
/// contact is masked for the caller.
#[utoipa::path(
    get, path = "/api/contacts/{id}/attachments", tag = "attachments",
    params(("id" = i64, Path)),
    responses((status = 200, body = AttachmentList), (status = 404, body = ApiErrorBody))
)]
pub async fn list_for_contact(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<AttachmentList>> {
    let max_bytes = state.config.attachment_max_bytes;
    let Some(contact) = access::contact_to_read(&state.db, &caller, id).await? else {
        return Ok(Json(AttachmentList {
            items: Vec::new(),
            max_bytes,
            can_upload: false,
        }));
    };
    let rows = view::rows_of(&state.db, contact.id, None).await?;
    let key = state.vault.key_for(&state.db, contact.id).await?;
    let editable = caller.grants.has(CONTACTS_EDIT);
    let list = view::list(&state.db, &caller, key.as_ref(), rows, editable, max_bytes).await?;
    Ok(Json(list))
}

/// A deal's files.
#[utoipa::path(
    get, path = "/api/deals/{id}/attachments", tag = "attachments",
    params(("id" = i64, Path)),
    responses((status = 200, body = AttachmentList), (status = 404, body = ApiErrorBody))
)]
pub async fn list_for_deal(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<AttachmentList>> {
    let deal = access::deal_to_read(&state.db, &caller, id).await?;
    let editable = access::may_edit_deal(&caller, &deal);
    let rows = view::rows_of(&state.db, deal.contact_id, Some(id)).await?;
    let key = state.vault.key_for(&state.db, deal.contact_id).await?;
    let list = view::list(
        &state.db,
        &caller,
        key.as_ref(),
        rows,
        editable,
        state.config.attachment_max_bytes,
    )
    .await?;
    Ok(Json(list))
}

async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<attachment::Model, ApiError> {
    attachment::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The decrypted file, streamed. It is checked whole (checksum and every chunk's tag)
/// before the answer starts, so a damaged or altered file is a `500` reported to the
/// monitor, never a wrong file.
#[utoipa::path(
    get, path = "/api/attachments/{id}/download", tag = "attachments",
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "the file, with its detected content type", content_type = "application/octet-stream"),
        (status = 404, body = ApiErrorBody),
    )
)]
pub async fn download(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    let row = find(&state.db, id).await?;
    access::readable(&state.db, &caller, &row).await?;
    // No data key: the contact was anonymised, and its files with it.
    let data_key = state
        .vault
        .key_for(&state.db, row.contact_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let file_name = data_key
        .open(FILE_NAME_FIELD, &row.file_name_enc)
        .map_err(internal)?;
    let file_key = data_key
        .open(FILE_KEY_FIELD, &row.file_key_enc)
        .map_err(internal)
        .and_then(|k| FileKey::from_base64(&k).map_err(internal))?;
    let data_dir = &state.config.data_dir;
    let path = store::path_of(data_dir, &row.storage_name)
        .ok_or_else(|| internal(anyhow::anyhow!("attachment {id}: bad storage name")))?;
    let size = u64::try_from(row.size_bytes).map_err(internal)?;
    store::verify(&path, &file_key, &row.storage_name, size, &row.sha256)
        .await
        .map_err(|err| internal(anyhow::anyhow!("attachment {id} cannot be read: {err}")))?;
    let reader = store::Reader::open(&path, &file_key, &row.storage_name)
        .await
        .map_err(internal)?;

    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    caller
        .audit(
            &tx,
            now,
            "attachments.downloaded",
            Some(view::audit_target(&row)),
            None,
            Some(json!({
                "attachment_id": row.id,
                "size_bytes": row.size_bytes,
                "content_type": row.content_type,
            })),
        )
        .await?;
    tx.commit().await?;

    let header_value = |value: &str| HeaderValue::from_str(value).map_err(internal);
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, header_value(&row.content_type)?)
        .header(header::CONTENT_LENGTH, size)
        .header(
            header::CONTENT_DISPOSITION,
            header_value(&detect::disposition(&file_name))?,
        )
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from_stream(reader.into_stream()))
        .map_err(internal)
}

/// Delete a file for good: the row (with the file's key) goes in the transaction, the
/// file is overwritten and unlinked after it.
#[utoipa::path(
    delete, path = "/api/attachments/{id}", tag = "attachments",
    params(("id" = i64, Path)),
    responses(
        (status = 204),
        (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let row = find(&tx, id).await?;
    let editable = access::readable(&tx, &caller, &row).await?;
    if !access::may_delete(&caller, editable, &row) {
        return Err(ApiError::Forbidden);
    }
    attachment::Entity::delete_by_id(row.id).exec(&tx).await?;
    caller
        .audit(
            &tx,
            now,
            "attachments.deleted",
            Some(view::audit_target(&row)),
            Some(json!({
                "attachment_id": row.id,
                "uploaded_by": row.uploaded_by,
                "size_bytes": row.size_bytes,
                "content_type": row.content_type,
            })),
            None,
        )
        .await?;
    tx.commit().await?;
    store::shred_all(&state.config.data_dir, &[row.storage_name]).await;
    Ok(StatusCode::NO_CONTENT)
}
