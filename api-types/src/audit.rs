use serde::{Deserialize, Serialize};

/// One audit-trail entry as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntryDto {
    pub id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub module: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub before: Option<serde_json::Value>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub after: Option<serde_json::Value>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEntryDto>,
    /// Matching entries, counted up to [`AUDIT_TOTAL_CAP`].
    pub total: u64,
    /// False when more than [`AUDIT_TOTAL_CAP`] entries match: `total` is then the cap.
    #[serde(default = "exact")]
    pub total_exact: bool,
}

fn exact() -> bool {
    true
}

/// Beyond this many matches the audit search stops counting: a narrower filter helps
/// the reader more than an exact figure over a million entries.
pub const AUDIT_TOTAL_CAP: u64 = 10_000;

/// Every action the audit trail records, with its Vietnamese label, by module.
pub const AUDIT_ACTIONS: &[(&str, &str)] = &[
    ("auth.login", "Đăng nhập"),
    ("auth.login_failed", "Đăng nhập thất bại"),
    ("auth.logout", "Đăng xuất"),
    ("auth.password_changed", "Đổi mật khẩu"),
    ("auth.password_reset_requested", "Yêu cầu đặt lại mật khẩu"),
    ("auth.password_reset", "Đặt lại mật khẩu"),
    ("auth.session_revoked", "Thu hồi phiên đăng nhập"),
    ("auth.two_factor_enabled", "Bật xác thực hai lớp"),
    ("auth.two_factor_disabled", "Tắt xác thực hai lớp"),
    ("auth.two_factor_failed", "Mã xác thực hai lớp sai"),
    ("auth.recovery_codes_regenerated", "Tạo lại mã khôi phục"),
    ("auth.recovery_code_used", "Dùng mã khôi phục"),
    ("contacts.created", "Tạo khách hàng"),
    ("contacts.picked", "Nhận khách hàng"),
    ("contacts.status_changed", "Đổi trạng thái"),
    ("contacts.reassigned", "Chuyển người phụ trách"),
    ("contacts.updated", "Sửa thông tin"),
    ("contacts.interaction_added", "Thêm tương tác"),
    ("contacts.cooldown_reset", "Cho phép nhận ngay"),
    ("contacts.exported", "Xuất danh sách khách hàng"),
    ("contacts.anonymized", "Ẩn danh hoá khách hàng"),
    ("contacts.data_exported", "Xuất dữ liệu của một khách hàng"),
    ("contacts.imported", "Nhập khách hàng từ tệp"),
    (
        "contacts.import_finished",
        "Hoàn tất nhập dữ liệu khách hàng",
    ),
    ("data.tenant_exported", "Xuất toàn bộ dữ liệu"),
    ("data.retention_run", "Chạy chính sách lưu trữ dữ liệu"),
    ("deals.created", "Chốt hợp đồng"),
    ("deals.updated", "Sửa hợp đồng"),
    ("deals.payment_changed", "Đổi trạng thái thanh toán"),
    ("deals.exported", "Xuất danh sách hợp đồng"),
    ("products.created", "Thêm sản phẩm"),
    ("products.updated", "Sửa sản phẩm"),
    ("products.deleted", "Xoá sản phẩm"),
    ("coupons.created", "Tạo mã giảm giá"),
    ("coupons.updated", "Sửa mã giảm giá"),
    ("coupons.deleted", "Xoá mã giảm giá"),
    ("users.created", "Tạo nhân viên"),
    ("users.updated", "Sửa nhân viên"),
    ("users.locked", "Khoá tài khoản"),
    ("users.unlocked", "Mở khoá tài khoản"),
    ("users.overrides_changed", "Đổi quyền riêng"),
    ("users.password_reset_by_admin", "Quản trị đặt lại mật khẩu"),
    ("users.admin_reset", "Đặt lại Super Admin"),
    (
        "users.two_factor_reset",
        "Quản trị đặt lại xác thực hai lớp",
    ),
    ("teams.created", "Tạo nhóm"),
    ("teams.updated", "Sửa nhóm"),
    ("teams.deleted", "Xoá nhóm"),
    ("teams.member_added", "Thêm thành viên nhóm"),
    ("teams.member_removed", "Bỏ thành viên nhóm"),
    ("roles.created", "Tạo vai trò"),
    ("roles.updated", "Sửa vai trò"),
    ("roles.cloned", "Nhân bản vai trò"),
    ("roles.deleted", "Xoá vai trò"),
    ("permissions.changed", "Đổi phân quyền"),
    ("service_types.created", "Thêm loại dịch vụ"),
    ("service_types.updated", "Sửa loại dịch vụ"),
    ("reports.exported", "Xuất báo cáo"),
    ("notifications.rule_created", "Tạo quy tắc thông báo"),
    ("notifications.rule_updated", "Sửa quy tắc thông báo"),
    ("notifications.rule_deleted", "Xoá quy tắc thông báo"),
    ("notifications.delivery_retried", "Gửi lại thông báo"),
    ("system.master_key_rotated", "Đổi khoá chủ"),
    ("system.backup_created", "Sao lưu dữ liệu"),
    ("attachments.uploaded", "Tải lên tệp đính kèm"),
    ("attachments.downloaded", "Tải xuống tệp đính kèm"),
    ("attachments.deleted", "Xoá tệp đính kèm"),
    ("inbound.message_received", "Nhận tin nhắn Zalo / Facebook"),
];

/// The modules actions belong to (the part before the dot), with their labels.
pub const AUDIT_MODULES: &[(&str, &str)] = &[
    ("auth", "Đăng nhập"),
    ("contacts", "Khách hàng"),
    ("deals", "Hợp đồng"),
    ("products", "Sản phẩm"),
    ("coupons", "Mã giảm giá"),
    ("users", "Nhân viên"),
    ("teams", "Nhóm"),
    ("roles", "Vai trò"),
    ("permissions", "Phân quyền"),
    ("service_types", "Loại dịch vụ"),
    ("reports", "Báo cáo"),
    ("notifications", "Thông báo"),
    ("data", "Dữ liệu"),
    ("system", "Hệ thống"),
    ("attachments", "Tệp đính kèm"),
    ("inbound", "Tin nhắn đến"),
];

/// An action's Vietnamese label, if it is one we know.
pub fn audit_action_label(action: &str) -> Option<&'static str> {
    AUDIT_ACTIONS
        .iter()
        .find(|(code, _)| *code == action)
        .map(|(_, label)| *label)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditVerifyResponse {
    pub ok: bool,
    pub entries: u64,
    /// Older entries moved to archive files by the retention policy (checked by
    /// `ankhang audit verify`); the database's chain continues from the newest one.
    #[serde(default)]
    pub archived: u64,
    /// How long the walk over the whole chain took.
    #[serde(default)]
    pub millis: u64,
    /// The first entry whose hash or link does not match, when `ok` is false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_bad_id: Option<i64>,
}
