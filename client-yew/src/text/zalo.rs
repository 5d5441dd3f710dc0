//! The Zalo OA screen: connection with its consent text, ZNS templates.

pub const NAV_ZALO: &str = "Zalo OA";
pub const ZALO_TITLE: &str = "Zalo OA";
pub const ZALO_CONNECTION_TITLE: &str = "Kết nối Zalo Official Account";
/// Policy 000 §13: shown before the OAuth button.
pub const ZALO_CONSENT_INTRO: &str = "Khi kết nối, AnKhangCRM sẽ truy cập các quyền sau từ tài khoản Zalo Official Account của công ty:";
pub const ZALO_CONSENT_PURPOSE: &str = "Dữ liệu này được dùng để: (1) hiển thị trạng thái kết nối; \
     (2) gửi tin ZNS chăm sóc khách hàng theo mẫu đã được Zalo duyệt; (3) lưu lịch sử tương tác \
     trong hồ sơ khách hàng.";
pub const ZALO_CONSENT_RETENTION: &str = "Mã truy cập (token) được mã hoá khi lưu và chỉ giữ đến khi \
     ngắt kết nối. Bạn có thể thu hồi quyền bất kỳ lúc nào: bấm \"Ngắt kết nối\" tại đây và gỡ ứng \
     dụng trong phần cài đặt Zalo OA.";
pub const ZALO_CONNECT: &str = "Kết nối Zalo OA";
pub const ZALO_RECONNECT: &str = "Kết nối lại Zalo OA";
pub const ZALO_DISCONNECT: &str = "Ngắt kết nối";
pub const ZALO_NOT_CONFIGURED: &str = "Máy chủ chưa được cấu hình ứng dụng Zalo \
     (ANKHANG_ZALO_APP_ID, ANKHANG_ZALO_APP_SECRET). Liên hệ bộ phận kỹ thuật.";
pub const ZALO_STATUS_LABEL: &str = "Trạng thái";
pub const ZALO_NOT_CONNECTED: &str = "Chưa kết nối";
pub const ZALO_CONNECTED: &str = "Đang kết nối";
pub const ZALO_NEEDS_RECONNECT: &str = "Cần kết nối lại";
pub const ZALO_RECONNECT_HELP: &str = "Zalo đã thu hồi hoặc làm hết hạn quyền truy cập, tin nhắn Zalo \
     đang tạm dừng. Đọc lại nội dung xin quyền ở trên, bấm \"Kết nối lại Zalo OA\" và đăng nhập bằng \
     tài khoản quản trị OA.";
pub const ZALO_OA_NAME: &str = "Official Account";
pub const ZALO_SCOPES_LABEL: &str = "Quyền đã cấp";
pub const ZALO_EXPIRES: &str = "Token hết hạn lúc (tự làm mới trước đó)";
pub const ZALO_CONNECTED_BY: &str = "Kết nối bởi";
pub const ZALO_WORKING: &str = "Đang xử lý…";
pub const ZALO_TEMPLATES_TITLE: &str = "Mẫu tin ZNS";
pub const ZALO_NO_TEMPLATES: &str = "Chưa có mẫu tin nào.";
pub const ZALO_TEMPLATE_ID: &str = "Mã mẫu Zalo";
pub const ZALO_TEMPLATE_NAME: &str = "Tên mẫu";
pub const ZALO_TEMPLATE_PARAMS: &str = "Tham số (mỗi dòng: tên=giá trị mẫu)";
pub const ZALO_TEMPLATE_ENABLED: &str = "Đang dùng";
pub const ZALO_TEMPLATE_DISABLED: &str = "Đã tắt";
pub const ZALO_TEMPLATE_ADD: &str = "Thêm mẫu";

// The CSKH composer (`/zalo/compose`).
pub const NAV_ZALO_COMPOSE: &str = "Gửi tin Zalo";
pub const ZALO_COMPOSE_TITLE: &str = "Gửi tin Zalo cho khách hàng";
pub const ZALO_COMPOSE_INTRO: &str = "Chọn khách hàng trong hàng chăm sóc, chọn mẫu tin ZNS, kiểm tra \
     nội dung rồi bấm Gửi. Tin được gửi lần lượt và ghi vào lịch sử tương tác của từng khách hàng.";
pub const ZALO_COMPOSE_SEARCH: &str = "Tìm khách hàng (tên, mã, số điện thoại)";
pub const ZALO_COMPOSE_NO_CONTACTS: &str = "Không có khách hàng nào phù hợp.";
pub const ZALO_COMPOSE_TEMPLATE: &str = "Mẫu tin";
pub const ZALO_COMPOSE_CHOOSE_TEMPLATE: &str = "— Chọn mẫu tin —";
pub const ZALO_COMPOSE_AUTO: &str = "Để trống: tự điền từ hồ sơ khách hàng";
pub const ZALO_COMPOSE_PREVIEW: &str = "Xem trước";
pub const ZALO_COMPOSE_SEND: &str = "Gửi";
pub const ZALO_COMPOSE_NOTHING: &str = "Chọn ít nhất một khách hàng và một mẫu tin.";

pub fn zalo_compose_queued(n: usize) -> String {
    format!("Đã xếp hàng gửi {n} tin Zalo. Nếu gửi không được, bạn sẽ nhận được thông báo.")
}
pub const ZALO_TEMPLATE_TURN_OFF: &str = "Tắt";
pub const ZALO_TEMPLATE_TURN_ON: &str = "Bật";
