//! Every Vietnamese string the user sees, kept in one place so wording stays consistent.
//! Each screen's strings sit in `text/`, re-exported here so every caller still
//! writes `text::NAME`.

mod admin;
mod attachments;
mod audit;
mod contact_detail;
mod contacts;
mod coupons;
mod deals;
mod employees;
mod imports;
mod live;
mod notifications;
mod products;
mod push;
mod reports;
mod roles;
mod service_types;
mod teams;
mod two_factor;
mod zalo;

pub use admin::*;
pub use attachments::*;
pub use audit::*;
pub use contact_detail::*;
pub use contacts::*;
pub use coupons::*;
pub use deals::*;
pub use employees::*;
pub use imports::*;
pub use live::*;
pub use notifications::*;
pub use products::*;
pub use push::*;
pub use reports::*;
pub use roles::*;
pub use service_types::*;
pub use teams::*;
pub use two_factor::*;
pub use zalo::*;

pub const APP_NAME: &str = "AnKhangCRM";
pub const LOADING: &str = "Đang tải…";
pub const NETWORK_ERROR: &str = "Không kết nối được máy chủ";
pub const SERVER_ERROR: &str = "Máy chủ gặp sự cố, vui lòng thử lại sau";
pub const BAD_RESPONSE: &str = "Máy chủ trả về dữ liệu không hợp lệ";
pub const RETRY: &str = "Thử lại";
pub const UNKNOWN: &str = "Không rõ";
pub const NOT_SET: &str = "Chưa cập nhật";

pub fn retry_after(secs: u64) -> String {
    format!("Vui lòng thử lại sau {secs} giây.")
}

// Login
pub const LOGIN_TITLE: &str = "Đăng nhập";
pub const LOGIN_INTRO: &str = "Hệ thống quản lý khách hàng An Khang";
pub const USERNAME_LABEL: &str = "Tên đăng nhập";
pub const PASSWORD_LABEL: &str = "Mật khẩu";
pub const REMEMBER_ME: &str = "Ghi nhớ đăng nhập (30 ngày)";
pub const LOGIN_SUBMIT: &str = "Đăng nhập";
pub const LOGIN_BUSY: &str = "Đang đăng nhập…";
pub const USERNAME_REQUIRED: &str = "Vui lòng nhập tên đăng nhập";
pub const PASSWORD_REQUIRED: &str = "Vui lòng nhập mật khẩu";
pub const FORGOT_LINK: &str = "Quên mật khẩu?";

// Forgot password
pub const FORGOT_TITLE: &str = "Quên mật khẩu";
pub const FORGOT_INTRO: &str =
    "Nhập tên đăng nhập hoặc email của bạn, chúng tôi sẽ gửi hướng dẫn đặt lại mật khẩu.";
pub const FORGOT_LOGIN_LABEL: &str = "Tên đăng nhập hoặc email";
pub const FORGOT_LOGIN_REQUIRED: &str = "Vui lòng nhập tên đăng nhập hoặc email";
pub const FORGOT_SUBMIT: &str = "Gửi hướng dẫn";
pub const SENDING: &str = "Đang gửi…";
pub const BACK_TO_LOGIN: &str = "Quay lại đăng nhập";

// Reset password
pub const RESET_TITLE: &str = "Đặt lại mật khẩu";
pub const RESET_INTRO: &str = "Chọn mật khẩu mới cho tài khoản của bạn.";
pub const RESET_MISSING_TOKEN: &str =
    "Liên kết đặt lại mật khẩu không hợp lệ. Vui lòng yêu cầu liên kết mới.";
pub const REQUEST_NEW_LINK: &str = "Yêu cầu liên kết mới";
pub const GO_TO_LOGIN: &str = "Đến trang đăng nhập";
pub const NEW_PASSWORD_LABEL: &str = "Mật khẩu mới";
pub const CONFIRM_PASSWORD_LABEL: &str = "Xác nhận mật khẩu mới";
pub const PASSWORD_HINT: &str = "Ít nhất 8 ký tự, gồm cả chữ và số.";
pub const PASSWORD_MISMATCH: &str = "Mật khẩu xác nhận không khớp";
pub const PASSWORD_POLICY: &str = "Mật khẩu phải có ít nhất 8 ký tự, gồm chữ và số";
pub const RESET_SUBMIT: &str = "Đặt lại mật khẩu";
pub const SAVING: &str = "Đang lưu…";

// Signed-in shell
pub const MENU: &str = "Menu";
pub const MAIN_NAV: &str = "Điều hướng chính";
pub const LOGOUT: &str = "Đăng xuất";
pub const LOGOUT_BUSY: &str = "Đang đăng xuất…";
pub const NAV_HOME: &str = "Tổng quan";
pub const NAV_PROFILE: &str = "Hồ sơ cá nhân";
pub const NAV_API_DOCS: &str = "Tài liệu API";
pub const NAV_EMPLOYEES: &str = "Nhân viên";
pub const NAV_TEAMS: &str = "Nhóm";
pub const NAV_ROLES: &str = "Vai trò & phân quyền";
pub const NAV_CONTACTS: &str = "Khách hàng";
pub const NAV_CARE: &str = "Hàng đợi CSKH";
pub const NAV_SERVICE_TYPES: &str = "Loại dịch vụ";
pub const NAV_DEALS: &str = "Hợp đồng";
pub const NAV_PRODUCTS: &str = "Sản phẩm";
pub const NAV_COUPONS: &str = "Mã giảm giá";
pub const NAV_AUDIT: &str = "Nhật ký hoạt động";

// Home
pub const HOME_TITLE: &str = "Tổng quan";

pub fn greeting(full_name: &str) -> String {
    format!("Xin chào, {full_name}")
}

pub const ROLES_TITLE: &str = "Vai trò của bạn";
pub const NO_ROLES: &str = "Bạn chưa được gán vai trò nào.";
pub const PERMISSIONS_TITLE: &str = "Quyền hạn";
pub const NO_PERMISSIONS: &str = "Bạn chưa có quyền nào.";
pub const CURRENT_SESSION_TITLE: &str = "Phiên đăng nhập này";
pub const SESSION_NOT_FOUND: &str = "Không tìm thấy thông tin phiên đăng nhập này.";

/// Vietnamese name of a permission module (the code's prefix before the dot).
pub fn module_label(prefix: &str) -> Option<&'static str> {
    Some(match prefix {
        "contacts" => "Khách hàng",
        "deals" => "Hợp đồng",
        "products" => "Sản phẩm",
        "coupons" => "Mã giảm giá",
        "teams" => "Nhóm",
        "users" => "Nhân viên",
        "roles" => "Vai trò",
        "reports" => "Báo cáo",
        "logs" => "Nhật ký",
        "notifications" => "Thông báo",
        "zalo" => "Zalo",
        "service_types" => "Loại dịch vụ",
        "channels" => "Kênh kết nối",
        "data" => "Dữ liệu",
        _ => return None,
    })
}

// Sessions
pub const DEVICE: &str = "Thiết bị";
pub const IP_ADDRESS: &str = "Địa chỉ IP";
pub const SIGNED_IN_AT: &str = "Đăng nhập lúc";
pub const LAST_SEEN: &str = "Hoạt động gần nhất";
pub const EXPIRES_AT: &str = "Hết hạn";
pub const SESSION_STATUS: &str = "Trạng thái";
pub const CURRENT_SESSION: &str = "Phiên hiện tại";
pub const REVOKE_SESSION: &str = "Đăng xuất thiết bị này";
pub const REVOKING: &str = "Đang đăng xuất…";
pub const NO_SESSIONS: &str = "Không có phiên đăng nhập nào.";

pub fn browser_on_os(browser: &str, os: &str) -> String {
    format!("{browser} trên {os}")
}

// Profile
pub const PROFILE_TITLE: &str = "Hồ sơ cá nhân";
pub const ACCOUNT_TITLE: &str = "Thông tin tài khoản";
pub const FULL_NAME: &str = "Họ và tên";
pub const EMAIL: &str = "Email";
pub const ROLES: &str = "Vai trò";
pub const SESSIONS_TITLE: &str = "Phiên đăng nhập";
pub const CHANGE_PASSWORD_TITLE: &str = "Đổi mật khẩu";
pub const CURRENT_PASSWORD_LABEL: &str = "Mật khẩu hiện tại";
pub const CURRENT_PASSWORD_REQUIRED: &str = "Vui lòng nhập mật khẩu hiện tại";
pub const CHANGE_PASSWORD_NOTE: &str =
    "Sau khi đổi mật khẩu, các phiên đăng nhập trên thiết bị khác sẽ bị đăng xuất.";
pub const CHANGE_PASSWORD_SUBMIT: &str = "Đổi mật khẩu";

// Not found
pub const NOT_FOUND_TITLE: &str = "Không tìm thấy trang";
pub const NOT_FOUND_BODY: &str = "Trang bạn tìm không tồn tại hoặc đã được di chuyển.";
pub const BACK_HOME: &str = "Về trang Tổng quan";
