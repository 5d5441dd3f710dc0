//! Importing the old Google Sheets (CSV export): column mapping, dry-run report and
//! the progress of a running import.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The contact fields an import can fill: (code, Vietnamese label, required).
pub const IMPORT_FIELDS: &[(&str, &str, bool)] = &[
    ("full_name", "Họ tên", true),
    ("phone", "Số điện thoại", true),
    ("email", "Email", false),
    ("service_type", "Dịch vụ", true),
    ("source", "Nguồn", true),
    ("note", "Ghi chú", false),
    ("status", "Trạng thái", false),
    ("assignee", "Người nhận", false),
    ("team", "Nhóm", false),
    ("created_at", "Ngày tạo", false),
];

/// A CSV file and how to read it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRequest {
    /// The file's text (UTF-8; comma- or semicolon-separated; first line = headings).
    pub csv: String,
    /// Field code → column heading; fields left out are matched by heading name.
    #[serde(default)]
    pub mapping: BTreeMap<String, String>,
    /// Service type (code or name) for rows without one.
    #[serde(default)]
    pub default_service_type: Option<String>,
    /// Source (code or name) for rows without one.
    #[serde(default)]
    pub default_source: Option<String>,
}

/// One bad row: its line in the spreadsheet (headings are line 1), the field and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRowError {
    pub line: u64,
    pub field: String,
    pub message: String,
}

/// A row that will be skipped because the phone is already in the CRM (or earlier in
/// the file): importing twice never creates duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportSkip {
    pub line: u64,
    pub reason: String,
}

/// The dry run: what an import of this file would do, without writing anything.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// The file's column headings, in order.
    pub headings: Vec<String>,
    /// Field code → the heading it is read from (absent = not in the file).
    pub mapping: BTreeMap<String, String>,
    pub rows: u64,
    /// Rows that would be created.
    pub valid: u64,
    pub skipped: Vec<ImportSkip>,
    pub errors: Vec<ImportRowError>,
}

/// A running or finished import (`GET /api/imports/{id}`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportJobDto {
    pub id: u64,
    pub rows: u64,
    pub processed: u64,
    pub imported: u64,
    pub skipped: u64,
    pub failed: u64,
    pub done: bool,
    /// Why the import stopped early, if it did (rows already imported stay).
    pub error: Option<String>,
    pub errors: Vec<ImportRowError>,
}

/// What one run of the retention policy did (`POST /api/retention/run`, and the
/// `data.retention_run` audit entry).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionReport {
    pub ran_at: String,
    /// Audit entries moved to compressed archive files.
    pub audit_archived: u64,
    /// The archive files written, under `ANKHANG_DATA_DIR/archive/`.
    pub audit_files: Vec<String>,
    /// Failed/closed contacts inactive past the period, anonymised.
    pub inactive_contacts_anonymized: u64,
    /// Contacts whose won deals are past the keeping period, anonymised (amounts stay).
    pub won_contacts_anonymized: u64,
    /// System log rows (events, deliveries, notifications, sign-in failures, sessions,
    /// reset links) deleted.
    pub system_rows_deleted: u64,
    /// Uploaded files past the period, securely deleted.
    pub attachments_deleted: u64,
}

/// The retention periods in force and the last run (`GET /api/retention`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionPolicyDto {
    /// Hours between scheduled runs; `None` when it runs only on request.
    pub interval_hours: Option<u64>,
    pub audit_months: u32,
    pub inactive_contact_months: u32,
    pub system_log_months: u32,
    pub attachment_months: u32,
    pub won_deal_months: u32,
    pub last_run: Option<RetentionReport>,
}
