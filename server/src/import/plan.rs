//! The dry run: read the whole file, judge every row, and find the phones the CRM
//! already holds. Nothing is written; `apply` stores exactly the valid rows.

use std::collections::HashMap;

use api_types::{ImportReport, ImportRequest, ImportRowError, ImportSkip};
use chrono::{DateTime, Utc};
use entities::{contact, service_type, team, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};

use super::{
    columns,
    row::{self, Candidate, Defaults, Lookups, SeenPhones},
};
use crate::{contacts::vault::Vault, error::ApiError};

/// Phones looked up per query.
const LOOKUP_CHUNK: usize = 500;

/// A judged file: the report, and the rows `apply` will store.
pub struct Plan {
    pub report: ImportReport,
    pub candidates: Vec<Candidate>,
    /// Of the file's bytes, for the audit trail (which file was imported).
    pub sha256: String,
}

pub async fn plan(
    conn: &impl ConnectionTrait,
    vault: &Vault,
    request: &ImportRequest,
    now: DateTime<Utc>,
) -> Result<Plan, ApiError> {
    let text = request.csv.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or_default();
    if first_line.trim().is_empty() {
        return Err(ApiError::validation(
            "csv",
            "Tệp trống hoặc thiếu dòng tiêu đề",
        ));
    }
    // Excel in Vietnamese locales writes `;`; Google Sheets writes `,`.
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headings: Vec<String> = reader
        .headers()
        .map_err(|_| ApiError::validation("csv", "Không đọc được dòng tiêu đề của tệp"))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let mapping = columns::resolve(&headings, &request.mapping)
        .map_err(|(field, message)| ApiError::validation(&format!("mapping.{field}"), message))?;
    let lookups = Lookups::new(
        service_type::Entity::find().all(conn).await?,
        user::Entity::find().all(conn).await?,
        team::Entity::find().all(conn).await?,
    );
    let defaults = defaults(&lookups, request)?;
    for (field, has_default) in [
        ("full_name", false),
        ("phone", false),
        ("service_type", defaults.service_type_id.is_some()),
        ("source", defaults.source.is_some()),
    ] {
        if !mapping.contains_key(field) && !has_default {
            let label = row::label(field);
            let hint = if matches!(field, "service_type" | "source") {
                "hãy chọn cột hoặc giá trị mặc định"
            } else {
                "hãy chọn cột chứa thông tin này"
            };
            return Err(ApiError::validation(
                &format!("mapping.{field}"),
                format!("Tệp không có cột {label}: {hint}"),
            ));
        }
    }

    let mut report = ImportReport {
        headings: headings.clone(),
        mapping: mapping
            .iter()
            .map(|(field, &i)| ((*field).to_owned(), headings[i].clone()))
            .collect(),
        ..ImportReport::default()
    };
    let mut judged = Vec::new();
    let mut seen = SeenPhones::new();
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(_) => {
                report.rows += 1;
                report.errors.push(ImportRowError {
                    line,
                    field: "Dòng".into(),
                    message: "Dòng không đọc được (sai dấu ngoặc kép?)".into(),
                });
                continue;
            }
        };
        // Sheets export their empty trailing rows as lines of commas.
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        report.rows += 1;
        match row::parse(line, &record, &mapping, &lookups, &defaults, now) {
            Ok(candidate) => match seen.get(&candidate.personal.phone) {
                Some(first) => report.skipped.push(ImportSkip {
                    line,
                    reason: format!("Trùng số điện thoại với dòng {first} của tệp"),
                }),
                None => {
                    seen.insert(candidate.personal.phone.clone(), line);
                    judged.push(candidate);
                }
            },
            Err(errors) => report.errors.extend(errors),
        }
    }

    let existing = existing_codes(conn, vault, &judged).await?;
    let mut candidates = Vec::with_capacity(judged.len());
    for candidate in judged {
        match existing.get(&vault.phone_index(&candidate.personal.phone)) {
            Some(code) => report.skipped.push(ImportSkip {
                line: candidate.line,
                reason: format!("Số điện thoại đã có trong hệ thống ({code})"),
            }),
            None => candidates.push(candidate),
        }
    }
    report.skipped.sort_by_key(|s| s.line);
    report.valid = candidates.len() as u64;
    Ok(Plan {
        report,
        candidates,
        sha256: hex::encode(Sha256::digest(request.csv.as_bytes())),
    })
}

fn defaults(lookups: &Lookups, request: &ImportRequest) -> Result<Defaults, ApiError> {
    let service_type_id = match request.default_service_type.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(lookups.service_type(raw).ok_or_else(|| {
            ApiError::validation(
                "default_service_type",
                format!("Không có dịch vụ \"{raw}\" đang hoạt động"),
            )
        })?),
    };
    let source = match request.default_source.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(Lookups::source(raw).ok_or_else(|| {
            ApiError::validation("default_source", format!("Nguồn \"{raw}\" không hợp lệ"))
        })?),
    };
    Ok(Defaults {
        service_type_id,
        source,
    })
}

/// Blind phone index → code of the first contact holding that phone.
async fn existing_codes(
    conn: &impl ConnectionTrait,
    vault: &Vault,
    candidates: &[Candidate],
) -> Result<HashMap<String, String>, ApiError> {
    let indexes: Vec<String> = candidates
        .iter()
        .map(|c| vault.phone_index(&c.personal.phone))
        .collect();
    let mut found = HashMap::new();
    for chunk in indexes.chunks(LOOKUP_CHUNK) {
        let rows = contact::Entity::find()
            .filter(contact::Column::PhoneIndex.is_in(chunk.to_vec()))
            .order_by_asc(contact::Column::Id)
            .all(conn)
            .await?;
        // Oldest first: the first contact holding a phone names it.
        for row in rows {
            found.entry(row.phone_index).or_insert(row.code);
        }
    }
    Ok(found)
}
