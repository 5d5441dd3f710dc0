//! Deals: list with totals, the closing form, detail and payment status.

use api_types::{PAYMENT_STATUSES, label};

// List
pub const DEALS_TITLE: &str = "Hợp đồng";
pub const DEAL_SEARCH: &str = "Mã HĐ, mã KH, số điện thoại hoặc tên khách";
pub const FILTER_PAYMENT: &str = "Thanh toán";
pub const FILTER_CLOSER: &str = "Sale";
pub const ALL_PAYMENTS: &str = "Tất cả trạng thái";
pub const ALL_CLOSERS: &str = "Tất cả Sale";
pub const NO_DEALS: &str = "Không có hợp đồng nào phù hợp.";
pub const DEAL_CODE: &str = "Mã HĐ";
pub const CUSTOMER: &str = "Khách hàng";
pub const PRODUCTS: &str = "Sản phẩm";
pub const CLOSER: &str = "Sale";
pub const CLOSED_ON: &str = "Ngày chốt";
pub const PAYMENT: &str = "Thanh toán";
pub const TOTAL: &str = "Tổng tiền";
pub const SUM_ROW: &str = "Tổng cộng";

pub fn deal_total(count: u64) -> String {
    format!("{count} hợp đồng")
}

pub fn deal_arrived(code: &str, contact_code: &str, closer: &str, total: &str) -> String {
    format!("Hợp đồng mới {code} ({contact_code}) do {closer} chốt: {total}")
}

pub fn sum_discount(amount: &str) -> String {
    format!("Đã giảm {amount}")
}

/// A payment status's Vietnamese name; an unknown code shows as it came.
pub fn payment_label(code: &str) -> &str {
    Some(label(PAYMENT_STATUSES, code))
        .filter(|name| !name.is_empty())
        .unwrap_or(code)
}

// Form
pub const DEAL_NEW_TITLE: &str = "Chốt hợp đồng";
pub const DEAL_EDIT_TITLE: &str = "Sửa hợp đồng";
pub const DEAL_CREATE_SUBMIT: &str = "Chốt hợp đồng";
pub const DEAL_LINES: &str = "Sản phẩm trong hợp đồng";
pub const PRODUCT: &str = "Sản phẩm";
pub const CHOOSE_PRODUCT: &str = "— Chọn sản phẩm —";
pub const QUANTITY: &str = "Số lượng";
pub const UNIT_PRICE: &str = "Đơn giá (₫)";
pub const LINE_CLOSED_AT: &str = "Thời điểm chốt";
pub const LINE_TOTAL: &str = "Thành tiền";
pub const ADD_LINE: &str = "Thêm sản phẩm";
pub const REMOVE_LINE: &str = "Bỏ dòng này";
pub const COUPON: &str = "Mã giảm giá";
pub const NO_COUPON: &str = "Không dùng mã";
pub const DEAL_CLOSED_ON: &str = "Ngày ký hợp đồng";
pub const PAYMENT_STATUS: &str = "Trạng thái thanh toán";
pub const SUBTOTAL: &str = "Tạm tính";
pub const DISCOUNT: &str = "Giảm giá";
pub const GRAND_TOTAL: &str = "Tổng thanh toán";
pub const TOTAL_TOO_LARGE: &str = "Số tiền vượt quá giới hạn cho phép";
pub const PENDING_LINES: &str = "Dòng chưa đủ sản phẩm, số lượng và đơn giá chưa được tính.";
pub const DEAL_LINES_REQUIRED: &str = "Vui lòng thêm ít nhất một sản phẩm";
pub const PRODUCT_REQUIRED: &str = "Vui lòng chọn sản phẩm";
pub const QUANTITY_INVALID: &str = "Số lượng phải là số nguyên từ 1 đến 10.000";
pub const AMOUNT_INVALID: &str = "Vui lòng nhập số tiền hợp lệ, ví dụ 1.500.000";
pub const DEAL_DATE_REQUIRED: &str = "Vui lòng chọn ngày ký hợp đồng";
pub const CANNOT_CLOSE: &str = "Bạn không thể chốt hợp đồng cho khách hàng này lúc này: chỉ người đang phụ trách khách hàng ở trạng thái Đang tư vấn mới chốt được.";
pub const CONTACT_MISSING: &str =
    "Thiếu khách hàng cần chốt hợp đồng. Hãy mở khách hàng rồi bấm “Chốt hợp đồng”.";
pub const DEAL_NOT_EDITABLE: &str = "Bạn không thể sửa hợp đồng này.";
pub const STOPPED_MARK: &str = "ngừng kinh doanh";
pub const BACK_TO_CONTACT: &str = "Về khách hàng";

pub fn floor_hint(floor: &str) -> String {
    format!("Giá sàn: {floor}")
}

pub fn below_floor(floor: &str) -> String {
    format!("Thấp hơn giá sàn {floor}")
}

pub fn coupon_choice(code: &str, value: &str) -> String {
    format!("{code} (−{value})")
}

pub fn line_number(number: usize) -> String {
    format!("Dòng {number}")
}

// Detail
pub const BACK_TO_DEALS: &str = "Về danh sách hợp đồng";
pub const DEAL_INFO: &str = "Thông tin hợp đồng";
pub const VIEW_DEAL: &str = "Xem hợp đồng";
pub const CLOSE_DEAL: &str = "Chốt hợp đồng";
pub const NO_LINES: &str = "Hợp đồng chưa có sản phẩm.";
pub const PAYMENT_TITLE: &str = "Thanh toán";
pub const PAYMENT_CURRENT: &str = "Hiện tại";
pub const PAYMENT_NOTE: &str = "Ghi chú thanh toán (không bắt buộc)";
pub const PAYMENT_HISTORY: &str = "Lịch sử thanh toán";
pub const NO_PAYMENT_MOVES: &str = "Bạn không thể đổi trạng thái thanh toán lúc này.";
pub const NO_PAYMENTS: &str = "Chưa có thay đổi thanh toán.";
pub const PAYMENT_START: &str = "Khởi tạo";
pub const DEAL_CREATED_AT: &str = "Tạo lúc";

pub fn payment_to(status: &str) -> String {
    format!("Chuyển sang: {}", payment_label(status))
}

pub fn payment_moved(code: &str, status: &str) -> String {
    format!("Đã chuyển {code} sang {}", payment_label(status))
}
