//! The data screen: importing the old Google Sheets, exporting everything.

pub const NAV_DATA: &str = "Nhập / xuất dữ liệu";
pub const DATA_TITLE: &str = "Nhập / xuất dữ liệu";
pub const IMPORT_TITLE: &str = "Nhập khách hàng từ Google Sheets";
pub const IMPORT_INTRO: &str = "Trong Google Sheets chọn Tệp → Tải xuống → CSV, rồi chọn tệp đó ở đây. \
    Hệ thống kiểm tra từng dòng trước (chạy thử), chưa ghi gì cho đến khi bạn bấm Nhập. \
    Số điện thoại đã có được bỏ qua, nên nhập lại cùng một tệp không tạo trùng.";
pub const IMPORT_FILE: &str = "Tệp CSV";
pub const IMPORT_FILE_HINT: &str =
    "UTF-8, phân tách bằng dấu phẩy hoặc chấm phẩy; dòng đầu là tiêu đề cột.";
pub const IMPORT_NOT_UTF8: &str = "Không đọc được tệp: hãy lưu tệp CSV bằng mã UTF-8.";
pub const IMPORT_TOO_BIG: &str = "Tệp lớn hơn 32 MB: hãy chia thành nhiều tệp.";
pub const IMPORT_MAPPING: &str = "Cột trong tệp";
pub const IMPORT_MAPPING_HINT: &str = "Hệ thống tự nhận các tiêu đề quen thuộc (Tên khách hàng, SĐT, Loại nhu cầu…); đổi nếu chưa đúng.";
pub const IMPORT_NO_COLUMN: &str = "— Không có cột này —";
pub const IMPORT_DEFAULT_SERVICE: &str = "Dịch vụ mặc định";
pub const IMPORT_DEFAULT_SOURCE: &str = "Nguồn mặc định";
pub const IMPORT_DEFAULT_HINT: &str = "Dùng cho các dòng để trống cột này.";
pub const IMPORT_NO_DEFAULT: &str = "— Không dùng —";
pub const IMPORT_CHECKING: &str = "Đang kiểm tra tệp…";
pub const IMPORT_REPORT: &str = "Kết quả chạy thử";
pub const IMPORT_ROWS: &str = "Dòng dữ liệu";
pub const IMPORT_VALID: &str = "Sẽ được nhập";
pub const IMPORT_SKIPPED: &str = "Bỏ qua (đã có)";
pub const IMPORT_ERRORS: &str = "Dòng lỗi";
pub const IMPORT_LINE: &str = "Dòng";
pub const IMPORT_FIELD: &str = "Trường";
pub const IMPORT_REASON: &str = "Lý do";
pub const IMPORT_ALL_GOOD: &str = "Mọi dòng đều hợp lệ.";
pub const IMPORT_ERRORS_TITLE: &str = "Dòng lỗi (sẽ không được nhập — sửa trong tệp rồi chọn lại)";
pub const IMPORT_SKIPPED_TITLE: &str = "Dòng bỏ qua";
pub const IMPORT_RUNNING: &str = "Đang nhập…";
pub const IMPORT_DONE: &str = "Đã nhập xong";
pub const IMPORT_AGAIN: &str = "Nhập tệp khác";
pub const IMPORT_SEE_CONTACTS: &str = "Xem danh sách khách hàng";
pub const EXPORT_ALL_TITLE: &str = "Xuất toàn bộ dữ liệu";
pub const EXPORT_ALL_INTRO: &str = "Một tệp ZIP gồm mọi bảng (JSON Lines, thông tin cá nhân đã giải mã) và khach-hang.csv \
    theo đúng định dạng nhập ở trên — dùng để chuyển sang hệ thống khác. Không chứa mật khẩu, phiên đăng nhập hay khoá. \
    Hãy giữ tệp này như giữ hồ sơ khách hàng; việc xuất được ghi vào nhật ký.";
pub const EXPORT_ALL_BUTTON: &str = "Tải tệp ZIP";

pub fn import_button(rows: u64) -> String {
    format!("Nhập {} khách hàng", api_types::group_thousands(rows))
}

pub fn import_more(count: usize) -> String {
    format!(
        "… và {} dòng khác.",
        api_types::group_thousands(count as u64)
    )
}

pub fn import_progress(processed: u64, rows: u64) -> String {
    format!(
        "{} / {} dòng",
        api_types::group_thousands(processed),
        api_types::group_thousands(rows)
    )
}

pub fn import_summary(imported: u64, skipped: u64, failed: u64) -> String {
    format!("Đã nhập {imported} khách hàng; bỏ qua {skipped} (đã có); {failed} dòng lỗi.")
}

pub const RETENTION_TITLE: &str = "Chính sách lưu trữ dữ liệu";
pub const RETENTION_INTRO: &str = "Dữ liệu quá hạn được xử lý tự động theo quy định; mỗi lần chạy được ghi vào nhật ký hoạt động.";
pub const RETENTION_RUN: &str = "Chạy ngay";
pub const RETENTION_RUNNING: &str = "Đang chạy…";
pub const RETENTION_NEVER: &str = "Chưa chạy lần nào.";
pub const RETENTION_ON_REQUEST: &str = "Chỉ chạy khi quản trị yêu cầu.";

pub fn retention_schedule(hours: u64) -> String {
    format!("Tự động chạy mỗi {hours} giờ.")
}

/// A period in months as Vietnamese people say it: "5 năm", "18 tháng".
pub fn months(n: u32) -> String {
    if n.is_multiple_of(12) {
        format!("{} năm", n / 12)
    } else {
        format!("{n} tháng")
    }
}

pub fn retention_rules(p: &api_types::RetentionPolicyDto) -> [(String, String); 5] {
    [
        (
            "Nhật ký hoạt động".into(),
            format!(
                "giữ {}, sau đó lưu trữ vào tệp nén (vẫn kiểm chứng được)",
                months(p.audit_months)
            ),
        ),
        (
            "Khách hàng thất bại/đóng không hoạt động".into(),
            format!("ẩn danh sau {}", months(p.inactive_contact_months)),
        ),
        (
            "Hợp đồng đã chốt".into(),
            format!(
                "giữ {} (luật kế toán), sau đó ẩn danh khách hàng, giữ số tiền",
                months(p.won_deal_months)
            ),
        ),
        (
            "Tệp đính kèm".into(),
            format!("giữ {}, sau đó xoá vĩnh viễn", months(p.attachment_months)),
        ),
        (
            "Nhật ký hệ thống".into(),
            format!("giữ {}", months(p.system_log_months)),
        ),
    ]
}

pub fn retention_last_run(r: &api_types::RetentionReport) -> String {
    format!(
        "Lần chạy gần nhất ({}): lưu trữ {} mục nhật ký, ẩn danh {} khách hàng không hoạt động và {} khách hàng hợp đồng cũ, xoá {} tệp đính kèm và {} dòng nhật ký hệ thống.",
        crate::format::datetime(&r.ran_at),
        r.audit_archived,
        r.inactive_contacts_anonymized,
        r.won_contacts_anonymized,
        r.attachments_deleted,
        r.system_rows_deleted
    )
}
