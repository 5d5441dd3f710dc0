//! `/api/notification-rules`: admins' rules (create, edit, enable/disable, delete), each
//! change audited with before/after in its transaction, and template preview.

use std::collections::HashMap;

use api_types::{
    ApiErrorBody, NotificationRuleDto, NotificationRuleRequest, PersonRef, RuleFormOptions,
    RuleOption, SOURCES, STATUSES, TemplatePreview, TemplatePreviewRequest, ZaloRuleMessage,
    ZnsPreview, ZnsPreviewParam, format_vnd, label,
};
use axum::{Json, extract::State, http::StatusCode};
use entities::{deal, notification_rule, role, service_type, team, user, zalo_template};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use super::{
    channels,
    reach::{self, Subject},
    rules::{self, Input},
    template::{self, Values},
};
use crate::{
    auth::current_user::AuthUser,
    contacts::{find_visible, scope::ContactState},
    db,
    error::{ApiError, ApiResult},
    http::{json::ApiJson, params::ApiPath},
    state::AppState,
    zalo::templates,
};

const TARGET: &str = "notification_rule";

/// The customer channels this server is set up to deliver through.
fn customer_channels(state: &AppState) -> Vec<String> {
    let mut out = Vec::new();
    if state.zalo.config().app().is_some() {
        out.push(channels::zalo::NAME.to_owned());
    }
    if state.config.facebook.configured() {
        out.push(channels::facebook::NAME.to_owned());
    }
    out
}

/// Every rule, newest first.
#[utoipa::path(
    get, path = "/api/notification-rules", tag = "notifications",
    responses((status = 200, body = Vec<NotificationRuleDto>))
)]
pub async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<NotificationRuleDto>>> {
    let rows = notification_rule::Entity::find()
        .order_by_desc(notification_rule::Column::Id)
        .all(&state.db)
        .await?;
    Ok(Json(rows.iter().map(rules::dto).collect()))
}

/// The roles, teams, active employees and service types a rule's conditions can name.
#[utoipa::path(
    get, path = "/api/notification-rules/options", tag = "notifications",
    responses((status = 200, body = RuleFormOptions))
)]
pub async fn options(State(state): State<AppState>) -> ApiResult<Json<RuleFormOptions>> {
    let roles = role::Entity::find()
        .order_by_asc(role::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| RuleOption {
            id: r.id,
            name: r.name,
        })
        .collect();
    let teams = team::Entity::find()
        .order_by_asc(team::Column::Name)
        .all(&state.db)
        .await?;
    let team_names: HashMap<i64, String> = teams.iter().map(|t| (t.id, t.name.clone())).collect();
    let users = user::Entity::find()
        .filter(user::Column::Status.eq(user::STATUS_ACTIVE))
        .order_by_asc(user::Column::FullName)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| PersonRef {
            id: u.id,
            team_name: u.team_id.and_then(|id| team_names.get(&id).cloned()),
            full_name: u.full_name,
            username: u.username,
        })
        .collect();
    let service_types = service_type::Entity::find()
        .order_by_asc(service_type::Column::SortOrder)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|t| RuleOption {
            id: t.id,
            name: t.name,
        })
        .collect();
    let zalo_templates = zalo_template::Entity::find()
        .filter(zalo_template::Column::Enabled.eq(true))
        .order_by_asc(zalo_template::Column::Name)
        .all(&state.db)
        .await?
        .iter()
        .map(templates::dto)
        .collect();
    Ok(Json(RuleFormOptions {
        roles,
        teams: teams
            .into_iter()
            .map(|t| RuleOption {
                id: t.id,
                name: t.name,
            })
            .collect(),
        users,
        service_types,
        customer_channels: customer_channels(&state),
        zalo_templates,
    }))
}

#[utoipa::path(
    get, path = "/api/notification-rules/{id}", tag = "notifications",
    params(("id" = i64, Path)),
    responses((status = 200, body = NotificationRuleDto), (status = 404, body = ApiErrorBody))
)]
pub async fn get(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<NotificationRuleDto>> {
    let row = notification_rule::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(rules::dto(&row)))
}

async fn checked(
    state: &AppState,
    conn: &impl sea_orm::ConnectionTrait,
    body: &NotificationRuleRequest,
) -> ApiResult<Input> {
    // A channel the server is not set up for is refused first, before its message is
    // asked for.
    let offered = customer_channels(state);
    if let Some(off) = body
        .channels
        .iter()
        .find(|c| api_types::is_customer_channel(c) && !offered.iter().any(|o| o == *c))
    {
        let message = if off == channels::zalo::NAME {
            "Chưa cấu hình Zalo OA trên máy chủ (biến môi trường ANKHANG_ZALO_APP_ID và ANKHANG_ZALO_APP_SECRET): chưa gửi được ZNS tới khách hàng"
        } else {
            "Chưa cấu hình Facebook Messenger trên máy chủ (biến môi trường ANKHANG_FACEBOOK_PAGE_TOKEN): chưa gửi được tin Messenger tới khách hàng"
        };
        return Err(ApiError::validation("channels", message));
    }
    let input = rules::check(body)?;
    // Slack posts to the one configured webhook: without it every message would fail.
    if state.config.slack_webhook_url.is_none()
        && input.channels.iter().any(|c| c == channels::slack::NAME)
    {
        return Err(ApiError::validation(
            "channels",
            "Chưa cấu hình Slack trên máy chủ (biến môi trường ANKHANG_SLACK_WEBHOOK_URL)",
        ));
    }
    rules::check_references(conn, &input.conditions).await?;
    rules::check_customer_references(conn, &input.customer).await?;
    Ok(input)
}

/// Add a rule. Only channels that deliver today are accepted (`422` naming `channels`);
/// a customer channel (`zalo`, `facebook`) also needs the server configured for it and
/// its message (`zalo`: an enabled template with every parameter mapped;
/// `facebook_text`), each refusal naming its field (`zalo.template_id`,
/// `zalo.params.{name}`, `facebook_text`).
#[utoipa::path(
    post, path = "/api/notification-rules", tag = "notifications",
    request_body = NotificationRuleRequest,
    responses((status = 201, body = NotificationRuleDto), (status = 422, body = ApiErrorBody))
)]
pub async fn create(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<NotificationRuleRequest>,
) -> ApiResult<(StatusCode, Json<NotificationRuleDto>)> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let input = checked(&state, &tx, &body).await?;
    let row = notification_rule::ActiveModel {
        name: Set(input.name.clone()),
        trigger: Set(input.trigger.clone()),
        conditions: Set(input.conditions_json()),
        channels: Set(input.channels_json()),
        template_title: Set(input.template_title.clone()),
        template_body: Set(input.template_body.clone()),
        enabled: Set(input.enabled),
        customer_messages: Set(input.customer.json()),
        created_by: Set(caller.user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let out = rules::dto(&row);
    caller
        .audit(
            &tx,
            now,
            "notifications.rule_created",
            Some((TARGET, row.id.to_string())),
            None,
            Some(json!(out)),
        )
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Edit a rule (also how it is switched on and off).
#[utoipa::path(
    put, path = "/api/notification-rules/{id}", tag = "notifications",
    params(("id" = i64, Path)),
    request_body = NotificationRuleRequest,
    responses(
        (status = 200, body = NotificationRuleDto),
        (status = 404, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NotificationRuleRequest>,
) -> ApiResult<Json<NotificationRuleDto>> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let existing = notification_rule::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ApiError::NotFound)?;
    let input = checked(&state, &tx, &body).await?;
    let updated = notification_rule::Entity::update(notification_rule::ActiveModel {
        id: Set(id),
        name: Set(input.name.clone()),
        trigger: Set(input.trigger.clone()),
        conditions: Set(input.conditions_json()),
        channels: Set(input.channels_json()),
        template_title: Set(input.template_title.clone()),
        template_body: Set(input.template_body.clone()),
        enabled: Set(input.enabled),
        customer_messages: Set(input.customer.json()),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    let (before, after) = (rules::dto(&existing), rules::dto(&updated));
    caller
        .audit(
            &tx,
            now,
            "notifications.rule_updated",
            Some((TARGET, id.to_string())),
            Some(json!(before)),
            Some(json!(after)),
        )
        .await?;
    tx.commit().await?;
    Ok(Json(after))
}

/// Delete a rule. Deliveries it already made stay in the outbox's history.
#[utoipa::path(
    delete, path = "/api/notification-rules/{id}", tag = "notifications",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ApiErrorBody))
)]
pub async fn delete(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let existing = notification_rule::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ApiError::NotFound)?;
    notification_rule::Entity::delete_by_id(id)
        .exec(&tx)
        .await?;
    caller
        .audit(
            &tx,
            now,
            "notifications.rule_deleted",
            Some((TARGET, id.to_string())),
            Some(json!(rules::dto(&existing))),
            None,
        )
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Render templates against a contact the caller may see (`contact_id`), or against
/// sample values. Unknown placeholders answer `422` naming the template's field. Given
/// a `trigger` or `conditions`, also list who the rule would reach now; given `zalo`
/// or `facebook_text`, also render the messages to the customer.
#[utoipa::path(
    post, path = "/api/notification-rules/preview", tag = "notifications",
    request_body = TemplatePreviewRequest,
    responses(
        (status = 200, body = TemplatePreview),
        (status = 404, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn preview(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<TemplatePreviewRequest>,
) -> ApiResult<Json<TemplatePreview>> {
    template::check("template_title", &body.template_title)?;
    template::check("template_body", &body.template_body)?;
    let mut values = Values::default();
    values.set("actor.name", caller.user.full_name.clone());
    let mut known = None;
    let name = match body.contact_id {
        Some(id) => {
            let row = find_visible(&state.db, &caller, id).await?;
            known = Some(ContactState::from(&row));
            let key = state.vault.key_for(&state.db, id).await?;
            values.set("contact.code", row.code.clone());
            values.set("contact.source", label(SOURCES, &row.source));
            values.set("contact.status", label(STATUSES, &row.status));
            if let Some(kind) = service_type::Entity::find_by_id(row.service_type_id)
                .one(&state.db)
                .await?
            {
                values.set("contact.service_type", kind.name);
            }
            let holder = match row.assignee_id {
                Some(uid) => user::Entity::find_by_id(uid).one(&state.db).await?,
                None => None,
            };
            values.set(
                "sale.name",
                holder.map_or_else(|| "chưa có".to_owned(), |u| u.full_name),
            );
            if let Some(closed) = deal::Entity::find()
                .filter(deal::Column::ContactId.eq(id))
                .one(&state.db)
                .await?
            {
                values.set("deal.code", closed.code);
                values.set("deal.total", format_vnd(closed.total));
            }
            state.vault.open(key.as_ref(), &row).full_name
        }
        None => {
            values.set("contact.code", "KH2026-001");
            values.set("contact.service_type", "Thành lập doanh nghiệp");
            values.set("contact.source", label(SOURCES, "ladi_zalo"));
            values.set("contact.status", label(STATUSES, "new"));
            values.set("sale.name", "Trần Thị Bình");
            values.set("deal.code", "HD2026-001");
            values.set("deal.total", format_vnd(15_000_000));
            values.set("response.terms", "quá tệ, khiếu nại");
            "Nguyễn Văn An".to_owned()
        }
    };
    let recipients = match (&body.trigger, &body.conditions) {
        (None, None) => None,
        (trigger, conditions) => {
            let conditions = conditions.clone().unwrap_or_default();
            rules::check_references(&state.db, &conditions).await?;
            let subject = match (known, trigger.as_deref()) {
                (Some(contact), _) => Subject::Known(contact),
                (None, Some(trigger)) => {
                    rules::check_trigger(trigger)?;
                    Subject::for_trigger(trigger.trim())
                }
                (None, None) => Subject::PerEvent,
            };
            Some(reach::preview(&state.db, &state.live.grants, &conditions, &subject).await?)
        }
    };
    let fill = |text: &str| template::resolve_name(&template::render(text, &values), &name);
    let zalo = match &body.zalo {
        Some(message) => zns_preview(&state, message, &fill).await?,
        None => None,
    };
    let facebook = match &body.facebook_text {
        Some(text) => {
            template::check("facebook_text", text)?;
            Some(fill(text))
        }
        None => None,
    };
    Ok(Json(TemplatePreview {
        title: fill(&body.template_title),
        body: fill(&body.template_body),
        recipients,
        zalo,
        facebook,
    }))
}

/// The ZNS message as the contact would get it, parameters in the template's order
/// (an unmapped one shows empty); `None` for a template that is gone.
async fn zns_preview(
    state: &AppState,
    message: &ZaloRuleMessage,
    fill: &impl Fn(&str) -> String,
) -> ApiResult<Option<ZnsPreview>> {
    for (name, value) in &message.params {
        template::check(&format!("zalo.params.{name}"), value)?;
    }
    let Some(row) = zalo_template::Entity::find_by_id(message.template_id)
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let params = templates::params_of(&row)
        .into_iter()
        .map(|p| ZnsPreviewParam {
            value: message
                .params
                .get(&p.name)
                .map(|v| fill(v))
                .unwrap_or_default(),
            name: p.name,
        })
        .collect();
    Ok(Some(ZnsPreview {
        template_name: row.name,
        zalo_template_id: row.zalo_template_id,
        params,
    }))
}
