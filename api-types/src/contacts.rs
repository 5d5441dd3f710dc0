use serde::{Deserialize, Serialize};

/// Status codes with their Vietnamese names, in flow order (SPEC.md CONT).
pub const STATUSES: &[(&str, &str)] = &[
    ("new", "Mới"),
    ("consulting", "Đang tư vấn"),
    ("won", "Chốt"),
    ("failed", "Thất bại"),
    ("care_l1", "CSKH L1"),
    ("care_l2", "CSKH L2"),
    ("closed", "Đóng"),
];

/// Lead sources (SPEC.md 4.3.3) with their Vietnamese names.
pub const SOURCES: &[(&str, &str)] = &[
    ("ladi_zalo", "Landing page – Zalo"),
    ("ladi_hotline", "Landing page – Hotline"),
    ("fb_mess", "Facebook Messenger"),
    ("fb_hotline", "Facebook – Hotline"),
    ("google", "Google"),
    ("referral", "Giới thiệu"),
    ("other", "Khác"),
    ("facebook", "Facebook"),
];

/// Interaction kinds with their Vietnamese names.
pub const INTERACTION_KINDS: &[(&str, &str)] = &[
    ("call", "Gọi điện"),
    ("zalo", "Zalo"),
    ("email", "Email"),
    ("meeting", "Gặp mặt"),
    ("other", "Khác"),
];

pub fn label<'a>(table: &'a [(&'a str, &'a str)], code: &str) -> &'a str {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, label)| label)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceTypeDto {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub active: bool,
    pub daily_pick_limit: i32,
    pub sort_order: i32,
}

/// `POST /api/service-types` and `PUT /api/service-types/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceTypeRequest {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
    pub daily_pick_limit: i32,
    #[serde(default)]
    pub sort_order: i32,
}

fn yes() -> bool {
    true
}

/// `POST /api/contacts`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateContactRequest {
    pub full_name: String,
    pub phone: String,
    #[serde(default)]
    pub email: Option<String>,
    pub service_type_id: i64,
    pub source: String,
    #[serde(default)]
    pub note: Option<String>,
    /// Create even though the phone already exists (X-DUP); audited.
    #[serde(default)]
    pub allow_duplicate: bool,
}

/// `PUT /api/contacts/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateContactRequest {
    pub full_name: String,
    pub phone: String,
    #[serde(default)]
    pub email: Option<String>,
    pub service_type_id: i64,
    pub source: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A contact as the caller may see it. For a Sale looking at the pool, `phone` and
/// `email` are masked (`09******89`) and `masked` is true.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactDto {
    pub id: i64,
    pub code: String,
    pub full_name: String,
    pub phone: String,
    pub email: Option<String>,
    pub masked: bool,
    pub note: Option<String>,
    pub service_type_id: i64,
    pub service_type_code: String,
    pub service_type_name: String,
    pub source: String,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    pub status: String,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub created_by: i64,
    pub created_by_name: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub picked_at: Option<String>,
    /// Statuses this caller may move the contact to now.
    pub allowed_moves: Vec<String>,
    /// The deal that closed it (`won` contacts), when the caller may see deals.
    #[serde(default)]
    pub deal_id: Option<i64>,
    /// True when the caller may close it now by creating its deal
    /// (`POST /api/deals`): they hold it and it is `consulting`.
    #[serde(default)]
    pub can_close: bool,
    /// Its personal data was erased for good (`POST /api/contacts/{id}/anonymize`).
    #[serde(default)]
    pub anonymized: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactPage {
    pub items: Vec<ContactDto>,
    pub total: u64,
}

/// Enough to link to an existing contact (duplicate warnings, pick errors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactRef {
    pub id: i64,
    pub code: String,
    pub status: String,
}

/// `GET /api/contacts/check-phone?phone=`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhoneCheck {
    /// The phone as it will be stored.
    pub normalised: String,
    pub duplicates: Vec<ContactRef>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChangeRequest {
    pub status: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// `POST /api/contacts/{id}/reassign`: `null` puts the contact back in the pool.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReassignRequest {
    pub user_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InteractionRequest {
    pub kind: String,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InteractionDto {
    pub id: i64,
    pub kind: String,
    pub content: String,
    pub author_id: i64,
    pub author_name: Option<String>,
    pub created_at: String,
}

/// Who won a contact (E1 answer and `contact.picked` events).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickedBy {
    pub id: i64,
    pub full_name: String,
}

/// The caller's pick allowance: cooldown and today's usage per service type.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickAllowance {
    pub cooldown_remaining_secs: u64,
    pub cooldown_secs: u64,
    pub usage: Vec<PickUsage>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickUsage {
    pub service_type_id: i64,
    pub code: String,
    pub name: String,
    pub used: i32,
    pub limit: i32,
}

/// `POST /api/contacts/{id}/anonymize`: the contact's code, typed again to confirm.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnonymizeRequest {
    pub confirm_code: String,
}
