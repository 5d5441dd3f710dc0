//! Products (`products.manage`).

use api_types::{PRODUCT_STATUSES, label};

pub const PRODUCTS_TITLE: &str = "Sản phẩm";
pub const PRODUCTS_INTRO: &str =
    "Dịch vụ An Khang bán cho khách hàng, với giá niêm yết và giá sàn Sale được phép bán.";
pub const PRODUCT_NEW: &str = "Thêm sản phẩm";
pub const PRODUCT_EDIT: &str = "Sửa sản phẩm";
pub const NO_PRODUCTS: &str = "Chưa có sản phẩm nào.";
pub const ALL_PRODUCT_STATUSES: &str = "Tất cả trạng thái";
pub const PRODUCT_CODE: &str = "Mã sản phẩm";
pub const PRODUCT_NAME: &str = "Tên sản phẩm";
pub const BASE_PRICE: &str = "Giá niêm yết (₫)";
pub const FLOOR_PRICE: &str = "Giá sàn (₫)";
pub const BASE_PRICE_SHORT: &str = "Giá niêm yết";
pub const FLOOR_PRICE_SHORT: &str = "Giá sàn";
pub const WORKFLOW_TYPE: &str = "Quy trình thực hiện";
pub const DEAL_LINES_USED: &str = "Số lần bán";
pub const PRODUCT_CODE_HINT: &str = "Chữ in hoa, không dấu, ví dụ GPKD.";
pub const AMOUNT_HINT: &str = "Ví dụ: 1.500.000";
pub const FLOOR_PRICE_HINT: &str = "Để trống: giá sàn bằng giá niêm yết.";
pub const WORKFLOW_HINT: &str = "Không bắt buộc, ví dụ: Hồ sơ đăng ký kinh doanh.";
pub const PRODUCT_CODE_REQUIRED: &str = "Vui lòng nhập mã sản phẩm";
pub const PRODUCT_NAME_REQUIRED: &str = "Vui lòng nhập tên sản phẩm";
pub const FLOOR_ABOVE_BASE: &str = "Giá sàn không được cao hơn giá niêm yết";
pub const PRODUCT_DELETE_TITLE: &str = "Xoá sản phẩm?";
pub const STOP_SELLING: &str = "Chuyển sang Ngừng kinh doanh";
pub const STOP_SELLING_HINT: &str = "Sản phẩm đã có trong hợp đồng nên không xoá được. Bạn có thể ngừng kinh doanh để Sale không chọn được nữa.";

pub fn product_delete_question(code: &str, name: &str) -> String {
    format!("Xoá sản phẩm {code} – {name}? Không thể hoàn tác.")
}

pub fn product_stopped(code: &str) -> String {
    format!("Đã chuyển {code} sang Ngừng kinh doanh.")
}

pub fn product_deleted(code: &str) -> String {
    format!("Đã xoá sản phẩm {code}.")
}

/// A product status's Vietnamese name; an unknown code shows as it came.
pub fn product_status_label(code: &str) -> &str {
    Some(label(PRODUCT_STATUSES, code))
        .filter(|name| !name.is_empty())
        .unwrap_or(code)
}
