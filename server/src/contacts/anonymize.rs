//! The right to be forgotten: a contact's personal data erased for good. The data key
//! is destroyed (crypto-shredding), so every sealed copy elsewhere — audit before/after
//! values, stored events, deal notes, old backups — becomes unreadable at once, while
//! the audit chain still verifies (its stored bytes do not change). The contact keeps
//! its code, status and deals (amounts stay for accounting); its name reads as its code.
//! Its attachments (its deals' included) go too: rows in the same transaction, files
//! overwritten and unlinked once it has committed.

use api_types::{AnonymizeRequest, ApiErrorBody, ContactDto};
use axum::{Json, extract::State};
use chrono::{DateTime, Utc};
use entities::{contact, contact_interaction, contact_key, contact_name_token, deal};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    sea_query::Expr,
};
use serde_json::json;

use super::view;
use crate::{
    attachments,
    audit::{self, Actor, AuditEntry},
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    http::client_meta::ClientMeta,
    http::{json::ApiJson, params::ApiPath},
    state::AppState,
};

/// Erase a contact's personal data for good (`contacts.anonymize`).
#[utoipa::path(
    post, path = "/api/contacts/{id}/anonymize", tag = "contacts",
    params(("id" = i64, Path)),
    request_body = AnonymizeRequest,
    responses(
        (status = 200, body = ContactDto),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "already_anonymized", body = ApiErrorBody),
        (status = 422, description = "confirm_code does not match", body = ApiErrorBody),
    )
)]
pub async fn anonymize(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AnonymizeRequest>,
) -> ApiResult<Json<ContactDto>> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let row = view::find_visible(&tx, &caller, id).await?;
    if body.confirm_code.trim().to_uppercase() != row.code {
        return Err(ApiError::validation(
            "confirm_code",
            format!("Nhập đúng mã khách hàng {} để xác nhận", row.code),
        ));
    }
    let files = erase(&tx, id, now, Some(caller.actor()), &caller.meta, None).await?;
    state
        .live
        .feed
        .commit_and_reload(tx, &state.db, &state.vault)
        .await?;
    attachments::store::shred_all(&state.config.data_dir, &files).await;
    let updated = view::find_visible(&state.db, &caller, id).await?;
    let dto = view::dto(&state.db, &state.vault, &caller, updated).await?;
    Ok(Json(dto))
}

/// Destroys contact `id`'s key and erases its personal data, interactions, deal notes
/// and attachment rows, with the audit entry, inside `tx`. Returns the attachment
/// files to shred once `tx` has committed (and the ring been rebuilt). `reason` says
/// why when it is not a person's request (retention).
pub async fn erase(
    tx: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
    actor: Option<Actor>,
    meta: &ClientMeta,
    reason: Option<&str>,
) -> Result<Vec<String>, ApiError> {
    let code = contact::Entity::find_by_id(id)
        .one(tx)
        .await?
        .map(|c| c.code)
        .ok_or(ApiError::NotFound)?;
    let destroyed = contact_key::Entity::delete_many()
        .filter(contact_key::Column::ContactId.eq(id))
        .exec(tx)
        .await?;
    if destroyed.rows_affected == 0 {
        return Err(ApiError::Conflict {
            code: "already_anonymized",
            message: format!("Khách hàng {code} đã được ẩn danh trước đó"),
            field: None,
        });
    }
    // The ciphertexts are unreadable without the key; they go too, with the blind
    // indexes that could still match a known name or phone.
    let updated = contact::Entity::update(contact::ActiveModel {
        id: Set(id),
        full_name_enc: Set(String::new()),
        phone_enc: Set(String::new()),
        email_enc: Set(None),
        note_enc: Set(None),
        phone_index: Set(String::new()),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(tx)
    .await?;
    contact_name_token::Entity::delete_many()
        .filter(contact_name_token::Column::ContactId.eq(id))
        .exec(tx)
        .await?;
    let interactions = contact_interaction::Entity::update_many()
        .col_expr(contact_interaction::Column::ContentEnc, Expr::value(""))
        .filter(contact_interaction::Column::ContactId.eq(id))
        .exec(tx)
        .await?;
    deal::Entity::update_many()
        .col_expr(deal::Column::NoteEnc, Expr::value(Option::<String>::None))
        .filter(deal::Column::ContactId.eq(id))
        .exec(tx)
        .await?;
    let deals = deal::Entity::find()
        .filter(deal::Column::ContactId.eq(id))
        .count(tx)
        .await?;
    let files = attachments::delete_for_contact(tx, id).await?;
    let channel_identities = crate::inbound::forget_contact(tx, id).await?;
    audit::record(
        tx,
        now,
        AuditEntry {
            actor,
            action: "contacts.anonymized",
            target: Some(("contact", id.to_string())),
            before: None,
            // The fact, not the data.
            after: Some(json!({
                "code": updated.code,
                "interactions_scrubbed": interactions.rows_affected,
                "deals_kept": deals,
                "attachments_deleted": files.len(),
                "channel_identities_deleted": channel_identities,
                "reason": reason,
            })),
            meta,
        },
    )
    .await?;
    Ok(files)
}
