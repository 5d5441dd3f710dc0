use serde::{Deserialize, Serialize};

/// The one error shape of the HTTP API: a machine code, a Vietnamese message and,
/// for input errors, the offending field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    /// Machine-readable code, e.g. `invalid_credentials`, `validation`, `forbidden`.
    pub error: String,
    /// Human-readable Vietnamese message.
    pub message: String,
    /// The request field the error is about, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Seconds to wait before retrying (`429` answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
    /// Who already holds the contact (`409 already_picked`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picked_by: Option<crate::contacts::PickedBy>,
    /// The moves that are allowed instead (`422 invalid_transition`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
    /// Existing contacts with the same phone (`409 duplicate_phone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicates: Option<Vec<crate::contacts::ContactRef>>,
}
