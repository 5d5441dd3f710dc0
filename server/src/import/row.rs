//! One sheet row into a validated lead, or every reason it cannot be one. Rows are
//! judged alone here; whether the phone already exists is decided with the database.

use std::collections::{BTreeMap, HashMap};

use api_types::{IMPORT_FIELDS, ImportRowError, SOURCES, STATUSES};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use entities::{service_type, team, user};

use super::columns::normalise;
use crate::{
    contacts::{input, routes::History, status::Status, vault::Personal},
    domain::{Email, FullName, Phone},
    error::ApiError,
};

/// A row ready to store, with its line in the sheet.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub line: u64,
    pub personal: Personal,
    pub service_type_id: i64,
    pub source: String,
    pub history: History,
}

/// What rows refer to by name — service types, staff and teams — with each name
/// folded once here rather than again for every row of a large sheet.
pub struct Lookups {
    /// Active service types: (id, folded code, folded name).
    service_types: Vec<(i64, String, String)>,
    /// Staff with their folded full name.
    users: Vec<(user::Model, String)>,
    /// (id, folded name)
    teams: Vec<(i64, String)>,
}

/// Source names people wrote in the old sheets (SRS 4.3.3), folded.
const SOURCE_ALIASES: &[(&str, &str)] = &[
    ("ladi zalo", "ladi_zalo"),
    ("ladi hotline", "ladi_hotline"),
    ("facebook messenger", "fb_mess"),
    ("fb messenger", "fb_mess"),
    ("messenger", "fb_mess"),
    ("facebook hotline", "fb_hotline"),
    ("fb hotline", "fb_hotline"),
    ("google ads", "google"),
    ("gioi thieu", "referral"),
    ("khac", "other"),
];

/// Status names of the old sheets, folded.
const STATUS_ALIASES: &[(&str, Status)] = &[
    ("thanh cong", Status::Won),
    ("da chot", Status::Won),
    ("chot", Status::Won),
    ("dang tu van", Status::Consulting),
    ("tu van", Status::Consulting),
    ("that bai", Status::Failed),
    ("moi", Status::New),
    ("dong", Status::Closed),
    ("cham soc l1", Status::CareL1),
    ("cham soc l2", Status::CareL2),
];

impl Lookups {
    pub fn new(
        service_types: Vec<service_type::Model>,
        users: Vec<user::Model>,
        teams: Vec<team::Model>,
    ) -> Self {
        Self {
            service_types: service_types
                .into_iter()
                .filter(|st| st.active)
                .map(|st| (st.id, key(&st.code), key(&st.name)))
                .collect(),
            users: users
                .into_iter()
                .map(|u| {
                    let name = key(&u.full_name);
                    (u, name)
                })
                .collect(),
            teams: teams.into_iter().map(|t| (t.id, key(&t.name))).collect(),
        }
    }

    /// An active service type by code (`TLDN`) or name, any case, with or without diacritics.
    pub fn service_type(&self, raw: &str) -> Option<i64> {
        let wanted = key(raw);
        self.service_types
            .iter()
            .find(|(_, code, name)| *code == wanted || *name == wanted)
            .map(|(id, _, _)| *id)
    }

    pub fn source(raw: &str) -> Option<String> {
        let wanted = key(raw);
        SOURCES
            .iter()
            .find(|(code, label)| *code == raw.trim() || key(label) == wanted)
            .map(|(code, _)| (*code).to_owned())
            .or_else(|| {
                SOURCE_ALIASES
                    .iter()
                    .find(|(alias, _)| *alias == wanted)
                    .map(|(_, code)| (*code).to_owned())
            })
    }

    fn status(raw: &str) -> Option<Status> {
        let wanted = key(raw);
        STATUSES
            .iter()
            .find(|(code, label)| *code == raw.trim() || key(label) == wanted)
            .and_then(|(code, _)| Status::parse(code))
            .or_else(|| {
                STATUS_ALIASES
                    .iter()
                    .find(|(alias, _)| *alias == wanted)
                    .map(|(_, s)| *s)
            })
    }

    /// A staff member by username, or by full name when exactly one person has it.
    fn user(&self, raw: &str) -> Result<&user::Model, String> {
        let wanted = raw.trim();
        if let Some((u, _)) = self
            .users
            .iter()
            .find(|(u, _)| u.username.eq_ignore_ascii_case(wanted))
        {
            return Ok(u);
        }
        let folded = key(wanted);
        let named: Vec<&user::Model> = self
            .users
            .iter()
            .filter(|(_, name)| *name == folded)
            .map(|(u, _)| u)
            .collect();
        match named.as_slice() {
            [one] => Ok(one),
            [] => Err(format!(
                "Không có nhân viên \"{wanted}\" (tên đăng nhập hoặc họ tên)"
            )),
            _ => Err(format!(
                "Có nhiều nhân viên tên \"{wanted}\": hãy ghi tên đăng nhập"
            )),
        }
    }

    fn team(&self, raw: &str) -> Option<i64> {
        let wanted = key(raw);
        self.teams
            .iter()
            .find(|(_, name)| *name == wanted)
            .map(|(id, _)| *id)
    }
}

/// A name as compared: the heading rule (folded, spaces collapsed), dashes as spaces
/// ("Landing page – Hotline" = "landing page hotline").
fn key(text: &str) -> String {
    normalise(&text.replace(['–', '-'], " "))
}

/// Defaults for columns a sheet does not have.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    pub service_type_id: Option<i64>,
    pub source: Option<String>,
}

pub fn label(field: &str) -> &'static str {
    IMPORT_FIELDS
        .iter()
        .find(|(f, _, _)| *f == field)
        .map_or("", |(_, label, _)| label)
}

/// Reads one record; `line` is its line in the sheet.
pub fn parse(
    line: u64,
    record: &csv::StringRecord,
    mapping: &BTreeMap<&'static str, usize>,
    lookups: &Lookups,
    defaults: &Defaults,
    now: DateTime<Utc>,
) -> Result<Candidate, Vec<ImportRowError>> {
    let cell = |field: &str| -> &str {
        mapping
            .get(field)
            .and_then(|&i| record.get(i))
            .map_or("", str::trim)
    };
    let mut errors = Vec::new();
    let mut fail = |field: &str, message: String| {
        errors.push(ImportRowError {
            line,
            field: label(field).to_owned(),
            message,
        });
    };

    let personal = read_personal(
        cell("full_name"),
        cell("phone"),
        cell("email"),
        cell("note"),
    );
    let personal = match personal {
        Ok(p) => Some(p),
        Err(errs) => {
            for (field, message) in errs {
                fail(field, message);
            }
            None
        }
    };

    let service_type_id = match (cell("service_type"), defaults.service_type_id) {
        ("", Some(id)) => Some(id),
        ("", None) => {
            fail("service_type", "Thiếu dịch vụ (loại nhu cầu)".into());
            None
        }
        (raw, _) => lookups.service_type(raw).or_else(|| {
            fail(
                "service_type",
                format!("Không có dịch vụ \"{raw}\" đang hoạt động (ghi mã hoặc tên)"),
            );
            None
        }),
    };
    let source = match (cell("source"), &defaults.source) {
        ("", Some(code)) => Some(code.clone()),
        ("", None) => {
            fail("source", "Thiếu nguồn khách hàng".into());
            None
        }
        (raw, _) => Lookups::source(raw).or_else(|| {
            fail("source", format!("Nguồn \"{raw}\" không hợp lệ"));
            None
        }),
    };
    let status = match cell("status") {
        "" => Some(Status::New),
        raw => Lookups::status(raw).or_else(|| {
            fail("status", format!("Trạng thái \"{raw}\" không hợp lệ"));
            None
        }),
    };
    let assignee = match cell("assignee") {
        "" => None,
        raw => match lookups.user(raw) {
            Ok(u) => Some(u),
            Err(message) => {
                fail("assignee", message);
                None
            }
        },
    };
    let team_id = match cell("team") {
        "" => assignee.and_then(|u| u.team_id),
        raw => lookups.team(raw).or_else(|| {
            fail("team", format!("Không có nhóm \"{raw}\""));
            None
        }),
    };
    let created_at = match cell("created_at") {
        "" => Some(now),
        raw => match vietnam_time(raw) {
            Some(at) if at > now => {
                fail("created_at", "Ngày tạo không được ở tương lai".into());
                None
            }
            Some(at) => Some(at),
            None => {
                fail(
                    "created_at",
                    format!(
                        "Ngày \"{raw}\" không đúng định dạng (dd/mm/yyyy hoặc dd/mm/yyyy hh:mm)"
                    ),
                );
                None
            }
        },
    };
    if let Some(status) = status {
        let needs_sale = matches!(status, Status::Consulting | Status::Won);
        if needs_sale && assignee.is_none() && cell("assignee").is_empty() {
            fail(
                "assignee",
                format!(
                    "Khách hàng \"{}\" cần người nhận",
                    api_types::label(STATUSES, status.code())
                ),
            );
        }
        if status == Status::New && assignee.is_some() {
            fail(
                "assignee",
                "Khách hàng Mới chưa có người nhận: bỏ trống cột này hoặc ghi trạng thái".into(),
            );
        }
    }
    match (personal, service_type_id, source, status, created_at) {
        (Some(personal), Some(service_type_id), Some(source), Some(status), Some(created_at))
            if errors.is_empty() =>
        {
            Ok(Candidate {
                line,
                personal,
                service_type_id,
                source,
                history: History {
                    status,
                    assignee_id: assignee.map(|u| u.id),
                    team_id,
                    created_at,
                },
            })
        }
        _ => Err(errors),
    }
}

/// Name, phone, email and note with the form's own rules, every bad one reported.
/// Sheets store phones as numbers, so a mobile number that lost its leading zero gets
/// it back.
fn read_personal(
    full_name: &str,
    phone: &str,
    email: &str,
    note: &str,
) -> Result<Personal, Vec<(&'static str, String)>> {
    let digits: String = phone.chars().filter(|c| !c.is_whitespace()).collect();
    let phone = if digits.len() == 9
        && digits.chars().all(|c| c.is_ascii_digit())
        && digits.starts_with(['3', '5', '7', '8', '9'])
    {
        format!("0{digits}")
    } else {
        phone.to_owned()
    };
    let mut errors = Vec::new();
    let full_name = keep(
        &mut errors,
        FullName::parse("full_name", full_name).map(FullName::into_inner),
    );
    let phone = keep(
        &mut errors,
        Phone::parse("phone", &phone).map(Phone::into_inner),
    );
    let email = keep(
        &mut errors,
        Email::parse_optional("email", Some(email)).map(|e| e.map(Email::into_inner)),
    );
    let note = keep(&mut errors, input::clean_note("note", note));
    match (full_name, phone, email, note) {
        (Some(full_name), Some(phone), Some(email), Some(note)) => Ok(Personal {
            full_name,
            phone,
            email,
            note: Some(note).filter(|n| !n.is_empty()),
        }),
        _ => Err(errors),
    }
}

/// The value, or its error noted under the import field it belongs to.
fn keep<T>(errors: &mut Vec<(&'static str, String)>, result: Result<T, ApiError>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(ApiError::Validation { field, message }) => {
            let field = IMPORT_FIELDS
                .iter()
                .find(|(f, _, _)| *f == field)
                .map_or("note", |(f, _, _)| *f);
            errors.push((field, message));
            None
        }
        Err(other) => {
            errors.push(("note", other.to_string()));
            None
        }
    }
}

/// A sheet date in Vietnamese local time: `dd/mm/yyyy[ hh:mm[:ss]]`, ISO day or RFC 3339.
fn vietnam_time(raw: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Some(at.with_timezone(&Utc));
    }
    let local = [
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
    .or_else(|| {
        ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
            .iter()
            .find_map(|f| NaiveDate::parse_from_str(raw, f).ok())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })?;
    Ho_Chi_Minh
        .from_local_datetime(&local)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// Phones seen earlier in the same file: line of first sight.
pub type SeenPhones = HashMap<String, u64>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_dates_are_vietnamese_local_time() {
        let at = vietnam_time("02/12/2026 08:30").expect("date");
        assert_eq!(at.to_rfc3339(), "2026-12-02T01:30:00+00:00");
        assert_eq!(
            vietnam_time("2026-01-05").expect("day").to_rfc3339(),
            "2026-01-04T17:00:00+00:00"
        );
        assert!(vietnam_time("32/01/2026").is_none());
    }

    #[test]
    fn a_phone_stored_as_a_number_gets_its_leading_zero_back() {
        let p = read_personal("Nguyễn An", "912345678", "", "").expect("personal");
        assert_eq!(p.phone, "0912345678");
        let errs = read_personal("", "12", "x@", "").expect_err("bad");
        let fields: Vec<&str> = errs.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["full_name", "phone", "email"]);
    }

    #[test]
    fn sources_and_statuses_accept_codes_names_and_old_sheet_words() {
        assert_eq!(Lookups::source("Ladi Zalo").as_deref(), Some("ladi_zalo"));
        assert_eq!(Lookups::source("fb_mess").as_deref(), Some("fb_mess"));
        assert_eq!(
            Lookups::source("Landing page – Hotline").as_deref(),
            Some("ladi_hotline")
        );
        assert_eq!(Lookups::source("Giới thiệu").as_deref(), Some("referral"));
        assert_eq!(Lookups::status("Thất bại"), Some(Status::Failed));
        assert_eq!(Lookups::status("that bai"), Some(Status::Failed));
        assert_eq!(Lookups::status("Chốt"), Some(Status::Won));
        assert_eq!(Lookups::status("??"), None);
    }
}
