//! Wording shared by the admin screens (employees, teams, roles) and the live connection.

// Signed out by the server over the live connection (close codes 4001 / 4003).
pub const SESSION_ENDED: &str = "Phiên đăng nhập đã kết thúc. Vui lòng đăng nhập lại.";
pub const ACCOUNT_LOCKED: &str = "Tài khoản của bạn đã bị khoá.";

// Guarded pages
pub const FORBIDDEN_TITLE: &str = "Không có quyền truy cập";
pub const FORBIDDEN_BODY: &str = "Bạn không có quyền truy cập trang này";

// Actions
pub const CANCEL: &str = "Huỷ";
pub const BACK: &str = "Quay lại";
pub const EDIT: &str = "Sửa";
pub const DELETE: &str = "Xoá";
pub const SAVE_CHANGES: &str = "Lưu thay đổi";
pub const WORKING: &str = "Đang xử lý…";
/// Stands in a table cell for a value that is not set.
pub const DASH: &str = "—";
pub const SEARCH: &str = "Tìm kiếm";
pub const ACTIONS: &str = "Thao tác";
pub const DESCRIPTION: &str = "Mô tả";

// Pagination
pub const PREV_PAGE: &str = "Trang trước";
pub const NEXT_PAGE: &str = "Trang sau";
pub const PAGINATION: &str = "Phân trang";

pub fn page_of(page: u64, pages: u64) -> String {
    format!("Trang {page}/{pages}")
}

// Employee status
pub const STATUS: &str = "Trạng thái";
pub const STATUS_ACTIVE: &str = "Đang hoạt động";
pub const STATUS_LOCKED: &str = "Đã khoá";
pub const ALL: &str = "Tất cả";
