//! Roles and the permission matrix.

pub const ROLES_PAGE_TITLE: &str = "Vai trò & phân quyền";
pub const ROLES_INTRO: &str =
    "Đánh dấu quyền cho từng vai trò rồi bấm Lưu thay đổi. Ô được tô màu là ô đã thay đổi.";
pub const PERMISSION: &str = "Quyền";
pub const SYSTEM_ROLE: &str = "(hệ thống)";
pub const ROLE_NEW: &str = "Thêm vai trò";
pub const ROLE_NAME: &str = "Tên vai trò";
pub const ROLE_NAME_REQUIRED: &str = "Vui lòng nhập tên vai trò";
pub const CLONE_ROLE: &str = "Nhân bản";
pub const RENAME_ROLE: &str = "Đổi tên";
pub const CLONE_ROLE_TITLE: &str = "Nhân bản vai trò";
pub const RENAME_ROLE_TITLE: &str = "Đổi tên vai trò";
pub const NEW_ROLE_TITLE: &str = "Thêm vai trò";
pub const NEW_ROLE_HINT: &str =
    "Vai trò mới chưa có quyền nào; đánh dấu quyền trong bảng sau khi tạo.";
pub const CREATE: &str = "Tạo";
pub const DELETE_ROLE_TITLE: &str = "Xoá vai trò?";

pub fn clone_name(name: &str) -> String {
    format!("{name} (bản sao)")
}

pub fn user_count(count: u64) -> String {
    format!("{count} người dùng")
}

pub fn delete_role_question(name: &str) -> String {
    format!("Vai trò {name} sẽ bị xoá vĩnh viễn. Chỉ xoá được vai trò không còn ai giữ.")
}

pub fn roles_saved(count: usize) -> String {
    format!("Đã lưu thay đổi cho {count} vai trò.")
}

pub fn permission_cell(role: &str, permission: &str) -> String {
    format!("{role}: {permission}")
}
