//! Web Push opt-in on the profile page.

pub const PUSH_TITLE: &str = "Thông báo trên trình duyệt";
pub const PUSH_INTRO: &str = "Nhận thông báo của AnKhangCRM trên trình duyệt này, kể cả khi đã \
     đóng tab (theo các quy tắc thông báo quản trị viên đã đặt).";
pub const PUSH_ON: &str = "Đang bật trên trình duyệt này";
pub const PUSH_OFF: &str = "Đang tắt trên trình duyệt này";
pub const PUSH_CHECKING: &str = "Đang kiểm tra…";
pub const PUSH_UNSUPPORTED: &str = "Trình duyệt này không hỗ trợ thông báo đẩy. Hãy dùng Chrome, Edge, Firefox hoặc Safari bản mới.";
pub const PUSH_DENIED: &str = "Bạn đã chặn thông báo của trang này. Hãy cho phép lại trong phần \
     cài đặt trang web của trình duyệt (biểu tượng ổ khoá cạnh địa chỉ), rồi tải lại trang.";
pub const PUSH_TURN_ON: &str = "Bật thông báo";
pub const PUSH_TURN_OFF: &str = "Tắt thông báo";
pub const PUSH_WORKING: &str = "Đang xử lý…";
pub const PUSH_BROWSER_ERROR: &str = "Trình duyệt không đăng ký được thông báo, vui lòng thử lại";
