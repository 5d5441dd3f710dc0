//! The attachments card of contact and deal detail pages.

use api_types::format_file_size;

pub const ATTACHMENTS_TITLE: &str = "Tệp đính kèm";
pub const ATTACHMENTS_EMPTY: &str = "Chưa có tệp đính kèm nào.";
pub const ATTACHMENTS_HIDDEN: &str = "Hãy nhận khách hàng này để xem và thêm tệp đính kèm.";
pub const ATTACHMENT_CHOOSE: &str = "Chọn tệp";
pub const ATTACHMENT_UPLOAD: &str = "Tải lên";
pub const ATTACHMENT_UPLOADING: &str = "Đang tải lên…";
pub const ATTACHMENT_DOWNLOAD: &str = "Tải xuống";
pub const ATTACHMENT_DELETE_TITLE: &str = "Xoá tệp đính kèm";
pub const ATTACHMENT_NAME: &str = "Tên tệp";
pub const ATTACHMENT_TYPE: &str = "Loại";
pub const ATTACHMENT_SIZE: &str = "Dung lượng";
pub const ATTACHMENT_UPLOADER: &str = "Người tải lên";
pub const ATTACHMENT_DATE: &str = "Ngày tải lên";
pub const ATTACHMENT_REQUIRED: &str = "Vui lòng chọn tệp đính kèm";
pub const ATTACHMENT_TYPE_REFUSED: &str =
    "Tệp đính kèm phải là PDF, ảnh (JPEG, PNG, WebP, HEIC), Word (DOCX) hoặc Excel (XLSX)";
pub const ATTACHMENT_EMPTY_FILE: &str = "Tệp đính kèm đang trống";
pub const ATTACHMENT_BROWSER_ERROR: &str = "Trình duyệt không gửi được tệp này";
pub const ATTACHMENT_ENCRYPTED_NOTE: &str =
    "Tệp được mã hoá khi lưu; chỉ người xem được hồ sơ này mới tải xuống được.";

pub fn attachment_limits(max_bytes: u64) -> String {
    format!(
        "PDF, ảnh (JPEG, PNG, WebP, HEIC), Word, Excel — tối đa {}.",
        format_file_size(max_bytes)
    )
}

pub fn attachment_too_large(max_bytes: u64) -> String {
    format!(
        "Tệp đính kèm vượt quá dung lượng cho phép (tối đa {})",
        format_file_size(max_bytes)
    )
}

pub fn attachment_uploaded(name: &str) -> String {
    format!("Đã tải lên \"{name}\"")
}

pub fn attachment_deleted(name: &str) -> String {
    format!("Đã xoá \"{name}\"")
}

pub fn attachment_delete_question(name: &str) -> String {
    format!("Xoá vĩnh viễn tệp \"{name}\"? Tệp sẽ bị huỷ và không khôi phục được.")
}
