//! The append-only interaction history of a contact; contents are encrypted under the
//! contact's data key.

use std::collections::HashMap;

use api_types::{ApiErrorBody, INTERACTION_KINDS, InteractionDto, InteractionRequest};
use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, SecondsFormat, Utc};
use entities::{contact_interaction, user};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;

use super::{
    input, scope,
    vault::{ERASED, Vault},
    view,
};
use crate::{
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    http::json::ApiJson,
    http::params::ApiPath,
    state::AppState,
};

pub(crate) const CONTENT_AAD: &str = "interaction.content";

pub async fn append(
    conn: &impl ConnectionTrait,
    vault: &Vault,
    contact_id: i64,
    author_id: i64,
    kind: &str,
    content: &str,
    now: DateTime<Utc>,
) -> Result<contact_interaction::Model, ApiError> {
    let key = vault
        .key_for(conn, contact_id)
        .await?
        .ok_or_else(|| ApiError::validation("content", "Khách hàng đã được ẩn danh hoá"))?;
    Ok(contact_interaction::ActiveModel {
        contact_id: Set(contact_id),
        kind: Set(kind.to_owned()),
        content_enc: Set(key.seal(CONTENT_AAD, content)),
        author_id: Set(author_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// Record a call, Zalo message, email, meeting or other contact with the customer.
#[utoipa::path(
    post, path = "/api/contacts/{id}/interactions", tag = "contacts",
    params(("id" = i64, Path)),
    request_body = InteractionRequest,
    responses(
        (status = 201, body = InteractionDto),
        (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn add_interaction(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<InteractionRequest>,
) -> ApiResult<(StatusCode, Json<InteractionDto>)> {
    if !INTERACTION_KINDS.iter().any(|(k, _)| *k == body.kind) {
        return Err(ApiError::validation("kind", "Loại tương tác không hợp lệ"));
    }
    let content = input::clean_note("content", &body.content)?;
    if content.is_empty() {
        return Err(ApiError::validation("content", "Vui lòng nhập nội dung"));
    }
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let row = view::find_visible(&tx, &caller, id).await?;
    if !scope::reveals(&caller, &row) {
        return Err(ApiError::Forbidden);
    }
    let created = append(
        &tx,
        &state.vault,
        id,
        caller.user.id,
        &body.kind,
        &content,
        now,
    )
    .await?;
    caller
        .audit(
            &tx,
            now,
            "contacts.interaction_added",
            Some(("contact", id.to_string())),
            None,
            Some(json!({ "interaction_id": created.id, "kind": created.kind })),
        )
        .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(InteractionDto {
            id: created.id,
            kind: created.kind,
            content,
            author_id: caller.user.id,
            author_name: Some(caller.user.full_name.clone()),
            created_at: created
                .created_at
                .to_rfc3339_opts(SecondsFormat::Secs, true),
        }),
    ))
}

/// The contact's interactions, newest first (hidden while it is masked for the caller).
#[utoipa::path(
    get, path = "/api/contacts/{id}/interactions", tag = "contacts",
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = Vec<InteractionDto>),
        (status = 404, body = ApiErrorBody),
    )
)]
pub async fn list_interactions(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<InteractionDto>>> {
    let row = view::find_visible(&state.db, &caller, id).await?;
    if !scope::reveals(&caller, &row) {
        return Ok(Json(Vec::new()));
    }
    let key = state.vault.key_for(&state.db, id).await?;
    let items = contact_interaction::Entity::find()
        .filter(contact_interaction::Column::ContactId.eq(id))
        .order_by_desc(contact_interaction::Column::Id)
        .all(&state.db)
        .await?;
    let authors: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(items.iter().map(|i| i.author_id).collect::<Vec<_>>()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect();
    Ok(Json(
        items
            .into_iter()
            .map(|i| InteractionDto {
                content: key
                    .as_ref()
                    .and_then(|k| k.open(CONTENT_AAD, &i.content_enc).ok())
                    .unwrap_or_else(|| ERASED.to_owned()),
                author_name: authors.get(&i.author_id).cloned(),
                id: i.id,
                kind: i.kind,
                author_id: i.author_id,
                created_at: i.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            })
            .collect(),
    ))
}
