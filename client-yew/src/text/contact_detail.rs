//! Contact detail: status moves, re-assignment, interactions, history (also a deal's),
//! cooldown reset.

pub const CONTACT_INFO: &str = "Thông tin khách hàng";
pub const CREATED_BY: &str = "Người tạo";
pub const PICKED_AT: &str = "Nhận lúc";

// Status moves
pub const STATUS_TITLE: &str = "Chuyển trạng thái";
pub const STATUS_NOTE: &str = "Ghi chú khi chuyển (không bắt buộc)";
pub const NO_MOVES: &str = "Bạn không thể đổi trạng thái khách hàng này lúc này.";

// Re-assignment
pub const REASSIGN_TITLE: &str = "Chuyển người phụ trách";
pub const REASSIGN_USER: &str = "Giao cho nhân viên";
pub const REASSIGN_SEARCH: &str = "Tìm nhân viên";
pub const CHOOSE_EMPLOYEE: &str = "— Chọn nhân viên —";
pub const REASSIGN_SUBMIT: &str = "Chuyển giao";
pub const REASSIGN_POOL: &str = "Trả về danh sách chờ";
pub const EMPLOYEE_REQUIRED: &str = "Vui lòng chọn nhân viên";
pub const REASSIGN_POOL_ONLY: &str =
    "Bạn không có quyền xem danh sách nhân viên nên chỉ có thể trả khách hàng về danh sách chờ.";

pub fn reassigned(code: &str, name: &str) -> String {
    format!("Đã giao {code} cho {name}")
}

pub fn returned_to_pool(code: &str) -> String {
    format!("Đã trả {code} về danh sách chờ")
}

// Interactions
pub const INTERACTIONS_TITLE: &str = "Lịch sử tương tác";
pub const INTERACTION_KIND: &str = "Hình thức";
pub const INTERACTION_CONTENT: &str = "Nội dung";
pub const INTERACTION_SUBMIT: &str = "Thêm tương tác";
pub const INTERACTION_ADDED: &str = "Đã thêm tương tác.";
pub const NO_INTERACTIONS: &str = "Chưa có tương tác nào.";
pub const INTERACTIONS_HIDDEN: &str = "Nhận khách hàng để xem và ghi lại tương tác.";
pub const CONTENT_REQUIRED: &str = "Vui lòng nhập nội dung";

// History
pub const HISTORY_TITLE: &str = "Lịch sử thay đổi";
pub const NO_HISTORY: &str = "Chưa có thay đổi nào.";
pub const SYSTEM_ACTOR: &str = "Hệ thống";
pub const FIELD_STATUS: &str = "Trạng thái";
pub const FIELD_FULL_NAME: &str = "Họ tên";
pub const FIELD_PHONE: &str = "Điện thoại";
pub const FIELD_EMAIL: &str = "Email";
pub const FIELD_NOTE: &str = "Ghi chú";
pub const FIELD_SERVICE_TYPE: &str = "Dịch vụ";
pub const FIELD_SOURCE: &str = "Nguồn";
pub const FIELD_ASSIGNEE: &str = "Người phụ trách";
pub const FIELD_KIND: &str = "Hình thức";
pub const FIELD_DUPLICATES: &str = "Tạo dù trùng số với";
pub const FIELD_LINES: &str = "Sản phẩm";
pub const FIELD_COUPON: &str = "Mã giảm giá";
pub const FIELD_DISCOUNT: &str = "Giảm giá";
pub const FIELD_TOTAL: &str = "Tổng tiền";
pub const FIELD_PAYMENT: &str = "Thanh toán";
pub const FIELD_CLOSED_ON: &str = "Ngày ký";

// Cooldown reset (employee detail)
pub const COOLDOWN_TITLE: &str = "Nhận khách hàng";
pub const COOLDOWN_NOTE: &str =
    "Bỏ thời gian chờ giữa hai lần nhận khách để nhân viên này nhận khách hàng tiếp ngay.";
pub const COOLDOWN_RESET: &str = "Cho phép nhận ngay";
pub const COOLDOWN_RESET_DONE: &str = "Nhân viên này có thể nhận khách hàng ngay.";

// Anonymize (right to be forgotten)
pub const ANONYMIZE_TITLE: &str = "Ẩn danh hoá khách hàng";
pub const ANONYMIZE_CODE: &str = "Nhập lại mã khách hàng để xác nhận";
pub const ANONYMIZE: &str = "Ẩn danh hoá vĩnh viễn";
pub const ANONYMIZING: &str = "Đang ẩn danh hoá…";
pub const ALREADY_ANONYMIZED: &str =
    "Khách hàng này đã được ẩn danh hoá: dữ liệu cá nhân không còn đọc được.";

pub fn anonymize_warning(code: &str) -> String {
    format!(
        "Xoá vĩnh viễn họ tên, số điện thoại, email, ghi chú và nội dung tương tác của {code}, \
         kể cả các bản sao trong nhật ký và bản sao lưu. Hợp đồng và số tiền được giữ lại. \
         Không thể hoàn tác."
    )
}

pub fn anonymized(code: &str) -> String {
    format!("Đã ẩn danh hoá khách hàng {code}: dữ liệu cá nhân không còn đọc được ở bất kỳ đâu.")
}
