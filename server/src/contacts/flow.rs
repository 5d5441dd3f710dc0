//! Moving contacts through the status flow, and admin re-assignment.

use api_types::{ApiErrorBody, ContactDto, ReassignRequest, StatusChangeRequest};
use axum::{Json, extract::State};
use entities::{contact, user};
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::json;

use super::{input, scope::ContactState, status::Status, view};
use crate::{
    audit::{self, AuditEntry},
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    events::{self, Audience, Draft},
    http::json::ApiJson,
    http::params::ApiPath,
    state::AppState,
};

/// Move a contact along the flow. Illegal moves answer `422 invalid_transition` with
/// the moves this caller may make.
#[utoipa::path(
    post, path = "/api/contacts/{id}/status", tag = "contacts",
    params(("id" = i64, Path)),
    request_body = StatusChangeRequest,
    responses(
        (status = 200, body = ContactDto),
        (status = 404, body = ApiErrorBody),
        (status = 422, description = "invalid_transition, with `allowed`", body = ApiErrorBody),
    )
)]
pub async fn change_status(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StatusChangeRequest>,
) -> ApiResult<Json<ContactDto>> {
    let target = Status::parse(&body.status)
        .ok_or_else(|| ApiError::validation("status", "Trạng thái không hợp lệ"))?;
    let note = match body.note.as_deref() {
        Some(n) => Some(input::clean_note("note", n)?).filter(|n| !n.is_empty()),
        None => None,
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let row = view::find_visible(&tx, &caller, id).await?;
    let allowed = view::allowed_moves(&caller, &row);
    if !allowed.iter().any(|s| s == target.code()) {
        return Err(ApiError::InvalidTransition {
            from: row.status.clone(),
            to: target.code().to_owned(),
            allowed,
        });
    }
    // Back to the pool: nobody holds it any more.
    let back_to_pool = target == Status::New;
    let updated = contact::Entity::update(contact::ActiveModel {
        id: Set(id),
        status: Set(target.code().to_owned()),
        assignee_id: Set(if back_to_pool { None } else { row.assignee_id }),
        picked_at: Set(if back_to_pool { None } else { row.picked_at }),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    audit::record(
        &tx,
        now,
        AuditEntry {
            actor: Some(caller.actor()),
            action: "contacts.status_changed",
            target: Some(("contact", id.to_string())),
            before: Some(json!({ "status": row.status, "assignee_id": row.assignee_id })),
            after: Some(json!({
                "status": updated.status,
                "assignee_id": updated.assignee_id,
                "note": note.as_deref().map(|_| "có ghi chú"),
            })),
            meta: &caller.meta,
        },
    )
    .await?;
    let event = events::record(
        &tx,
        None,
        now,
        Draft {
            kind: "contact.status_changed",
            contact_id: Some(id),
            data: json!({
                "id": id,
                "code": updated.code,
                "from": row.status,
                "to": updated.status,
                "assignee_id": updated.assignee_id,
                "actor": { "id": caller.user.id, "full_name": caller.user.full_name },
            }),
            personal: &[],
            audience: Audience::Contact {
                states: vec![ContactState::from(&row), ContactState::from(&updated)],
            },
        },
    )
    .await?;
    if let Some(note) = note {
        super::interactions::append(&tx, &state.vault, id, caller.user.id, "other", &note, now)
            .await?;
    }
    state.live.feed.commit(tx, vec![event]).await?;
    let dto = view::dto(&state.db, &state.vault, &caller, updated).await?;
    Ok(Json(dto))
}

/// Admin: give a held contact to another Sale, or put it back in the pool (`null`).
#[utoipa::path(
    post, path = "/api/contacts/{id}/reassign", tag = "contacts",
    params(("id" = i64, Path)),
    request_body = ReassignRequest,
    responses(
        (status = 200, body = ContactDto),
        (status = 404, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn reassign(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReassignRequest>,
) -> ApiResult<Json<ContactDto>> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let row = view::find_visible(&tx, &caller, id).await?;
    let new_holder = match body.user_id {
        Some(user_id) => Some(
            user::Entity::find_by_id(user_id)
                .one(&tx)
                .await?
                .filter(user::Model::is_active)
                .ok_or_else(|| {
                    ApiError::validation("user_id", "Nhân viên không tồn tại hoặc đã bị khoá")
                })?,
        ),
        None => None,
    };
    let old_holder = match row.assignee_id {
        Some(user_id) => user::Entity::find_by_id(user_id).one(&tx).await?,
        None => None,
    };
    let (status, team_id, picked_at) = match &new_holder {
        Some(holder) => {
            // A pooled contact handed to someone is being worked on from now.
            let status = if row.status == Status::New.code() {
                Status::Consulting.code().to_owned()
            } else {
                row.status.clone()
            };
            (status, holder.team_id, Some(row.picked_at.unwrap_or(now)))
        }
        None => (Status::New.code().to_owned(), None, None),
    };
    let updated = contact::Entity::update(contact::ActiveModel {
        id: Set(id),
        assignee_id: Set(new_holder.as_ref().map(|u| u.id)),
        team_id: Set(team_id),
        status: Set(status),
        picked_at: Set(picked_at),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    let name = |u: &Option<user::Model>| u.as_ref().map(|u| u.full_name.clone());
    audit::record(
        &tx,
        now,
        AuditEntry {
            actor: Some(caller.actor()),
            action: "contacts.reassigned",
            target: Some(("contact", id.to_string())),
            before: Some(json!({
                "assignee_id": row.assignee_id,
                "assignee_name": name(&old_holder),
                "status": row.status,
            })),
            after: Some(json!({
                "assignee_id": updated.assignee_id,
                "assignee_name": name(&new_holder),
                "status": updated.status,
                "summary": format!(
                    "Chuyển khách hàng từ {} sang {}",
                    name(&old_holder).unwrap_or_else(|| "danh sách chờ".into()),
                    name(&new_holder).unwrap_or_else(|| "danh sách chờ".into()),
                ),
            })),
            meta: &caller.meta,
        },
    )
    .await?;
    let person = |u: &Option<user::Model>| {
        u.as_ref()
            .map(|u| json!({ "id": u.id, "full_name": u.full_name }))
    };
    let event = events::record(
        &tx,
        None,
        now,
        Draft {
            kind: "contact.reassigned",
            contact_id: Some(id),
            data: json!({
                "id": id,
                "code": updated.code,
                "status": updated.status,
                "from": person(&old_holder),
                "to": person(&new_holder),
                "actor": { "id": caller.user.id, "full_name": caller.user.full_name },
            }),
            personal: &[],
            audience: Audience::Contact {
                states: vec![ContactState::from(&row), ContactState::from(&updated)],
            },
        },
    )
    .await?;
    state.live.feed.commit(tx, vec![event]).await?;
    let dto = view::dto(&state.db, &state.vault, &caller, updated).await?;
    Ok(Json(dto))
}
