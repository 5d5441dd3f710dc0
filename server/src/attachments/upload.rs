//! Receiving a file: the multipart body is encrypted to disk as it arrives (never held
//! whole in memory), its type decided from its first bytes, its size bounded while it
//! streams; only then is the row written and the file renamed into place.

use api_types::{ATTACHMENT_FIELD, ApiErrorBody, AttachmentDto, format_file_size};
use axum::{
    Json,
    extract::{FromRequest, Multipart, Request, State},
    http::StatusCode,
};
use entities::attachment;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::json;

use super::{
    FILE_KEY_FIELD, FILE_NAME_FIELD, access,
    cipher_stream::FileKey,
    detect::{self, SNIFF_LEN},
    internal,
    store::{self, Upload},
    view,
};
use crate::{
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    http::params::ApiPath,
    state::AppState,
};

/// `Multipart` with rejections in our error shape.
pub struct ApiMultipart(pub Multipart);

impl<S: Send + Sync> FromRequest<S> for ApiMultipart {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Multipart::from_request(req, state)
            .await
            .map(Self)
            .map_err(|_| ApiError::BadRequest {
                code: "bad_multipart",
                message: "Yêu cầu phải gửi tệp dạng multipart/form-data (trường \"file\")".into(),
                field: Some(ATTACHMENT_FIELD.into()),
            })
    }
}

/// Attach a file to a contact (multipart, field `file`).
#[utoipa::path(
    post, path = "/api/contacts/{id}/attachments", tag = "attachments",
    params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "The file in the field `file`"),
    responses(
        (status = 201, body = AttachmentDto),
        (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "the contact was anonymised", body = ApiErrorBody),
        (status = 413, description = "file_too_large", body = ApiErrorBody),
        (status = 422, description = "empty file or type not accepted", body = ApiErrorBody),
    )
)]
pub async fn upload_to_contact(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiMultipart(multipart): ApiMultipart,
) -> ApiResult<(StatusCode, Json<AttachmentDto>)> {
    // Refused before a byte of the body is read.
    access::contact_to_edit(&state.db, &caller, id).await?;
    let received = receive(&state, multipart).await?;
    let tx = db::begin_write(&state.db).await?;
    // Checked again in the transaction: the contact may have moved on meanwhile.
    access::contact_to_edit(&tx, &caller, id).await?;
    let dto = save(&state, tx, &caller, received, id, None).await?;
    Ok((StatusCode::CREATED, Json(dto)))
}

/// Attach a file to a deal (multipart, field `file`).
#[utoipa::path(
    post, path = "/api/deals/{id}/attachments", tag = "attachments",
    params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "The file in the field `file`"),
    responses(
        (status = 201, body = AttachmentDto),
        (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "the contact was anonymised", body = ApiErrorBody),
        (status = 413, description = "file_too_large", body = ApiErrorBody),
        (status = 422, description = "empty file or type not accepted", body = ApiErrorBody),
    )
)]
pub async fn upload_to_deal(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiMultipart(multipart): ApiMultipart,
) -> ApiResult<(StatusCode, Json<AttachmentDto>)> {
    access::deal_to_edit(&state.db, &caller, id).await?;
    let received = receive(&state, multipart).await?;
    let tx = db::begin_write(&state.db).await?;
    let deal = access::deal_to_edit(&tx, &caller, id).await?;
    let dto = save(&state, tx, &caller, received, deal.contact_id, Some(id)).await?;
    Ok((StatusCode::CREATED, Json(dto)))
}

/// A file encrypted under `.part`, waiting for its row.
struct Received {
    upload: Upload,
    storage_name: String,
    key: FileKey,
    file_name: String,
    content_type: &'static str,
    size: u64,
    sha256: String,
}

fn too_large(max: u64) -> ApiError {
    ApiError::FileTooLarge {
        field: ATTACHMENT_FIELD.into(),
        message: format!(
            "Tệp đính kèm vượt quá dung lượng cho phép (tối đa {})",
            format_file_size(max)
        ),
    }
}

fn type_refused() -> ApiError {
    ApiError::validation(
        ATTACHMENT_FIELD,
        "Tệp đính kèm phải là PDF, ảnh (JPEG, PNG, WebP, HEIC), Word (DOCX) hoặc Excel (XLSX)",
    )
}

fn multipart_error(max: u64, err: axum::extract::multipart::MultipartError) -> ApiError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(max)
    } else {
        ApiError::BadRequest {
            code: "bad_multipart",
            message: "Tệp đính kèm gửi lên không đầy đủ, vui lòng thử lại".into(),
            field: Some(ATTACHMENT_FIELD.into()),
        }
    }
}

/// Reads the one field `file` of the body; anything else is refused, since skipping
/// a field would mean reading it, with no limit on its size.
async fn receive(state: &AppState, mut multipart: Multipart) -> Result<Received, ApiError> {
    let max = state.config.attachment_max_bytes;
    let data_dir = &state.config.data_dir;
    let field = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(max, e))?;
    let Some(mut field) = field else {
        return Err(ApiError::validation(
            ATTACHMENT_FIELD,
            "Vui lòng chọn tệp đính kèm",
        ));
    };
    if field.name() != Some(ATTACHMENT_FIELD) {
        return Err(ApiError::validation(
            ATTACHMENT_FIELD,
            "Chỉ gửi một tệp đính kèm trong trường \"file\"",
        ));
    }
    let file_name = detect::clean_name(field.file_name().unwrap_or_default());
    let storage_name = store::new_storage_name();
    let key = FileKey::generate();
    let mut upload = Upload::create(data_dir, &storage_name, &key)
        .await
        .map_err(internal)?;
    let mut head = Vec::new();
    let mut content_type = None;
    while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(max, e))? {
        if upload.size() + chunk.len() as u64 > max {
            return Err(too_large(max));
        }
        // The type is decided as soon as enough bytes arrived, so an executable is
        // refused without reading the rest of it.
        if content_type.is_none() {
            let take = (SNIFF_LEN - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
            if head.len() == SNIFF_LEN {
                content_type = Some(detect::content_type(&head).ok_or_else(type_refused)?);
            }
        }
        upload.write(&chunk).await.map_err(internal)?;
    }
    if upload.size() == 0 {
        return Err(ApiError::validation(
            ATTACHMENT_FIELD,
            "Tệp đính kèm đang trống",
        ));
    }
    let content_type = match content_type {
        Some(found) => found,
        None => detect::content_type(&head).ok_or_else(type_refused)?,
    };
    let written = upload.finish().await.map_err(internal)?;
    Ok(Received {
        upload,
        storage_name,
        key,
        file_name,
        content_type,
        size: written.size,
        sha256: written.sha256,
    })
}

/// Writes the row and its audit entry, then moves the file into place before the
/// commit: a committed row always has its file, and a failed commit removes it.
async fn save(
    state: &AppState,
    tx: sea_orm::DatabaseTransaction,
    caller: &AuthUser,
    received: Received,
    contact_id: i64,
    deal_id: Option<i64>,
) -> Result<AttachmentDto, ApiError> {
    let now = state.clock.now();
    let data_key =
        state
            .vault
            .key_for(&tx, contact_id)
            .await?
            .ok_or_else(|| ApiError::Conflict {
                code: "anonymized",
                message: "Khách hàng đã được ẩn danh hoá nên không nhận tệp đính kèm".into(),
                field: Some(ATTACHMENT_FIELD.into()),
            })?;
    let size = i64::try_from(received.size).map_err(internal)?;
    let row = attachment::ActiveModel {
        contact_id: Set(contact_id),
        deal_id: Set(deal_id),
        file_name_enc: Set(data_key.seal(FILE_NAME_FIELD, &received.file_name)),
        content_type: Set(received.content_type.to_owned()),
        size_bytes: Set(size),
        sha256: Set(received.sha256),
        storage_name: Set(received.storage_name.clone()),
        file_key_enc: Set(data_key.seal(FILE_KEY_FIELD, &received.key.to_base64())),
        uploaded_by: Set(caller.user.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    caller
        .audit(
            &tx,
            now,
            "attachments.uploaded",
            Some(view::audit_target(&row)),
            None,
            // Ids, size and type only: the file's name may hold a person's name.
            Some(json!({
                "attachment_id": row.id,
                "contact_id": row.contact_id,
                "deal_id": row.deal_id,
                "size_bytes": row.size_bytes,
                "content_type": row.content_type,
            })),
        )
        .await?;
    let data_dir = &state.config.data_dir;
    received
        .upload
        .persist(data_dir, &received.storage_name)
        .await
        .map_err(internal)?;
    if let Err(err) = tx.commit().await {
        store::shred_all(data_dir, &[received.storage_name]).await;
        return Err(err.into());
    }
    Ok(view::dto(
        &row,
        received.file_name,
        Some(caller.user.full_name.clone()),
        true,
    ))
}
