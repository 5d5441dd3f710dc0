//! Zalo OA (SPEC NOTI, CHAN): the connection, its consent, ZNS templates and the CSKH
//! composer.

use serde::{Deserialize, Serialize};

/// What the firm asks Zalo for, with what each is for: shown to the admin before
/// OAuth (policy 000 §13) and stored with the connection.
pub const ZALO_SCOPES: &[(&str, &str)] = &[
    (
        "oa.info",
        "Thông tin Official Account (tên, ảnh đại diện) để hiển thị trạng thái kết nối",
    ),
    (
        "zns.send",
        "Gửi tin nhắn ZNS theo mẫu đã được Zalo duyệt tới số điện thoại của khách hàng",
    ),
];

pub const ZALO_STATUS_NOT_CONNECTED: &str = "not_connected";
pub const ZALO_STATUS_CONNECTED: &str = "connected";
pub const ZALO_STATUS_NEEDS_RECONNECT: &str = "needs_reconnect";

/// `GET /api/zalo/connection`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZaloConnectionDto {
    /// `not_connected`, `connected` or `needs_reconnect`.
    pub status: String,
    /// `ANKHANG_ZALO_APP_ID` and `ANKHANG_ZALO_APP_SECRET` are set.
    pub configured: bool,
    pub oa_name: Option<String>,
    pub scopes: Vec<String>,
    /// When the current access token expires (it is refreshed before).
    pub access_expires_at: Option<String>,
    pub connected_by: Option<String>,
    pub connected_at: Option<String>,
}

/// `POST /api/zalo/connect`: where to send the admin's browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZaloAuthorization {
    pub authorization_url: String,
    /// The attempt is valid until then.
    pub expires_at: String,
}

/// One parameter of a ZNS template: its name in Zalo's template and a sample value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZaloTemplateParam {
    pub name: String,
    #[serde(default)]
    pub sample: String,
}

/// `POST /api/zalo/templates` and `PUT /api/zalo/templates/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZaloTemplateRequest {
    /// The template's id at Zalo (digits).
    pub zalo_template_id: String,
    /// Vietnamese name shown to CSKH.
    pub name: String,
    #[serde(default)]
    pub params: Vec<ZaloTemplateParam>,
    #[serde(default = "enabled")]
    pub enabled: bool,
}

fn enabled() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZaloTemplateDto {
    pub id: i64,
    pub zalo_template_id: String,
    pub name: String,
    pub params: Vec<ZaloTemplateParam>,
    pub enabled: bool,
    pub updated_at: String,
}

/// One contact's message in `POST /api/zalo/messages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZaloComposeMessage {
    pub contact_id: i64,
    /// Every parameter of the template, by name.
    pub params: std::collections::BTreeMap<String, String>,
}

/// `POST /api/zalo/messages`: the CSKH composer's send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZaloComposeRequest {
    /// Our template id (`ZaloTemplateDto::id`).
    pub template_id: i64,
    pub messages: Vec<ZaloComposeMessage>,
    /// Chosen by the client once per send: pressing "Gửi" twice queues nothing twice.
    pub request_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZaloComposeResult {
    /// Messages queued for delivery by this request (a repeated request queues none).
    pub queued: usize,
}
