//! The dashboard: filters, KPI cards, charts, tables, activity, exports.

pub const DASHBOARD_TITLE: &str = "Tổng quan kinh doanh";
pub const REPORT_PERIOD: &str = "Kỳ báo cáo";
pub const REPORT_FROM: &str = "Từ ngày";
pub const REPORT_TO: &str = "Đến ngày";
pub const REPORT_TEAM: &str = "Nhóm";
pub const ALL_TEAMS_REPORT: &str = "Toàn công ty";

pub fn report_range(from: &str, to: &str) -> String {
    if from == to {
        format!("Ngày {from}")
    } else {
        format!("Từ {from} đến {to}")
    }
}

// KPI cards
pub const KPI_CONTACTS: &str = "Khách hàng trong kỳ";
pub const KPI_NEW_WEEK: &str = "Khách mới tuần này";
pub const KPI_DEALS: &str = "Hợp đồng chốt";
pub const KPI_CLOSE_RATE: &str = "Tỉ lệ chốt";
pub const KPI_REVENUE: &str = "Doanh thu";
pub const CLOSE_RATE_HINT: &str = "Hợp đồng chốt / khách được nhận trong kỳ";
pub const NO_RATE: &str = "—";

pub fn picked_hint(picked: i64) -> String {
    format!("{picked} khách được nhận")
}

// Charts
pub const CHART_STATUS: &str = "Khách hàng theo trạng thái";
pub const CHART_PICKS: &str = "Lượt nhận theo nhân viên";
pub const CHART_REVENUE: &str = "Doanh thu theo nhóm";
pub const CHART_EMPTY: &str = "Chưa có dữ liệu trong kỳ này";
pub const CHART_STATUS_TOTAL: &str = "khách hàng";

pub fn trend_title(granularity: &str) -> String {
    let by = match granularity {
        "week" => "theo tuần",
        "month" => "theo tháng",
        _ => "theo ngày",
    };
    format!("Khách hàng mới {by}")
}

pub fn slice_tooltip(status: &str, count: i64, percent: &str) -> String {
    format!("{status}: {count} khách hàng ({percent})")
}

pub fn trend_tooltip(start: &str, granularity: &str, count: i64) -> String {
    let when = match granularity {
        "week" => format!("Tuần từ {start}"),
        "month" => format!("Tháng {start}"),
        _ => start.to_owned(),
    };
    format!("{when}: {count} khách hàng mới")
}

pub fn picks_tooltip(name: &str, picks: i64) -> String {
    format!("{name}: {picks} lượt nhận")
}

pub fn revenue_tooltip(team: &str, amount: &str) -> String {
    format!("{team}: {amount}")
}

// Tables
pub const TOP_PERFORMERS: &str = "Nhân viên xuất sắc";
pub const PERFORMER: &str = "Nhân viên";
pub const PERFORMER_CONTACTS: &str = "Khách đã nhận";
pub const PERFORMER_DEALS: &str = "Hợp đồng";
pub const PERFORMER_REVENUE: &str = "Doanh thu";
pub const NO_PERFORMERS: &str = "Chưa có nhân viên nào nhận khách trong kỳ này.";
pub const CARE_QUEUE_TITLE: &str = "Khách hàng đang chăm sóc";
pub const CARE_WAITING: &str = "Chờ lâu nhất";
pub const NO_CARE: &str = "Không có khách hàng nào đang chờ chăm sóc.";
pub const ACTIVITY_TITLE: &str = "Hoạt động gần đây";
pub const NO_ACTIVITY: &str = "Chưa có hoạt động nào kể từ khi máy chủ khởi động.";

// Exports
pub const EXPORT_CSV: &str = "Xuất CSV";
pub const EXPORT_XLSX: &str = "Xuất Excel";

// Activity lines
pub fn activity_created(code: &str, name: &str) -> String {
    format!("Khách hàng mới {code} — {name}")
}

pub fn activity_picked(who: &str, code: &str) -> String {
    format!("{who} đã nhận {code}")
}

pub fn activity_status(code: &str, status: &str) -> String {
    format!("{code} chuyển sang {status}")
}

pub fn activity_reassigned(code: &str, holder: Option<&str>) -> String {
    match holder {
        Some(holder) => format!("{code} được chuyển cho {holder}"),
        None => format!("{code} được trả về danh sách chờ nhận"),
    }
}

pub fn activity_deal(who: &str, code: &str, contact: &str, total: &str) -> String {
    format!("{who} chốt {code} ({contact}) — {total}")
}
