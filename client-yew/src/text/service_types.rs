//! Service types (`service_types.manage`).

pub const SERVICE_TYPES_TITLE: &str = "Loại dịch vụ";
pub const SERVICE_TYPES_INTRO: &str =
    "Loại dịch vụ khách hàng quan tâm và số khách mỗi Sale được nhận mỗi ngày theo từng loại.";
pub const SERVICE_TYPE_NEW: &str = "Thêm loại dịch vụ";
pub const SERVICE_TYPE_EDIT: &str = "Sửa loại dịch vụ";
pub const NO_SERVICE_TYPES: &str = "Chưa có loại dịch vụ nào.";
pub const ST_CODE: &str = "Mã";
pub const ST_NAME: &str = "Tên dịch vụ";
pub const ST_LIMIT: &str = "Giới hạn/ngày";
pub const ST_LIMIT_LABEL: &str = "Giới hạn nhận mỗi ngày";
pub const ST_ORDER: &str = "Thứ tự";
pub const ST_VISIBLE: &str = "Hiển thị";
pub const ST_SHOWN: &str = "Hiện";
pub const ST_HIDDEN: &str = "Ẩn";
pub const ST_ACTIVE_LABEL: &str = "Hiển thị khi tạo khách hàng";
pub const ST_CODE_HINT: &str = "Chữ in hoa, không dấu, ví dụ TLDN.";
pub const ST_LIMIT_HINT: &str = "Số khách loại này mỗi Sale được nhận trong một ngày.";
pub const ST_ORDER_HINT: &str = "Số nhỏ đứng trước.";
pub const ST_CODE_REQUIRED: &str = "Vui lòng nhập mã dịch vụ";
pub const ST_NAME_REQUIRED: &str = "Vui lòng nhập tên dịch vụ";
pub const WHOLE_NUMBER_REQUIRED: &str = "Vui lòng nhập số nguyên không âm";
