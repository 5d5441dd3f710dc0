//! The live connection: offline banner and live list changes.

pub const OFFLINE_BANNER: &str = "Mất kết nối tới máy chủ — đang thử kết nối lại…";
/// The tooltip of actions that wait for the connection.
pub const OFFLINE_HINT: &str = "Đang mất kết nối";
pub const RELOAD: &str = "Tải lại";

pub fn picked_by(name: &str) -> String {
    format!("Đã được nhận bởi {name}")
}

pub fn new_contacts(count: u64) -> String {
    format!("Có {count} khách hàng mới")
}

// Desktop notifications
pub const NOTIFY_NEW: &str = "Báo khi có khách mới";
pub const SOUND_NEW: &str = "Phát âm báo khách mới";
pub const NEW_CONTACT_TITLE: &str = "Khách hàng mới";

pub fn new_contact_body(code: &str, name: &str) -> String {
    format!("{code} — {name}")
}
