//! `/api/notification-deliveries`: the outbox as admins see it, and sending a failed
//! delivery again.

use std::collections::HashMap;

use api_types::{ApiErrorBody, CHANNELS, DELIVERY_STATUSES, DeliveryDto, DeliveryPage};
use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, SecondsFormat, Utc};
use entities::{notification_delivery as delivery, notification_rule, user};
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use super::template;
use crate::{
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    http::params::{ApiPath, ApiQuery},
    state::AppState,
};

const PER_PAGE: u64 = 50;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// `pending`, `sent` or `failed`; all when absent.
    pub status: Option<String>,
    pub rule_id: Option<i64>,
    /// One of the channel names (`in_app`, `email`, …); all when absent.
    pub channel: Option<String>,
    /// Only this delivery: the failure alert links to it.
    pub id: Option<i64>,
    /// From 1; 50 deliveries a page, newest first.
    pub page: Option<u64>,
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The outbox, newest first. Titles show no contact's name.
#[utoipa::path(
    get, path = "/api/notification-deliveries", tag = "notifications",
    params(DeliveryQuery),
    responses((status = 200, body = DeliveryPage), (status = 422, body = ApiErrorBody))
)]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<DeliveryQuery>,
) -> ApiResult<Json<DeliveryPage>> {
    let mut find = delivery::Entity::find();
    if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
        if !DELIVERY_STATUSES.iter().any(|(code, _)| *code == status) {
            return Err(ApiError::validation(
                "status",
                "Trạng thái gửi phải là pending, sent, failed hoặc skipped",
            ));
        }
        find = find.filter(delivery::Column::Status.eq(status));
    }
    if let Some(rule_id) = query.rule_id {
        find = find.filter(delivery::Column::RuleId.eq(rule_id));
    }
    if let Some(channel) = query.channel.as_deref().filter(|c| !c.is_empty()) {
        if !CHANNELS.iter().any(|(code, _)| *code == channel) {
            return Err(ApiError::validation("channel", "Kênh gửi không tồn tại"));
        }
        find = find.filter(delivery::Column::Channel.eq(channel));
    }
    if let Some(id) = query.id {
        find = find.filter(delivery::Column::Id.eq(id));
    }
    let total = find.clone().count(&state.db).await?;
    let page = query.page.unwrap_or(1).max(1);
    let rows = find
        .order_by_desc(delivery::Column::Id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
        .all(&state.db)
        .await?;
    let rule_names: HashMap<i64, String> = notification_rule::Entity::find()
        .filter(notification_rule::Column::Id.is_in(rows.iter().map(|d| d.rule_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let people: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|d| d.recipient_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect();
    let items = rows
        .into_iter()
        .map(|d| DeliveryDto {
            id: d.id,
            rule_id: d.rule_id,
            rule_name: rule_names.get(&d.rule_id).cloned(),
            event_seq: d.event_seq,
            recipient_id: d.recipient_id,
            recipient_name: people.get(&d.recipient_id).cloned(),
            channel: d.channel,
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: time(d.next_attempt_at),
            last_error: d.last_error,
            title: template::conceal_name(&d.title),
            created_at: time(d.created_at),
            sent_at: d.sent_at.map(time),
        })
        .collect();
    Ok(Json(DeliveryPage { items, total }))
}

/// Send a failed delivery again: it becomes pending, due now, with its attempts reset.
#[utoipa::path(
    post, path = "/api/notification-deliveries/{id}/retry", tag = "notifications",
    params(("id" = i64, Path)),
    responses(
        (status = 204),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "not_failed: only failed deliveries are retried", body = ApiErrorBody),
    )
)]
pub async fn retry(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let row = delivery::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ApiError::NotFound)?;
    let reset = delivery::Entity::update_many()
        .col_expr(
            delivery::Column::Status,
            Expr::value(delivery::STATUS_PENDING),
        )
        .col_expr(delivery::Column::Attempts, Expr::value(0))
        .col_expr(delivery::Column::NextAttemptAt, Expr::value(now))
        .col_expr(delivery::Column::LastError, Expr::value(None::<String>))
        .filter(delivery::Column::Id.eq(id))
        .filter(delivery::Column::Status.eq(delivery::STATUS_FAILED))
        .exec(&tx)
        .await?
        .rows_affected;
    if reset == 0 {
        return Err(ApiError::Conflict {
            code: "not_failed",
            message: "Chỉ gửi lại được thông báo đã gửi thất bại".into(),
            field: None,
        });
    }
    caller
        .audit(
            &tx,
            now,
            "notifications.delivery_retried",
            Some(("notification_delivery", id.to_string())),
            Some(json!({
                "status": row.status,
                "attempts": row.attempts,
                "last_error": row.last_error,
            })),
            Some(json!({ "status": delivery::STATUS_PENDING, "attempts": 0 })),
        )
        .await?;
    tx.commit().await?;
    state.live.feed.commits().notify_one();
    Ok(StatusCode::NO_CONTENT)
}
