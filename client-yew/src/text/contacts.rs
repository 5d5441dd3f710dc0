//! Contact list, form, pick and care queue.

use api_types::{STATUSES, label};

pub const CONTACTS_TITLE: &str = "Khách hàng";
pub const CONTACT_NEW: &str = "Thêm khách hàng";
pub const CONTACT_SEARCH: &str = "Mã KH, số điện thoại hoặc tên";
pub const FILTER_SOURCE: &str = "Nguồn";
pub const FILTER_SERVICE_TYPE: &str = "Dịch vụ";
pub const FILTER_ASSIGNEE: &str = "Người nhận";
pub const MINE: &str = "Của tôi";
pub const ALL_SOURCES: &str = "Tất cả nguồn";
pub const ALL_SERVICE_TYPES: &str = "Tất cả dịch vụ";
pub const DATE_FROM: &str = "Từ ngày";
pub const DATE_TO: &str = "Đến ngày";
pub const SORT: &str = "Sắp xếp";
pub const SORT_NEWEST: &str = "Mới nhất";
pub const SORT_OLDEST: &str = "Cũ nhất";
pub const SORT_CODE: &str = "Theo mã";
pub const SORT_STATUS: &str = "Theo trạng thái";
pub const NO_CONTACTS: &str = "Không có khách hàng nào phù hợp.";

pub fn contact_total(total: u64) -> String {
    format!("{total} khách hàng")
}

// Table
pub const CODE: &str = "Mã";
pub const CONTACT_NAME: &str = "Họ tên";
pub const SERVICE: &str = "Dịch vụ";
pub const SOURCE: &str = "Nguồn";
pub const ASSIGNEE: &str = "Người nhận";

/// A contact status's Vietnamese name; an unknown code shows as it came.
pub fn status_label(code: &str) -> &str {
    Some(label(STATUSES, code))
        .filter(|name| !name.is_empty())
        .unwrap_or(code)
}

// Pick
pub const PICK: &str = "Nhận";
pub const PICK_CONTACT: &str = "Nhận khách hàng";
pub const PICKING: &str = "Đang nhận…";
pub const PICK_ALLOWANCE: &str = "Lượt nhận hôm nay";
pub const COOLDOWN_LEAD: &str = "Bạn vừa nhận khách hàng.";
pub const PICK_READY: &str = "Bạn có thể nhận khách hàng ngay.";

pub fn picked(code: &str) -> String {
    format!("Bạn đã nhận khách hàng {code}")
}

pub fn wait_to_pick(clock: &str) -> String {
    format!("Chờ {clock} để nhận tiếp")
}

pub fn pick_usage(code: &str, used: i32, limit: i32) -> String {
    format!("{code} {used}/{limit}")
}

// Care queue
pub const CARE_TITLE: &str = "Hàng đợi CSKH";
pub const CARE_INTRO: &str =
    "Khách hàng Sale tư vấn thất bại và khách hàng đang được chăm sóc lại.";
pub const CARE_QUEUE: &str = "Đang chờ xử lý";
pub const NO_CARE_CONTACTS: &str = "Hàng đợi đang trống.";
pub const CARE_STATUSES: &str = "failed,care_l1,care_l2";

/// A status move as a button: the care queue's moves read as what the agent does.
pub fn move_label(status: &str) -> String {
    match status {
        "care_l1" => "Nhận chăm sóc (CSKH L1)".to_owned(),
        "care_l2" => "Chuyển CSKH L2".to_owned(),
        "closed" => "Đóng hồ sơ".to_owned(),
        "new" => "Trả về danh sách chờ".to_owned(),
        other => move_to(other),
    }
}

pub fn move_to(status: &str) -> String {
    format!("Chuyển sang: {}", status_label(status))
}

pub fn moved(code: &str, status: &str) -> String {
    format!("Đã chuyển {code} sang {}", status_label(status))
}

// Form
pub const CONTACT_NEW_TITLE: &str = "Thêm khách hàng";
pub const CONTACT_EDIT_TITLE: &str = "Sửa thông tin khách hàng";
pub const CONTACT_CREATE_SUBMIT: &str = "Tạo khách hàng";
pub const BACK_TO_CONTACTS: &str = "Về danh sách khách hàng";
pub const CONTACT_FULL_NAME: &str = "Họ tên khách hàng";
pub const NOTE: &str = "Ghi chú";
pub const SERVICE_TYPE: &str = "Loại dịch vụ";
pub const CHOOSE_SERVICE_TYPE: &str = "— Chọn loại dịch vụ —";
pub const CHOOSE_SOURCE: &str = "— Chọn nguồn —";
pub const PHONE_HINT: &str = "Ví dụ: 0912 345 678 hoặc +84 912 345 678";
pub const CONTACT_NAME_REQUIRED: &str = "Vui lòng nhập họ tên khách hàng";
pub const PHONE_REQUIRED: &str = "Vui lòng nhập số điện thoại";
pub const SERVICE_TYPE_REQUIRED: &str = "Vui lòng chọn loại dịch vụ";
pub const SOURCE_REQUIRED: &str = "Vui lòng chọn nguồn khách hàng";
pub const DUPLICATE_LEAD: &str = "Số điện thoại đã có ở khách hàng";
pub const DUPLICATE_HINT: &str = "Hãy xem khách hàng cũ trước khi tạo thêm.";
pub const CREATE_ANYWAY: &str = "Vẫn tạo khách hàng này";
pub const HIDDEN_UNTIL_PICKED: &str = "Ẩn cho đến khi bạn nhận khách";
