//! Coupons (`coupons.manage`).

pub const COUPONS_TITLE: &str = "Mã giảm giá";
pub const COUPONS_INTRO: &str = "Mã giảm giá và những nhân viên được dùng mã khi chốt hợp đồng.";
pub const COUPON_NEW: &str = "Thêm mã giảm giá";
pub const COUPON_NEW_TITLE: &str = "Thêm mã giảm giá";
pub const COUPON_EDIT_TITLE: &str = "Sửa mã giảm giá";
pub const BACK_TO_COUPONS: &str = "Về danh sách mã giảm giá";
pub const NO_COUPONS: &str = "Chưa có mã giảm giá nào.";
pub const COUPON_CODE: &str = "Mã";
pub const COUPON_VALUE: &str = "Mức giảm";
pub const COUPON_KIND: &str = "Loại giảm giá";
pub const COUPON_EXPIRES: &str = "Hạn dùng";
pub const COUPON_EXPIRES_LABEL: &str = "Dùng đến hết ngày";
pub const COUPON_USES: &str = "Đã dùng";
pub const COUPON_MAX_USES: &str = "Số lần dùng tối đa";
pub const COUPON_MAX_USES_HINT: &str = "Để trống: không giới hạn.";
pub const COUPON_ACTIVE_LABEL: &str = "Đang bật (tắt để tạm ngưng mã)";
pub const COUPON_ASSIGNEES: &str = "Nhân viên được dùng";
pub const COUPON_CODE_HINT: &str = "Chữ in hoa và số, ví dụ SALE2026.";
pub const PERCENT_HINT: &str = "Phần trăm trên tạm tính, từ 1 đến 100.";
pub const FIXED_HINT: &str = "Số tiền trừ vào tạm tính, ví dụ 500.000.";
pub const UNLIMITED: &str = "không giới hạn";
pub const COUPON_USABLE: &str = "Dùng được";
pub const COUPON_OFF: &str = "Đã tắt";
pub const COUPON_EXPIRED: &str = "Hết hạn hoặc hết lượt";
pub const NO_ASSIGNEES: &str = "Chưa giao cho ai";
pub const ASSIGNEE_SEARCH: &str = "Tìm nhân viên";
pub const ASSIGNEE_SEARCH_HINT: &str = "Gõ tên, tên đăng nhập hoặc nhóm để thu hẹp danh sách.";
pub const NO_ASSIGNABLE: &str = "Không có nhân viên phù hợp.";
pub const COUPON_CODE_REQUIRED: &str = "Vui lòng nhập mã giảm giá";
pub const PERCENT_INVALID: &str = "Phần trăm phải là số nguyên từ 1 đến 100";
pub const FIXED_INVALID: &str = "Vui lòng nhập số tiền lớn hơn 0, ví dụ 500.000";
pub const EXPIRY_REQUIRED: &str = "Vui lòng chọn hạn dùng";
pub const ASSIGNEES_REQUIRED: &str = "Vui lòng gán mã giảm giá cho ít nhất một nhân viên";
pub const MAX_USES_INVALID: &str = "Số lần dùng phải là số nguyên dương hoặc để trống";
pub const COUPON_CREATE_SUBMIT: &str = "Tạo mã giảm giá";
pub const COUPON_DELETE_TITLE: &str = "Xoá mã giảm giá?";

pub fn coupon_uses(used: i32, max: Option<i32>) -> String {
    match max {
        Some(max) => format!("{used}/{max}"),
        None => format!("{used} ({UNLIMITED})"),
    }
}

pub fn assignees_chosen(count: usize) -> String {
    format!("Đã chọn {count} nhân viên")
}

pub fn coupon_delete_question(code: &str) -> String {
    format!("Xoá mã giảm giá {code}? Không thể hoàn tác.")
}

pub fn coupon_deleted(code: &str) -> String {
    format!("Đã xoá mã giảm giá {code}.")
}
