//! Notification rules, deliveries and the in-app inbox (SPEC.md NOTI).

use serde::{Deserialize, Serialize};

/// Events a rule can be triggered by, with their Vietnamese names.
pub const TRIGGERS: &[(&str, &str)] = &[
    ("contact.created", "Khách hàng mới được tạo"),
    ("contact.picked", "Khách hàng được nhận"),
    ("contact.status_changed", "Khách hàng đổi trạng thái"),
    (
        "contact.reassigned",
        "Khách hàng được chuyển người phụ trách",
    ),
    ("deal.created", "Hợp đồng được chốt"),
    ("response.negative", "Khách hàng phản hồi tiêu cực"),
];

/// Every channel of SPEC.md NOTI, with its Vietnamese name.
pub const CHANNELS: &[(&str, &str)] = &[
    ("in_app", "Trong ứng dụng"),
    ("web_push", "Thông báo trình duyệt"),
    ("email", "Email"),
    ("zalo", "Zalo OA"),
    ("slack", "Slack"),
    ("facebook", "Facebook Messenger"),
];

/// The channels that deliver today; a rule may only name these. The customer channels
/// among them deliver only once configured (`RuleFormOptions::customer_channels`).
pub const DELIVERING_CHANNELS: &[&str] =
    &["in_app", "email", "slack", "web_push", "zalo", "facebook"];

/// Channels that message the event's CONTACT (the customer) instead of staff, with
/// their names in the rule form: one delivery per event × contact × channel, whoever
/// the rule's staff recipients are.
pub const CUSTOMER_CHANNELS: &[(&str, &str)] = &[
    ("zalo", "Zalo (ZNS) tới khách hàng"),
    ("facebook", "Facebook Messenger tới khách hàng"),
];

/// Whether `channel` messages the contact rather than staff.
pub fn is_customer_channel(channel: &str) -> bool {
    CUSTOMER_CHANNELS.iter().any(|(code, _)| *code == channel)
}

/// Triggers whose event concerns one contact: only their rules may message the
/// contact through a customer channel.
pub const CONTACT_TRIGGERS: &[&str] = &[
    "contact.created",
    "contact.picked",
    "contact.status_changed",
    "contact.reassigned",
    "deal.created",
    "response.negative",
];

/// What a rule's `zalo` channel sends: one of the registered ZNS templates (our id,
/// `ZaloTemplateDto::id`) and a value for each of its parameters. A value is a small
/// template: a placeholder such as `{{contact.name}}` (the same ones as the text
/// templates), fixed text, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZaloRuleMessage {
    pub template_id: i64,
    /// Every parameter of the template, by its name at Zalo.
    #[serde(default)]
    pub params: std::collections::BTreeMap<String, String>,
}

/// Template placeholders with what they stand for.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("contact.code", "Mã khách hàng"),
    ("contact.name", "Tên khách hàng"),
    ("contact.service_type", "Loại dịch vụ"),
    ("contact.source", "Nguồn khách hàng"),
    ("contact.status", "Trạng thái khách hàng"),
    ("sale.name", "Sale phụ trách"),
    ("deal.code", "Mã hợp đồng"),
    ("deal.total", "Tổng giá trị hợp đồng"),
    ("actor.name", "Người thực hiện"),
    ("response.terms", "Từ ngữ tiêu cực trong tin nhắn của khách"),
];

pub const DELIVERY_STATUSES: &[(&str, &str)] = &[
    ("pending", "Đang chờ gửi"),
    ("sent", "Đã gửi"),
    ("failed", "Gửi thất bại"),
    // Nothing to send to: no email address, no browser subscribed.
    ("skipped", "Bỏ qua"),
];

/// Who receives (role, team, user: all given lists must match) and which events count
/// (service type, source, status of the contact). An empty list means any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleConditions {
    #[serde(default)]
    pub role_ids: Vec<i64>,
    #[serde(default)]
    pub team_ids: Vec<i64>,
    #[serde(default)]
    pub user_ids: Vec<i64>,
    #[serde(default)]
    pub service_type_ids: Vec<i64>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub statuses: Vec<String>,
}

/// `POST /api/notification-rules` and `PUT /api/notification-rules/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationRuleRequest {
    pub name: String,
    /// One of [`TRIGGERS`].
    pub trigger: String,
    #[serde(default)]
    pub conditions: RuleConditions,
    /// Names from [`DELIVERING_CHANNELS`].
    pub channels: Vec<String>,
    pub template_title: String,
    pub template_body: String,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// Required when `channels` names `zalo`: the ZNS template and its mapping.
    #[serde(default)]
    pub zalo: Option<ZaloRuleMessage>,
    /// Required when `channels` names `facebook`: the text sent to the contact on
    /// Messenger (placeholders as in `template_body`).
    #[serde(default)]
    pub facebook_text: Option<String>,
}

fn enabled_by_default() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationRuleDto {
    pub id: i64,
    pub name: String,
    pub trigger: String,
    pub conditions: RuleConditions,
    pub channels: Vec<String>,
    pub template_title: String,
    pub template_body: String,
    pub enabled: bool,
    pub created_by: i64,
    pub created_at: String,
    pub updated_at: String,
    /// The `zalo` channel's template and mapping, when the rule names it.
    #[serde(default)]
    pub zalo: Option<ZaloRuleMessage>,
    /// The `facebook` channel's text, when the rule names it.
    #[serde(default)]
    pub facebook_text: Option<String>,
}

/// `POST /api/notification-rules/preview`: the templates rendered against a contact
/// the caller may see, or against sample values.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplatePreviewRequest {
    pub template_title: String,
    pub template_body: String,
    #[serde(default)]
    pub contact_id: Option<i64>,
    /// With `conditions`: also answer who the rule would reach now (`recipients`).
    #[serde(default)]
    pub trigger: Option<String>,
    #[serde(default)]
    pub conditions: Option<RuleConditions>,
    /// Also render this ZNS message (`TemplatePreview::zalo`).
    #[serde(default)]
    pub zalo: Option<ZaloRuleMessage>,
    /// Also render this Messenger text (`TemplatePreview::facebook`).
    #[serde(default)]
    pub facebook_text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplatePreview {
    pub title: String,
    pub body: String,
    /// Present when the request named a trigger or conditions.
    #[serde(default)]
    pub recipients: Option<RecipientPreview>,
    /// The ZNS message with its parameters filled, when the request named one.
    #[serde(default)]
    pub zalo: Option<ZnsPreview>,
    /// The Messenger text rendered, when the request named one.
    #[serde(default)]
    pub facebook: Option<String>,
}

/// A rule's ZNS message as the contact would receive it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZnsPreview {
    pub template_name: String,
    pub zalo_template_id: String,
    /// In the template's order.
    pub params: Vec<ZnsPreviewParam>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZnsPreviewParam {
    pub name: String,
    pub value: String,
}

/// Who a rule being written would reach now: active employees on its recipient lists
/// who hold `notifications.receive` and may see the contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecipientPreview {
    pub people: Vec<crate::PersonRef>,
    /// The trigger's contact is held by someone (a pick, a status move…): each event
    /// then reaches only those of `people` who may see that contact, such as the Sale
    /// holding it. `false` when the preview knew the contact's state (a new contact,
    /// or `contact_id`).
    pub per_contact: bool,
}

/// One outbox row as admins see it (the contact's name is not shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryDto {
    pub id: i64,
    pub rule_id: i64,
    pub rule_name: Option<String>,
    pub event_seq: i64,
    pub recipient_id: i64,
    pub recipient_name: Option<String>,
    pub channel: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: String,
    pub last_error: Option<String>,
    pub title: String,
    pub created_at: String,
    pub sent_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryPage {
    pub items: Vec<DeliveryDto>,
    pub total: u64,
}

/// An in-app notification; also the `data` of a `notification` WebSocket event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationDto {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// Where the web client opens it, e.g. `/contacts/12`.
    pub link: Option<String>,
    pub created_at: String,
    pub read_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPage {
    pub items: Vec<NotificationDto>,
    pub total: u64,
    pub unread_count: u64,
}

/// `POST /api/notifications/read-all` and `POST /api/notifications/{id}/read`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCount {
    pub unread_count: u64,
}

/// Something a rule's condition can name: a role, team or service type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleOption {
    pub id: i64,
    pub name: String,
}

/// `GET /api/notification-rules/options`: what the rule form offers, readable with
/// `notifications.manage` alone (the roles, teams and employees screens need other
/// permissions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleFormOptions {
    pub roles: Vec<RuleOption>,
    pub teams: Vec<RuleOption>,
    /// Active employees, by name.
    pub users: Vec<crate::PersonRef>,
    pub service_types: Vec<RuleOption>,
    /// The customer channels this server can deliver through now (`zalo` when Zalo
    /// OA is configured, `facebook` when the Page token is set).
    #[serde(default)]
    pub customer_channels: Vec<String>,
    /// The enabled ZNS templates a rule's `zalo` channel can use.
    #[serde(default)]
    pub zalo_templates: Vec<crate::ZaloTemplateDto>,
}
