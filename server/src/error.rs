//! The one error type of the HTTP API and its mapping to API.md's error shape.

use api_types::{ApiErrorBody, ContactRef, PAYMENT_STATUSES, PickedBy, STATUSES, label};
use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use sea_orm::{DbErr, SqlErr};

pub type ApiResult<T> = Result<T, ApiError>;

/// Names one internal error in the log, the `X-Error-Id` header and the monitor's
/// alert, so an operator finds the details a user only sees as "Hệ thống đang bận".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorId(pub String);

impl ErrorId {
    fn new() -> Self {
        Self(format!("{:012x}", rand::random::<u64>() & 0xffff_ffff_ffff))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Bad input for one field: `422 validation`.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// A malformed request: `400` with its own code.
    #[error("{code}: {message}")]
    BadRequest {
        code: &'static str,
        message: String,
        field: Option<String>,
    },
    #[error("unauthenticated: {message}")]
    Unauthorized { code: &'static str, message: String },
    #[error("forbidden")]
    Forbidden,
    /// A role demands two-factor authentication and the user has not enrolled yet.
    #[error("two-factor enrollment required")]
    TwoFactorEnrollmentRequired,
    #[error("csrf rejected")]
    CsrfRejected,
    #[error("not found")]
    NotFound,
    #[error("{code}: {message}")]
    Conflict {
        code: &'static str,
        message: String,
        field: Option<String>,
    },
    #[error("too many attempts, retry in {retry_after_secs}s")]
    TooManyAttempts { retry_after_secs: u64 },
    /// E1: somebody else won the contact.
    #[error("already picked by {}", by.full_name)]
    AlreadyPicked { by: PickedBy },
    /// E2: the Sale is cooling down after their last pick.
    #[error("cooling down for {retry_after_secs}s")]
    Cooldown { retry_after_secs: u64 },
    #[error("daily limit: {message}")]
    DailyLimit { message: String },
    #[error("invalid transition {from} -> {to}")]
    InvalidTransition {
        from: String,
        to: String,
        allowed: Vec<String>,
    },
    /// A payment-status change the deal's current status does not allow.
    #[error("invalid payment move {from} -> {to}")]
    InvalidPaymentMove {
        from: String,
        to: String,
        allowed: Vec<String>,
    },
    #[error("duplicate phone")]
    DuplicatePhone { duplicates: Vec<ContactRef> },
    #[error("payload too large")]
    PayloadTooLarge,
    /// An uploaded file over its limit: `413` naming the field.
    #[error("{field}: {message}")]
    FileTooLarge { field: String, message: String },
    /// An outside service (Zalo) refused or could not be reached: `502`.
    #[error("{code}: {message}")]
    Upstream { code: &'static str, message: String },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    pub fn unauthenticated() -> Self {
        Self::Unauthorized {
            code: "unauthenticated",
            message: "Bạn chưa đăng nhập hoặc phiên đăng nhập đã hết hạn".into(),
        }
    }

    fn parts(&self) -> (StatusCode, &'static str, String, Option<String>) {
        match self {
            Self::Validation { field, message } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                message.clone(),
                Some(field.clone()),
            ),
            Self::BadRequest {
                code,
                message,
                field,
            } => (
                StatusCode::BAD_REQUEST,
                code,
                message.clone(),
                field.clone(),
            ),
            Self::Unauthorized { code, message } => {
                (StatusCode::UNAUTHORIZED, code, message.clone(), None)
            }
            Self::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "Bạn không có quyền thực hiện thao tác này".into(),
                None,
            ),
            Self::TwoFactorEnrollmentRequired => (
                StatusCode::FORBIDDEN,
                "two_factor_enrollment_required",
                "Vai trò của bạn bắt buộc xác thực hai lớp. Hãy thiết lập trong Hồ sơ cá nhân trước khi tiếp tục".into(),
                None,
            ),
            Self::CsrfRejected => (
                StatusCode::FORBIDDEN,
                "csrf_rejected",
                "Yêu cầu bị từ chối: nguồn gửi (Origin) không hợp lệ".into(),
                None,
            ),
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "Không tìm thấy dữ liệu yêu cầu".into(),
                None,
            ),
            Self::Conflict {
                code,
                message,
                field,
            } => (StatusCode::CONFLICT, code, message.clone(), field.clone()),
            Self::TooManyAttempts { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                format!("Bạn đã thử quá nhiều lần. Vui lòng thử lại sau {retry_after_secs} giây"),
                None,
            ),
            Self::AlreadyPicked { by } => (
                StatusCode::CONFLICT,
                "already_picked",
                format!("Khách hàng này đã được nhận bởi {}", by.full_name),
                None,
            ),
            Self::Cooldown { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                "cooldown",
                format!(
                    "Bạn vừa nhận khách hàng. Vui lòng chờ {} để nhận tiếp",
                    wait_text(*retry_after_secs)
                ),
                None,
            ),
            Self::DailyLimit { message } => {
                (StatusCode::CONFLICT, "daily_limit", message.clone(), None)
            }
            Self::InvalidTransition { from, to, allowed } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_transition",
                transition_text(STATUSES, from, to, allowed),
                Some("status".into()),
            ),
            Self::InvalidPaymentMove { from, to, allowed } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_transition",
                transition_text(PAYMENT_STATUSES, from, to, allowed),
                Some("status".into()),
            ),
            Self::DuplicatePhone { duplicates } => (
                StatusCode::CONFLICT,
                "duplicate_phone",
                format!(
                    "Số điện thoại đã có ở khách hàng {}",
                    duplicates
                        .iter()
                        .map(|d| d.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Some("phone".into()),
            ),
            Self::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "Dữ liệu gửi lên quá lớn".into(),
                None,
            ),
            Self::FileTooLarge { field, message } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "file_too_large",
                message.clone(),
                Some(field.clone()),
            ),
            Self::Upstream { code, message } => {
                (StatusCode::BAD_GATEWAY, *code, message.clone(), None)
            }
            Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Hệ thống đang bận, vui lòng thử lại sau".into(),
                None,
            ),
        }
    }
}

impl From<DbErr> for ApiError {
    /// Unique violations and lost lock races are a client's conflict, anything else is
    /// our failure.
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => Self::Conflict {
                code: "conflict",
                message: "Dữ liệu đã tồn tại".into(),
                field: unique_field(&detail),
            },
            _ if crate::contention::is_contention(&err) => Self::Conflict {
                code: "busy",
                message: "Dữ liệu đang được một thao tác khác cập nhật, vui lòng thử lại".into(),
                field: None,
            },
            _ => Self::Internal(err.into()),
        }
    }
}

fn wait_text(secs: u64) -> String {
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s} giây"),
        (m, 0) => format!("{m} phút"),
        (m, s) => format!("{m} phút {s} giây"),
    }
}

fn transition_text(labels: &[(&str, &str)], from: &str, to: &str, allowed: &[String]) -> String {
    let names: Vec<&str> = allowed.iter().map(|s| label(labels, s)).collect();
    let options = if names.is_empty() {
        "không có bước chuyển nào".to_owned()
    } else {
        names.join(", ")
    };
    format!(
        "Không thể chuyển từ \"{}\" sang \"{}\". Có thể chuyển sang: {options}",
        label(labels, from),
        label(labels, to)
    )
}

/// Best-effort column name from a unique-violation message of SQLite/PostgreSQL/MySQL.
fn unique_field(detail: &str) -> Option<String> {
    let candidate = detail
        .rsplit(['.', '(', ' ', '\''])
        .find(|part| !part.is_empty())?;
    let name: String = candidate
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, field) = self.parts();
        let error_id = match &self {
            Self::Internal(err) => {
                let id = ErrorId::new();
                tracing::error!(error_id = %id.0, error = ?err, "internal error");
                Some(id)
            }
            _ => None,
        };
        let retry_after_secs = match &self {
            Self::TooManyAttempts { retry_after_secs } | Self::Cooldown { retry_after_secs } => {
                Some(*retry_after_secs)
            }
            _ => None,
        };
        let mut body = ApiErrorBody {
            error: code.to_owned(),
            message,
            field,
            retry_after_secs,
            ..ApiErrorBody::default()
        };
        match self {
            Self::AlreadyPicked { by } => body.picked_by = Some(by),
            Self::InvalidTransition { allowed, .. } | Self::InvalidPaymentMove { allowed, .. } => {
                body.allowed = Some(allowed)
            }
            Self::DuplicatePhone { duplicates } => body.duplicates = Some(duplicates),
            _ => {}
        }
        let mut response = (status, Json(body)).into_response();
        if let Some(secs) = retry_after_secs
            && let Ok(value) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if let Some(id) = error_id {
            if let Ok(value) = HeaderValue::from_str(&id.0) {
                response.headers_mut().insert("x-error-id", value);
            }
            response.extensions_mut().insert(id);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_field_is_found_in_driver_messages() {
        assert_eq!(
            unique_field("UNIQUE constraint failed: users.username").as_deref(),
            Some("username")
        );
    }
}
