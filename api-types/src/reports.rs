//! The dashboard (SPEC.md RPT): KPI cards, four charts and three tables for one period,
//! counted on Vietnamese calendar days (UTC+7).

use serde::{Deserialize, Serialize};

/// Report periods with their Vietnamese names; `custom` takes `from` and `to`.
pub const PERIODS: &[(&str, &str)] = &[
    ("today", "Hôm nay"),
    ("week", "Tuần này"),
    ("month", "Tháng này"),
    ("quarter", "Quý này"),
    ("year", "Năm nay"),
    ("custom", "Tùy chọn"),
];

/// Report tables that export to CSV and XLSX, with their Vietnamese names.
pub const REPORT_TABLES: &[(&str, &str)] = &[
    ("top_performers", "Nhân viên xuất sắc"),
    ("picks_per_sale", "Lượt nhận theo nhân viên"),
    ("revenue_per_team", "Doanh thu theo nhóm"),
    ("trend", "Khách hàng mới theo thời gian"),
    ("status", "Khách hàng theo trạng thái"),
    ("care", "Khách hàng đang chăm sóc"),
];

/// Export file formats.
pub const EXPORT_FORMATS: &[(&str, &str)] = &[("csv", "CSV"), ("xlsx", "Excel (XLSX)")];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// The period's first and last Vietnamese calendar days, `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    /// How the trend is bucketed: `day`, `week` or `month`.
    pub granularity: String,
    pub kpis: Kpis,
    pub status: Vec<Slice>,
    pub trend: Vec<Point>,
    pub picks_per_sale: Vec<Bar>,
    pub revenue_per_team: Vec<Bar>,
    pub top_performers: Vec<Performer>,
    pub care: CareQueue,
    /// The newest events the viewer may see, newest first, as the socket sends them
    /// (`{"seq","type","at","data"}`), so the live list continues them.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub activity: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Kpis {
    /// Contacts created in the period.
    pub contacts: i64,
    /// Contacts created this week (Monday to today), whatever the period.
    pub new_this_week: i64,
    /// Contacts picked in the period.
    pub picked: i64,
    /// Deals closed in the period.
    pub deals_won: i64,
    /// Deals won per contact picked in the period, in per mille (`125` = 12,5 %);
    /// `None` when nothing was picked.
    pub close_rate_permille: Option<i64>,
    /// Totals of the period's deals, refunds excluded, in VND.
    pub revenue: i64,
}

/// One status of the donut: contacts created in the period, by current status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slice {
    pub status: String,
    pub count: i64,
}

/// New contacts in one bucket of the trend; `start` is its first day, `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Point {
    pub start: String,
    pub count: i64,
}

/// One bar: a Sale's picks or a team's revenue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bar {
    /// The Sale's or team's id; `None` for deals closed by someone without a team.
    pub id: Option<i64>,
    pub label: String,
    pub value: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Performer {
    pub user_id: i64,
    pub full_name: String,
    pub team: Option<String>,
    /// Contacts picked in the period.
    pub contacts: i64,
    pub deals: i64,
    pub revenue: i64,
}

/// Contacts with customer care now (failed, CSKH L1, CSKH L2) that the viewer may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareQueue {
    pub failed: i64,
    pub care_l1: i64,
    pub care_l2: i64,
    /// The longest-waiting ones first.
    pub oldest: Vec<CareItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CareItem {
    pub id: i64,
    pub code: String,
    pub full_name: String,
    pub status: String,
    /// When it last changed (RFC 3339).
    pub since: String,
}

/// `125` → `12,5 %` (Vietnamese decimal comma).
pub fn format_permille(permille: i64) -> String {
    let sign = if permille < 0 { "-" } else { "" };
    let p = permille.unsigned_abs();
    if p.is_multiple_of(10) {
        format!("{sign}{} %", p / 10)
    } else {
        format!("{sign}{},{} %", p / 10, p % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permille_reads_as_a_vietnamese_percentage() {
        assert_eq!(format_permille(125), "12,5 %");
        assert_eq!(format_permille(1000), "100 %");
        assert_eq!(format_permille(0), "0 %");
        assert_eq!(format_permille(7), "0,7 %");
    }
}
