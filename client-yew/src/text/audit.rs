//! The audit log screen: filters, table, before/after view, chain verification.

pub const AUDIT_TITLE: &str = "Nhật ký hoạt động";
pub const AUDIT_INTRO: &str =
    "Mọi thao tác trong hệ thống, không thể sửa hay xoá: mỗi mục được nối chuỗi băm với mục trước.";
pub const AUDIT_SEARCH: &str = "Tìm kiếm";
pub const AUDIT_SEARCH_HINT: &str = "Tên người, hành động, mã KH/HĐ, IP…";
pub const AUDIT_ACTOR: &str = "Người thực hiện";
pub const AUDIT_ALL_ACTORS: &str = "Tất cả mọi người";
pub const AUDIT_MODULE: &str = "Phân hệ";
pub const AUDIT_ALL_MODULES: &str = "Tất cả phân hệ";
pub const AUDIT_ACTION: &str = "Hành động";
pub const AUDIT_ALL_ACTIONS: &str = "Tất cả hành động";
pub const AUDIT_TARGET: &str = "Đối tượng";
pub const AUDIT_ALL_TARGETS: &str = "Mọi đối tượng";
pub const AUDIT_FROM: &str = "Từ ngày";
pub const AUDIT_TO: &str = "Đến ngày";
pub const AUDIT_CLEAR: &str = "Xoá bộ lọc";
pub const AUDIT_EMPTY_LIST: &str = "Không có mục nhật ký nào khớp bộ lọc.";

// Table
pub const AUDIT_AT: &str = "Thời gian";
pub const AUDIT_IP: &str = "Địa chỉ IP";
pub const AUDIT_DEVICE: &str = "Thiết bị";
pub const AUDIT_DETAILS: &str = "Chi tiết";
pub const AUDIT_HIDE: &str = "Ẩn";
pub const AUDIT_NO_CONTENT: &str = "Mục này không ghi nội dung thay đổi.";

pub fn audit_count(total: u64, exact: bool) -> String {
    let count = api_types::group_thousands(total);
    if exact {
        format!("{count} mục")
    } else {
        format!("Hơn {count} mục — hãy thu hẹp bộ lọc")
    }
}

/// `contact` → "Khách hàng", for the target column and filter.
pub const AUDIT_TARGETS: &[(&str, &str)] = &[
    ("contact", "Khách hàng"),
    ("deal", "Hợp đồng"),
    ("user", "Nhân viên"),
    ("team", "Nhóm"),
    ("role", "Vai trò"),
    ("product", "Sản phẩm"),
    ("coupon", "Mã giảm giá"),
    ("service_type", "Loại dịch vụ"),
];

// Before/after view
pub const AUDIT_FIELD: &str = "Trường";
pub const AUDIT_BEFORE: &str = "Trước";
pub const AUDIT_AFTER: &str = "Sau";
pub const AUDIT_VALUE: &str = "Giá trị";
pub const AUDIT_EMPTY: &str = "—";
pub const AUDIT_ABSENT: &str = "(không có)";
pub const YES: &str = "Có";
pub const NO: &str = "Không";

/// Vietnamese names of the fields entries record, by their last path segment.
pub fn audit_field_label(name: &str) -> Option<&'static str> {
    Some(match name {
        "status" => "Trạng thái",
        "full_name" => "Họ tên",
        "phone" => "Điện thoại",
        "email" => "Email",
        "note" => "Ghi chú",
        "service_type_id" => "Dịch vụ",
        "source" => "Nguồn",
        "assignee_name" => "Người phụ trách",
        "assignee_id" => "Mã người phụ trách",
        "kind" => "Hình thức",
        "content" => "Nội dung",
        "from" => "Từ",
        "to" => "Sang",
        "reason" => "Lý do",
        "lines" => "Sản phẩm",
        "product" | "product_name" => "Sản phẩm",
        "product_id" => "Mã sản phẩm",
        "quantity" => "Số lượng",
        "unit_price" => "Đơn giá",
        "base_price" => "Giá gốc",
        "coupon" => "Mã giảm giá",
        "discount" => "Giảm giá",
        "total" => "Tổng tiền",
        "payment_status" => "Thanh toán",
        "closed_on" => "Ngày ký",
        "code" => "Mã",
        "name" => "Tên",
        "description" => "Mô tả",
        "username" => "Tên đăng nhập",
        "roles" => "Vai trò",
        "team" | "team_name" => "Nhóm",
        "team_id" => "Mã nhóm",
        "permissions" => "Quyền",
        "granted" => "Được cấp",
        "revoked" => "Bị thu hồi",
        "value" => "Giá trị",
        "expires_on" | "expires_at" => "Hết hạn",
        "assignees" => "Người được dùng",
        "daily_pick_limit" => "Giới hạn nhận/ngày",
        "active" => "Đang dùng",
        "leader_id" => "Trưởng nhóm",
        "members" => "Thành viên",
        "user_id" => "Mã nhân viên",
        "format" => "Định dạng",
        "table" => "Bảng",
        "rows" => "Số dòng",
        "filters" => "Bộ lọc",
        "file" => "Tệp",
        "size" => "Dung lượng",
        "require_two_factor" => "Bắt buộc xác thực hai lớp",
        "two_factor_enabled" => "Xác thực hai lớp",
        "two_factor" => "Xác thực hai lớp",
        "recovery_codes" => "Số mã khôi phục",
        "remaining" => "Mã khôi phục còn lại",
        "during" => "Khi",
        "sessions_ended" => "Phiên bị đăng xuất",
        "with_recovery_code" => "Dùng mã khôi phục",
        _ => return None,
    })
}

// Chain verification
pub const AUDIT_VERIFY: &str = "Kiểm tra toàn vẹn";
pub const AUDIT_VERIFYING: &str = "Đang kiểm tra…";

pub fn audit_chain_ok(entries: u64, millis: u64) -> String {
    format!(
        "Chuỗi nhật ký nguyên vẹn: đã kiểm {} mục trong {} ms.",
        api_types::group_thousands(entries),
        api_types::group_thousands(millis)
    )
}

pub fn audit_chain_broken(id: i64, entries: u64) -> String {
    format!(
        "Phát hiện can thiệp: mục #{id} đã bị sửa, xoá hoặc chèn thêm (đã kiểm {} mục).",
        api_types::group_thousands(entries)
    )
}
