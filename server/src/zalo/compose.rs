//! `POST /api/zalo/messages` (`zalo.send`): the CSKH composer. Each contact's message
//! is queued as a `zalo` delivery (so the outbox's retries and idempotency apply),
//! recorded in the contact's timeline as a "zalo" interaction (sealed like every
//! interaction) and audited, in one transaction. The sender is the delivery's
//! recipient: if Zalo still refuses after the retries, they are told in-app.

use std::collections::BTreeMap;

use api_types::{ApiErrorBody, ZaloComposeRequest, ZaloComposeResult};
use axum::{Json, extract::State};
use entities::{notification_delivery as delivery, zalo_template as template};
use sea_orm::{ActiveValue::Set, EntityTrait, TryInsertResult};
use serde_json::{Map, Value, json};

use super::{ZaloError, templates, tokens};
use crate::{
    auth::current_user::AuthUser,
    contacts::{find_visible, interactions, scope},
    db,
    error::{ApiError, ApiResult},
    http::json::ApiJson,
    notifications::{
        channels::zalo::{COMPOSER_RULE_ID, NAME as CHANNEL, ZnsPayload},
        template::NAME_SLOT,
    },
    state::AppState,
};

/// Contacts one send may reach.
const MAX_MESSAGES: usize = 200;
const MAX_VALUE_CHARS: usize = 400;

fn check_request_id(id: &str) -> Result<(), ApiError> {
    let valid =
        (8..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if valid {
        Ok(())
    } else {
        Err(ApiError::validation(
            "request_id",
            "Mã yêu cầu không hợp lệ",
        ))
    }
}

/// The message's parameters: exactly the template's, none empty.
fn checked_params(
    template: &template::Model,
    given: &BTreeMap<String, String>,
) -> Result<Vec<(String, String)>, ApiError> {
    let wanted = templates::params_of(template);
    if given.len() != wanted.len() || wanted.iter().any(|p| !given.contains_key(&p.name)) {
        return Err(ApiError::validation(
            "messages",
            "Tham số không khớp với mẫu đã chọn",
        ));
    }
    wanted
        .into_iter()
        .map(|p| {
            let value = given
                .get(&p.name)
                .map(|v| v.trim().to_owned())
                .unwrap_or_default();
            if value.is_empty() || value.chars().count() > MAX_VALUE_CHARS {
                return Err(ApiError::validation(
                    "messages",
                    format!(
                        "Vui lòng nhập \"{}\" (tối đa {MAX_VALUE_CHARS} ký tự)",
                        p.name
                    ),
                ));
            }
            Ok((p.name, value))
        })
        .collect()
}

/// The timeline's text: the template's name and the values sent.
pub fn interaction_text(template_name: &str, params: &[(String, String)]) -> String {
    let values: Vec<String> = params.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("Tin Zalo ZNS «{template_name}» — {}", values.join("; "))
}

/// Queue the template message for each contact.
#[utoipa::path(
    post, path = "/api/zalo/messages", tag = "zalo",
    request_body = ZaloComposeRequest,
    responses(
        (status = 200, body = ZaloComposeResult),
        (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn send(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<ZaloComposeRequest>,
) -> ApiResult<Json<ZaloComposeResult>> {
    check_request_id(&body.request_id)?;
    if body.messages.is_empty() || body.messages.len() > MAX_MESSAGES {
        return Err(ApiError::validation(
            "messages",
            format!("Chọn từ 1 đến {MAX_MESSAGES} khách hàng"),
        ));
    }
    let template = template::Entity::find_by_id(body.template_id)
        .one(&state.db)
        .await?
        .filter(|t| t.enabled)
        .ok_or_else(|| ApiError::validation("template_id", "Mẫu tin không tồn tại hoặc đã tắt"))?;
    let connected = tokens::load(&state.db)
        .await?
        .map(|row| row.status == entities::zalo_connection::STATUS_CONNECTED);
    if connected != Some(true) {
        let err = if connected.is_some() {
            ZaloError::NeedsReconnect
        } else {
            ZaloError::NotConnected
        };
        return Err(ApiError::Conflict {
            code: "zalo_not_connected",
            message: err.to_string(),
            field: None,
        });
    }
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let mut queued = 0;
    for message in &body.messages {
        let params = checked_params(&template, &message.params)?;
        let row = find_visible(&tx, &caller, message.contact_id).await?;
        if !scope::reveals(&caller, &row) {
            return Err(ApiError::Forbidden);
        }
        let key = state.vault.key_for(&tx, row.id).await?;
        let name = state.vault.open(key.as_ref(), &row).full_name;
        // The name rests in the outbox as its placeholder, filled in at send time.
        let template_data: Map<String, Value> = params
            .iter()
            .map(|(k, v)| {
                let stored = if name.trim().is_empty() {
                    v.clone()
                } else {
                    v.replace(&name, NAME_SLOT)
                };
                (k.clone(), Value::String(stored))
            })
            .collect();
        let payload = ZnsPayload {
            template_id: template.zalo_template_id.clone(),
            template_data,
        };
        let inserted = delivery::Entity::insert(delivery::ActiveModel {
            rule_id: Set(COMPOSER_RULE_ID),
            event_seq: Set(0),
            contact_id: Set(Some(row.id)),
            recipient_id: Set(caller.user.id),
            channel: Set(CHANNEL.into()),
            idempotency_key: Set(format!("compose:{}:{}:{CHANNEL}", body.request_id, row.id)),
            status: Set(delivery::STATUS_PENDING.into()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            last_error: Set(None),
            title: Set(template.name.clone()),
            body: Set(serde_json::to_string(&payload).unwrap_or_default()),
            link: Set(Some(format!("/contacts/{}", row.id))),
            created_at: Set(now),
            sent_at: Set(None),
            ..Default::default()
        })
        .on_conflict_do_nothing_on([delivery::Column::IdempotencyKey])
        .exec(&tx)
        .await?;
        let TryInsertResult::Inserted(done) = inserted else {
            continue;
        };
        let interaction = interactions::append(
            &tx,
            &state.vault,
            row.id,
            caller.user.id,
            "zalo",
            &interaction_text(&template.name, &params),
            now,
        )
        .await?;
        caller
            .audit(
                &tx,
                now,
                "zalo.message_queued",
                Some(("contact", row.id.to_string())),
                None,
                Some(json!({
                    "delivery_id": done.last_insert_id,
                    "interaction_id": interaction.id,
                    "template_id": template.id,
                    "zalo_template_id": template.zalo_template_id,
                    "params": params.iter().map(|(k, _)| k).collect::<Vec<_>>(),
                })),
            )
            .await?;
        queued += 1;
    }
    // Committing through the feed wakes the notification worker at once.
    state.live.feed.commit(tx, Vec::new()).await?;
    Ok(Json(ZaloComposeResult { queued }))
}
