//! Two-factor authentication: the profile section, the login's second step, the role
//! switch.

pub const TWO_FACTOR_TITLE: &str = "Xác thực hai lớp";
pub const TWO_FACTOR_INTRO: &str = "Khi bật, mỗi lần đăng nhập bạn nhập thêm mã 6 số từ ứng dụng xác thực \
     (Google Authenticator, Microsoft Authenticator, Authy…) trên điện thoại.";
pub const TWO_FACTOR_OFF: &str = "Đang tắt";
pub const TWO_FACTOR_ON: &str = "Đang bật";
pub const TWO_FACTOR_SETUP: &str = "Thiết lập xác thực hai lớp";
pub const TWO_FACTOR_PREPARING: &str = "Đang tạo mã…";
pub const TWO_FACTOR_SCAN: &str = "1. Mở ứng dụng xác thực trên điện thoại và quét mã QR dưới đây.";
pub const TWO_FACTOR_QR_ALT: &str = "Mã QR để thêm tài khoản vào ứng dụng xác thực";
pub const TWO_FACTOR_MANUAL: &str = "Không quét được? Nhập khoá này vào ứng dụng:";
pub const TWO_FACTOR_CONFIRM_STEP: &str = "2. Nhập mã 6 số ứng dụng đang hiển thị để xác nhận.";
pub const TWO_FACTOR_CODE_LABEL: &str = "Mã xác thực (6 số)";
pub const TWO_FACTOR_CODE_REQUIRED: &str = "Vui lòng nhập mã xác thực";
pub const TWO_FACTOR_ENABLE: &str = "Xác nhận và bật";
pub const TWO_FACTOR_CANCEL: &str = "Huỷ";
pub const TWO_FACTOR_ENABLED_NOTE: &str =
    "Tài khoản của bạn đang được bảo vệ bằng xác thực hai lớp.";
pub const RECOVERY_CODES_TITLE: &str = "Mã khôi phục";
pub const RECOVERY_CODES_INTRO: &str = "Mỗi mã dùng được một lần để đăng nhập khi bạn không có điện thoại. \
     Mã chỉ hiển thị lần này: hãy sao chép hoặc tải xuống và cất giữ ở nơi an toàn.";
pub const RECOVERY_CODES_COPY: &str = "Sao chép";
pub const RECOVERY_CODES_COPIED: &str = "Đã sao chép";
pub const RECOVERY_CODES_DOWNLOAD: &str = "Tải xuống (.txt)";
pub const RECOVERY_CODES_FILE: &str = "ankhang-ma-khoi-phuc.txt";
pub const RECOVERY_CODES_DONE: &str = "Tôi đã cất giữ mã khôi phục";
pub const REGENERATE_TITLE: &str = "Tạo lại mã khôi phục";
pub const REGENERATE_NOTE: &str = "Các mã khôi phục cũ sẽ không dùng được nữa.";
pub const REGENERATE_SUBMIT: &str = "Tạo mã mới";
pub const DISABLE_TITLE: &str = "Tắt xác thực hai lớp";
pub const DISABLE_NOTE: &str = "Nhập mật khẩu và mã xác thực (hoặc một mã khôi phục) để tắt.";
pub const DISABLE_CODE_LABEL: &str = "Mã xác thực hoặc mã khôi phục";
pub const DISABLE_SUBMIT: &str = "Tắt xác thực hai lớp";
pub const DISABLED_DONE: &str = "Đã tắt xác thực hai lớp.";
pub const TWO_FACTOR_LOCKED_BY_ROLE: &str =
    "Vai trò của bạn bắt buộc xác thực hai lớp nên không thể tắt.";
pub const TWO_FACTOR_REQUIRED_BANNER: &str = "Vai trò của bạn bắt buộc xác thực hai lớp. \
     Hãy thiết lập ngay bên dưới để tiếp tục sử dụng hệ thống.";

// Login, second step
pub const LOGIN_TWO_FACTOR_INTRO: &str = "Tài khoản đã bật xác thực hai lớp. \
     Nhập mã trong ứng dụng xác thực, hoặc một mã khôi phục nếu không có điện thoại.";
pub const LOGIN_TWO_FACTOR_LABEL: &str = "Mã xác thực (6 số) hoặc mã khôi phục";
pub const LOGIN_TWO_FACTOR_SUBMIT: &str = "Xác nhận";
pub const LOGIN_TWO_FACTOR_BACK: &str = "Đăng nhập bằng tài khoản khác";

// Roles
pub const ROLE_REQUIRE_TWO_FACTOR: &str = "Bắt buộc xác thực hai lớp";
pub const ROLE_REQUIRE_TWO_FACTOR_HINT: &str =
    "Người giữ vai trò này phải bật xác thực hai lớp mới dùng được hệ thống.";
pub const ROLE_TWO_FACTOR_BADGE: &str = "2FA";

// Employees
pub const RESET_TWO_FACTOR: &str = "Đặt lại xác thực hai lớp";
pub const RESET_TWO_FACTOR_DONE: &str =
    "Đã đặt lại xác thực hai lớp; nhân viên đã bị đăng xuất khỏi mọi thiết bị.";

pub fn recovery_codes_file(codes: &[String]) -> String {
    format!(
        "Mã khôi phục AnKhangCRM — mỗi mã dùng một lần\n\n{}\n",
        codes.join("\n")
    )
}
pub const RESET_TWO_FACTOR_NOTE: &str = "Dùng khi nhân viên mất điện thoại và mã khôi phục: \
     xoá thiết lập xác thực hai lớp và đăng xuất nhân viên khỏi mọi thiết bị. \
     Nhân viên đăng nhập lại bằng mật khẩu và thiết lập lại nếu vai trò bắt buộc.";
