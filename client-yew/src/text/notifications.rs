//! Notifications: the header's bell, the rules builder and the delivery log.

// Bell
pub const NAV_NOTIFICATION_RULES: &str = "Quy tắc thông báo";
pub const NAV_NOTIFICATION_DELIVERIES: &str = "Nhật ký gửi thông báo";
pub const BELL_TITLE: &str = "Thông báo";
pub const BELL_EMPTY: &str = "Bạn chưa có thông báo nào.";
pub const BELL_READ_ALL: &str = "Đánh dấu đã đọc tất cả";
pub const BELL_UNREAD: &str = "Chưa đọc";

/// The bell's accessible name, with the count a sighted user reads on the badge.
pub fn bell_label(unread: u64) -> String {
    match unread {
        0 => "Thông báo, không có thông báo chưa đọc".to_owned(),
        n => format!("Thông báo, {n} chưa đọc"),
    }
}

/// The badge: large counts are capped so the bell keeps its size.
pub fn bell_badge(unread: u64) -> String {
    if unread > 99 {
        "99+".to_owned()
    } else {
        unread.to_string()
    }
}

/// "vừa xong", "5 phút trước", "3 giờ trước", "2 ngày trước", from milliseconds.
pub fn time_ago(then_ms: f64, now_ms: f64) -> String {
    let secs = ((now_ms - then_ms) / 1000.0).max(0.0);
    // Whole units only: a fraction of a minute reads as "vừa xong".
    let whole = |unit: f64| (secs / unit).floor();
    if secs < 60.0 {
        "vừa xong".to_owned()
    } else if secs < 3600.0 {
        format!("{} phút trước", whole(60.0))
    } else if secs < 86_400.0 {
        format!("{} giờ trước", whole(3600.0))
    } else {
        format!("{} ngày trước", whole(86_400.0))
    }
}

// Rules list
pub const RULES_TITLE: &str = "Quy tắc thông báo";
pub const RULES_INTRO: &str =
    "Khi một sự kiện xảy ra, hệ thống gửi thông báo cho đúng người theo các quy tắc dưới đây.";
pub const RULE_NEW: &str = "Thêm quy tắc";
pub const RULES_EMPTY: &str = "Chưa có quy tắc nào. Hãy thêm quy tắc đầu tiên.";
pub const RULE_NAME: &str = "Tên quy tắc";
pub const RULE_TRIGGER: &str = "Sự kiện kích hoạt";
pub const RULE_AUDIENCE: &str = "Người nhận";
pub const RULE_CHANNELS: &str = "Kênh gửi";
pub const RULE_ENABLED: &str = "Đang bật";
pub const RULE_ACTIONS: &str = "Thao tác";
pub const RULE_EDIT: &str = "Sửa";
pub const RULE_DELETE: &str = "Xoá";
pub const RULE_DELETE_TITLE: &str = "Xoá quy tắc thông báo";
pub const AUDIENCE_EVERYONE: &str = "Mọi người được xem khách hàng";
pub const DELIVERIES_OF_RULE: &str = "Nhật ký gửi";

pub fn rule_delete_question(name: &str) -> String {
    format!(
        "Xoá quy tắc \"{name}\"? Thông báo đã gửi vẫn còn trong nhật ký, nhưng sẽ không gửi thêm."
    )
}

pub fn rule_deleted(name: &str) -> String {
    format!("Đã xoá quy tắc \"{name}\".")
}

pub fn rule_switched(name: &str, enabled: bool) -> String {
    if enabled {
        format!("Đã bật quy tắc \"{name}\".")
    } else {
        format!("Đã tắt quy tắc \"{name}\".")
    }
}

pub fn rule_toggle_label(name: &str) -> String {
    format!("Bật hoặc tắt quy tắc \"{name}\"")
}

// Rule form
pub const RULE_NEW_TITLE: &str = "Thêm quy tắc thông báo";
pub const RULE_EDIT_TITLE: &str = "Sửa quy tắc thông báo";
pub const BACK_TO_RULES: &str = "← Quy tắc thông báo";
pub const RULE_NAME_HINT: &str = "Ví dụ: Khách mới cho Sale Hà Nội";
pub const RULE_SECTION_WHEN: &str = "Khi nào";
pub const RULE_SECTION_WHO: &str = "Gửi cho ai";
pub const RULE_SECTION_WHO_HINT: &str = "Mỗi danh sách đã chọn đều phải khớp; để trống nghĩa là không giới hạn. Người nhận luôn cần quyền nhận thông báo và quyền xem khách hàng đó.";
pub const RULE_SECTION_FILTER: &str = "Chỉ với khách hàng";
pub const RULE_SECTION_FILTER_HINT: &str = "Để trống nghĩa là mọi khách hàng.";
pub const RULE_SECTION_HOW: &str = "Gửi qua kênh";
pub const RULE_SECTION_WHAT: &str = "Nội dung";
pub const RULE_ROLES: &str = "Vai trò";
pub const RULE_TEAMS: &str = "Nhóm";
pub const RULE_USERS: &str = "Nhân viên cụ thể";
pub const RULE_USERS_FILTER: &str = "Tìm nhân viên";
pub const RULE_SERVICE_TYPES: &str = "Loại dịch vụ";
pub const RULE_SOURCES: &str = "Nguồn khách hàng";
pub const RULE_STATUSES: &str = "Trạng thái sau sự kiện";
pub const RULE_CHANNEL_SOON: &str = "sắp có";
pub const RULE_TEMPLATE_TITLE: &str = "Tiêu đề";
pub const RULE_TEMPLATE_BODY: &str = "Nội dung thông báo";
pub const RULE_PLACEHOLDERS: &str = "Chèn biến:";
pub const RULE_ENABLED_LABEL: &str = "Bật quy tắc ngay khi lưu";
pub const RULE_CREATE_SUBMIT: &str = "Tạo quy tắc";
pub const RULE_NONE_SELECTED: &str = "Không giới hạn";
pub const RULE_NAME_REQUIRED: &str = "Vui lòng nhập tên quy tắc";
pub const RULE_CHANNEL_REQUIRED: &str = "Vui lòng chọn ít nhất một kênh gửi";
pub const RULE_TITLE_REQUIRED: &str = "Vui lòng nhập tiêu đề";
pub const RULE_BODY_REQUIRED: &str = "Vui lòng nhập nội dung thông báo";
pub const RULE_DEFAULT_TITLE: &str = "Khách hàng mới {{contact.code}}";
pub const RULE_DEFAULT_BODY: &str =
    "{{contact.name}} – {{contact.service_type}}, tạo bởi {{actor.name}}";

pub const RULE_SECTION_CUSTOMER: &str = "Tin gửi khách hàng";
pub const RULE_SECTION_CUSTOMER_HINT: &str = "Gửi tới chính khách hàng của sự kiện, một lần cho mỗi khách hàng, không phụ thuộc người nhận ở trên.";
pub const RULE_STAFF_TEXT_OPTIONAL: &str =
    "Chỉ gửi tới khách hàng: tiêu đề và nội dung cho nhân viên có thể để trống.";
pub const RULE_ZALO_TEMPLATE: &str = "Mẫu tin ZNS";
pub const RULE_ZALO_TEMPLATE_PICK: &str = "— Chọn mẫu ZNS —";
pub const RULE_ZALO_TEMPLATE_REQUIRED: &str = "Vui lòng chọn mẫu tin ZNS gửi khách hàng";
pub const RULE_ZALO_NO_TEMPLATES: &str =
    "Chưa có mẫu ZNS nào đang bật. Quản trị viên thêm mẫu trên trang Zalo OA.";
pub const RULE_ZALO_PARAMS: &str = "Giá trị các tham số của mẫu";
pub const RULE_ZALO_PARAM_TEXT: &str = "Văn bản cố định";
pub const RULE_ZALO_PARAM_REQUIRED: &str = "Vui lòng chọn giá trị cho mọi tham số của mẫu ZNS";
pub const RULE_FACEBOOK_TEXT: &str = "Nội dung tin nhắn Messenger gửi khách hàng";
pub const RULE_FACEBOOK_TEXT_REQUIRED: &str = "Vui lòng nhập nội dung tin nhắn Messenger";

pub fn zalo_param_text_label(param: &str) -> String {
    format!("Văn bản cho \"{param}\"")
}

pub fn zalo_param_label(param: &str, sample: &str) -> String {
    if sample.is_empty() {
        param.to_owned()
    } else {
        format!("{param} (ví dụ: {sample})")
    }
}

pub fn placeholder_chip_label(placeholder: &str, meaning: &str) -> String {
    format!("Chèn {{{{{placeholder}}}}} ({meaning})")
}

// Live preview
pub const PREVIEW_TITLE: &str = "Xem trước";
pub const PREVIEW_INTRO: &str = "Hiển thị với dữ liệu mẫu, cập nhật khi bạn gõ.";
pub const PREVIEW_RECIPIENTS: &str = "Người nhận nếu sự kiện xảy ra bây giờ";
pub const PREVIEW_NOBODY: &str = "Không ai nhận được thông báo này với điều kiện hiện tại.";
pub const PREVIEW_PER_CONTACT: &str = "Với sự kiện này, mỗi lần chỉ gửi cho những người trong danh sách được xem khách hàng đó (ví dụ: Sale đang phụ trách).";
pub const PREVIEW_UPDATING: &str = "Đang cập nhật…";
pub const PREVIEW_ZALO: &str = "Tin ZNS tới khách hàng";
pub const PREVIEW_FACEBOOK: &str = "Tin Messenger tới khách hàng";

pub fn preview_recipient_count(n: usize) -> String {
    format!("{n} người")
}

// Delivery log
pub const DELIVERIES_TITLE: &str = "Nhật ký gửi thông báo";
pub const DELIVERIES_INTRO: &str =
    "Từng thông báo đã và đang gửi: ai nhận, qua kênh nào, kết quả ra sao.";
pub const DELIVERIES_EMPTY: &str = "Không có thông báo nào khớp bộ lọc.";
pub const DELIVERY_STATUS: &str = "Trạng thái";
pub const DELIVERY_ALL_STATUSES: &str = "Mọi trạng thái";
pub const DELIVERY_CHANNEL: &str = "Kênh";
pub const DELIVERY_ALL_CHANNELS: &str = "Mọi kênh";
pub const DELIVERY_AT: &str = "Thời gian";
pub const DELIVERY_RULE: &str = "Quy tắc";
pub const DELIVERY_RECIPIENT: &str = "Người nhận";
pub const DELIVERY_ATTEMPTS: &str = "Số lần thử";
pub const DELIVERY_ERROR: &str = "Lỗi gần nhất";
pub const DELIVERY_RETRY: &str = "Thử lại ngay";
pub const DELIVERY_RULE_DELETED: &str = "(quy tắc đã xoá)";
pub const DELIVERY_PERSON_DELETED: &str = "(nhân viên đã xoá)";
pub const DELIVERY_SHOW_ALL: &str = "Xem tất cả";
pub const DELIVERY_CLEAR: &str = "Xoá bộ lọc";

pub fn deliveries_count(total: u64) -> String {
    format!("{} thông báo", api_types::group_thousands(total))
}

pub fn delivery_focused(id: i64) -> String {
    format!("Đang xem thông báo #{id}.")
}

pub fn delivery_retried(id: i64) -> String {
    format!("Đã xếp thông báo #{id} vào hàng đợi để gửi lại.")
}

pub fn delivery_retry_label(id: i64) -> String {
    format!("Thử gửi lại thông báo #{id} ngay")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_in_whole_units() {
        let now = 10_000_000_000.0;
        assert_eq!(time_ago(now - 30_000.0, now), "vừa xong");
        assert_eq!(time_ago(now - 5.5 * 60_000.0, now), "5 phút trước");
        assert_eq!(time_ago(now - 3.0 * 3_600_000.0, now), "3 giờ trước");
        assert_eq!(time_ago(now - 49.0 * 3_600_000.0, now), "2 ngày trước");
        // A clock a little behind the server's never says "in the future".
        assert_eq!(time_ago(now + 5_000.0, now), "vừa xong");
    }

    #[test]
    fn the_bell_says_its_count() {
        assert_eq!(bell_label(0), "Thông báo, không có thông báo chưa đọc");
        assert_eq!(bell_label(3), "Thông báo, 3 chưa đọc");
        assert_eq!(bell_badge(7), "7");
        assert_eq!(bell_badge(120), "99+");
    }
}
