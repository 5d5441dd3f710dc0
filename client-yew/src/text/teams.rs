//! Team list, form and detail.

pub const TEAMS_TITLE: &str = "Nhóm";
pub const TEAM_NEW: &str = "Thêm nhóm";
pub const NO_TEAMS: &str = "Chưa có nhóm nào.";
pub const TEAM_NAME: &str = "Tên nhóm";
pub const REGION: &str = "Khu vực";
pub const LEADER: &str = "Trưởng nhóm";
pub const MEMBER_COUNT: &str = "Số thành viên";
pub const NO_LEADER: &str = "— Chưa có trưởng nhóm —";
pub const LEADER_SEARCH: &str = "Tìm trưởng nhóm";
pub const LEADER_SEARCH_HINT: &str = "Gõ tên hoặc tên đăng nhập để thu hẹp danh sách.";
pub const TEAM_NAME_REQUIRED: &str = "Vui lòng nhập tên nhóm";

// Form
pub const TEAM_NEW_TITLE: &str = "Thêm nhóm";
pub const TEAM_EDIT_TITLE: &str = "Sửa nhóm";
pub const TEAM_CREATE_SUBMIT: &str = "Tạo nhóm";
pub const BACK_TO_TEAMS: &str = "Về danh sách nhóm";

// Detail
pub const TEAM_INFO: &str = "Thông tin nhóm";
pub const MEMBERS_TITLE: &str = "Thành viên";
pub const NO_MEMBERS: &str = "Nhóm chưa có thành viên.";
pub const REMOVE_MEMBER: &str = "Xoá khỏi nhóm";
pub const ADD_MEMBER_TITLE: &str = "Thêm thành viên";
pub const MEMBER_SEARCH: &str = "Tìm nhân viên";
pub const MEMBER_SEARCH_HINT: &str = "Nhân viên đang ở nhóm khác sẽ được chuyển sang nhóm này.";
pub const ADD_MEMBER: &str = "Thêm vào nhóm";
pub const NO_CANDIDATES: &str = "Không tìm thấy nhân viên phù hợp.";
pub const TEAM_DELETE: &str = "Xoá nhóm";
pub const TEAM_DELETE_TITLE: &str = "Xoá nhóm?";

pub fn team_delete_question(name: &str) -> String {
    format!("Nhóm {name} sẽ bị xoá vĩnh viễn. Chỉ xoá được nhóm không còn thành viên.")
}

pub fn current_team(name: &str) -> String {
    format!("Hiện thuộc: {name}")
}
