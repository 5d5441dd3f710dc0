//! TOTP two-factor authentication (AUTH-007): enrolment, recovery codes, admin reset.

use serde::{Deserialize, Serialize};

/// `POST /api/me/two-factor/setup`: a fresh secret, pending until a code confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorSetupResponse {
    /// Base32 key for typing into an authenticator app by hand.
    pub secret: String,
    /// `otpauth://totp/AnKhangCRM:<username>?…`, what the QR code encodes.
    pub otpauth_uri: String,
    /// The QR code as an inline SVG document.
    pub qr_svg: String,
}

/// `POST /api/me/two-factor/enable` and `…/recovery-codes`: one current code.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorCodeRequest {
    /// The 6-digit code the authenticator app shows now.
    pub code: String,
}

/// `POST /api/me/two-factor/disable`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorDisableRequest {
    pub password: String,
    /// A current 6-digit code or an unused recovery code.
    pub code: String,
}

/// Recovery codes, shown once: only their digests are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodesResponse {
    pub codes: Vec<String>,
}

/// How many recovery codes a user holds at a time.
pub const RECOVERY_CODE_COUNT: usize = 10;
