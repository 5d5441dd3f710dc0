//! Notifications: the caller's own inbox (any signed-in user), and the rules and
//! delivery log (`notifications.manage`).

use api_types::{
    DeliveryPage, NotificationPage, NotificationRuleDto, NotificationRuleRequest, RuleFormOptions,
    TemplatePreview, TemplatePreviewRequest, UnreadCount,
};
use gloo_net::http::Request;

use super::{ApiError, read, send};

/// The newest page of the caller's notifications, with the unread count.
pub async fn notifications() -> Result<NotificationPage, ApiError> {
    read(send(Request::get("/api/notifications").build()).await?).await
}

pub async fn mark_notification_read(id: i64) -> Result<UnreadCount, ApiError> {
    read(send(Request::post(&format!("/api/notifications/{id}/read")).build()).await?).await
}

pub async fn mark_all_notifications_read() -> Result<UnreadCount, ApiError> {
    read(send(Request::post("/api/notifications/read-all").build()).await?).await
}

pub async fn notification_rules() -> Result<Vec<NotificationRuleDto>, ApiError> {
    read(send(Request::get("/api/notification-rules").build()).await?).await
}

pub async fn notification_rule(id: i64) -> Result<NotificationRuleDto, ApiError> {
    read(send(Request::get(&format!("/api/notification-rules/{id}")).build()).await?).await
}

/// The roles, teams, employees and service types a rule can name.
pub async fn notification_rule_options() -> Result<RuleFormOptions, ApiError> {
    read(send(Request::get("/api/notification-rules/options").build()).await?).await
}

pub async fn create_notification_rule(
    body: &NotificationRuleRequest,
) -> Result<NotificationRuleDto, ApiError> {
    read(send(Request::post("/api/notification-rules").json(body)).await?).await
}

pub async fn update_notification_rule(
    id: i64,
    body: &NotificationRuleRequest,
) -> Result<NotificationRuleDto, ApiError> {
    read(send(Request::put(&format!("/api/notification-rules/{id}")).json(body)).await?).await
}

pub async fn delete_notification_rule(id: i64) -> Result<(), ApiError> {
    send(Request::delete(&format!("/api/notification-rules/{id}")).build())
        .await
        .map(drop)
}

/// The templates rendered with sample values and, given a trigger, who would receive it.
pub async fn preview_notification_rule(
    body: &TemplatePreviewRequest,
) -> Result<TemplatePreview, ApiError> {
    read(send(Request::post("/api/notification-rules/preview").json(body)).await?).await
}

/// Filters of the delivery log; empty strings and `None` leave a filter out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeliveryQuery {
    pub status: String,
    pub channel: String,
    pub rule_id: Option<i64>,
    /// One delivery (the failure alert's link).
    pub id: Option<i64>,
    pub page: u64,
}

impl DeliveryQuery {
    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("page", self.page.max(1).to_string())];
        for (name, value) in [("status", &self.status), ("channel", &self.channel)] {
            if !value.is_empty() {
                params.push((name, value.clone()));
            }
        }
        for (name, value) in [("rule_id", self.rule_id), ("id", self.id)] {
            if let Some(value) = value {
                params.push((name, value.to_string()));
            }
        }
        params
    }
}

pub async fn notification_deliveries(query: &DeliveryQuery) -> Result<DeliveryPage, ApiError> {
    let params = query.params();
    let request = Request::get("/api/notification-deliveries")
        .query(params.iter().map(|(k, v)| (*k, v.as_str())))
        .build();
    read(send(request).await?).await
}

/// Only failed deliveries can be sent again (409 `not_failed` otherwise).
pub async fn retry_notification_delivery(id: i64) -> Result<(), ApiError> {
    send(Request::post(&format!("/api/notification-deliveries/{id}/retry")).build())
        .await
        .map(drop)
}
