//! Which column of the sheet feeds which contact field: by the heading the old Google
//! Sheets (and our own export) use, without diacritics or case, unless the user maps
//! it explicitly.

use std::collections::BTreeMap;

use api_types::IMPORT_FIELDS;

use crate::crypto::blind::fold;

/// Headings recognised for each field, already folded (no diacritics, lower case).
const ALIASES: &[(&str, &[&str])] = &[
    (
        "full_name",
        &[
            "ho ten",
            "ho va ten",
            "ten khach hang",
            "ten khach",
            "ten",
            "khach hang",
            "ten zalo",
            "name",
            "full name",
        ],
    ),
    (
        "phone",
        &[
            "so dien thoai",
            "sdt",
            "dien thoai",
            "so zalo",
            "zalo",
            "phone",
            "dt",
            "so dt",
        ],
    ),
    ("email", &["email", "e-mail", "mail"]),
    (
        "service_type",
        &[
            "dich vu",
            "loai nhu cau",
            "nhu cau",
            "loai dich vu",
            "service",
            "service type",
        ],
    ),
    (
        "source",
        &["nguon", "nguon lien he", "nguon khach", "kenh", "source"],
    ),
    ("note", &["ghi chu", "note", "notes", "thong tin bo sung"]),
    ("status", &["trang thai", "tinh trang", "status"]),
    (
        "assignee",
        &[
            "nguoi nhan",
            "nguoi tu van",
            "sale",
            "nhan vien",
            "nguoi phu trach",
            "assignee",
        ],
    ),
    ("team", &["nhom", "team", "team tu van", "doi"]),
    (
        "created_at",
        &[
            "ngay tao",
            "ngay",
            "thoi gian",
            "ngay nhap",
            "created at",
            "created",
        ],
    ),
];

/// A heading as compared: folded, trimmed, inner spaces collapsed.
pub fn normalise(heading: &str) -> String {
    fold(heading.trim_start_matches('\u{feff}'))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Field code → column index. `explicit` (field code → heading) wins over guessing;
/// an explicit heading missing from the file is an error naming it.
pub fn resolve(
    headings: &[String],
    explicit: &BTreeMap<String, String>,
) -> Result<BTreeMap<&'static str, usize>, (String, String)> {
    let folded: Vec<String> = headings.iter().map(|h| normalise(h)).collect();
    let mut mapping = BTreeMap::new();
    for (field, label, _) in IMPORT_FIELDS {
        if let Some(heading) = explicit.get(*field).filter(|h| !h.trim().is_empty()) {
            let wanted = normalise(heading);
            let index = folded.iter().position(|h| *h == wanted).ok_or_else(|| {
                (
                    (*field).to_owned(),
                    format!("Không có cột \"{heading}\" trong tệp để lấy {label}"),
                )
            })?;
            mapping.insert(*field, index);
            continue;
        }
        let aliases = ALIASES
            .iter()
            .find(|(f, _)| f == field)
            .map_or(&[][..], |(_, a)| *a);
        let taken: Vec<usize> = mapping.values().copied().collect();
        let found = aliases.iter().find_map(|alias| {
            folded
                .iter()
                .enumerate()
                .find(|(i, h)| *h == alias && !taken.contains(i))
                .map(|(i, _)| i)
        });
        if let Some(index) = found {
            mapping.insert(*field, index);
        }
    }
    for field in explicit.keys() {
        if !IMPORT_FIELDS.iter().any(|(f, _, _)| f == field) {
            return Err((
                field.clone(),
                format!("Trường \"{field}\" không có trong danh sách trường nhập"),
            ));
        }
    }
    Ok(mapping)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn sheet_and_export_headings_are_recognised_without_diacritics() {
        let sheet = headings(&[
            "\u{feff}Tên khách hàng",
            "SĐT",
            "Loại nhu cầu",
            "Nguồn liên hệ",
            "GHI CHÚ",
        ]);
        let m = resolve(&sheet, &BTreeMap::new()).expect("mapping");
        assert_eq!(m["full_name"], 0);
        assert_eq!(m["phone"], 1);
        assert_eq!(m["service_type"], 2);
        assert_eq!(m["source"], 3);
        assert_eq!(m["note"], 4);
        assert!(!m.contains_key("email"));
    }

    #[test]
    fn an_explicit_mapping_wins_and_a_missing_heading_is_named() {
        let sheet = headings(&["Khách", "Số máy"]);
        let explicit = BTreeMap::from([
            ("full_name".to_owned(), "Khách".to_owned()),
            ("phone".to_owned(), "số máy".to_owned()),
        ]);
        let m = resolve(&sheet, &explicit).expect("mapping");
        assert_eq!((m["full_name"], m["phone"]), (0, 1));
        let wrong = BTreeMap::from([("phone".to_owned(), "Điện thoại bàn".to_owned())]);
        let (field, message) = resolve(&sheet, &wrong).expect_err("missing");
        assert_eq!(field, "phone");
        assert!(message.contains("Điện thoại bàn"), "{message}");
    }
}
