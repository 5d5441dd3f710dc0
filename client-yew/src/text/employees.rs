//! Employee list, form and detail.

pub const EMPLOYEES_TITLE: &str = "Nhân viên";
pub const EMPLOYEE_NEW: &str = "Thêm nhân viên";
pub const EMPLOYEE_SEARCH: &str = "Tìm theo tên, tên đăng nhập hoặc email";
pub const FILTER_TEAM: &str = "Nhóm";
pub const FILTER_ROLE: &str = "Vai trò";
pub const ALL_TEAMS: &str = "Tất cả nhóm";
pub const ALL_ROLES: &str = "Tất cả vai trò";
pub const NO_EMPLOYEES: &str = "Không có nhân viên nào phù hợp.";
pub const PHONE: &str = "Điện thoại";
pub const TEAM: &str = "Nhóm";
pub const POSITION: &str = "Chức vụ";
pub const CREATED_AT: &str = "Ngày tạo";

pub fn employee_total(total: u64) -> String {
    format!("{total} nhân viên")
}

// Form
pub const EMPLOYEE_NEW_TITLE: &str = "Thêm nhân viên";
pub const EMPLOYEE_EDIT_TITLE: &str = "Sửa thông tin nhân viên";
pub const USERNAME_IMMUTABLE: &str = "Tên đăng nhập không thể thay đổi";
pub const PASSWORD_POLICY_HINT: &str = "Ít nhất 8 ký tự, có chữ và số.";
pub const NO_TEAM: &str = "— Không thuộc nhóm —";
pub const ROLES_HINT: &str = "Chọn ít nhất một vai trò.";
pub const ROLES_REQUIRED: &str = "Vui lòng chọn ít nhất một vai trò";
pub const FULL_NAME_REQUIRED: &str = "Vui lòng nhập họ và tên";
pub const EMPLOYEE_CREATE_SUBMIT: &str = "Tạo nhân viên";
pub const BACK_TO_EMPLOYEES: &str = "Về danh sách nhân viên";

// Detail
pub const EMPLOYEE_INFO: &str = "Thông tin nhân viên";
pub const LOCK_ACCOUNT: &str = "Khoá tài khoản";
pub const UNLOCK_ACCOUNT: &str = "Mở khoá";
pub const LOCK_TITLE: &str = "Khoá tài khoản?";
pub const UNLOCK_TITLE: &str = "Mở khoá tài khoản?";

pub fn lock_question(name: &str) -> String {
    format!(
        "{name} sẽ bị đăng xuất khỏi mọi thiết bị và không thể đăng nhập cho đến khi được mở khoá."
    )
}

pub fn unlock_question(name: &str) -> String {
    format!("{name} sẽ có thể đăng nhập trở lại.")
}

pub const ADMIN_PASSWORD_TITLE: &str = "Đặt mật khẩu mới";
pub const ADMIN_PASSWORD_NOTE: &str =
    "Nhân viên sẽ bị đăng xuất khỏi mọi thiết bị và đăng nhập lại bằng mật khẩu mới.";
pub const ADMIN_PASSWORD_SUBMIT: &str = "Đặt mật khẩu mới";

// Permission overrides
pub const OVERRIDES_TITLE: &str = "Quyền riêng";
pub const OVERRIDES_INTRO: &str = "Cho phép hoặc chặn từng quyền cho riêng nhân viên này, bất kể vai trò. Chặn luôn được ưu tiên.";
pub const OVERRIDE_INHERIT: &str = "Theo vai trò";
pub const OVERRIDE_GRANT: &str = "Cho phép";
pub const OVERRIDE_DENY: &str = "Chặn";
pub const OVERRIDES_SAVE: &str = "Lưu quyền riêng";
pub const OVERRIDES_SAVED: &str = "Đã lưu quyền riêng.";
pub const EFFECTIVE_PERMISSIONS: &str = "Quyền hiệu lực";
