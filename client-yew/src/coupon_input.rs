//! The coupon form's values turned into the server's request, how a coupon's value
//! reads, and the assignee search.

use std::collections::BTreeSet;

use api_types::{CouponDto, CouponRequest, PersonRef, format_vnd};

use crate::form::FormError;
use crate::{format, money, text};

/// What the form's inputs hold, as typed.
pub struct CouponInput<'a> {
    pub code: &'a str,
    pub description: &'a str,
    /// `percent` | `fixed`.
    pub kind: &'a str,
    pub value: &'a str,
    /// `2026-12-31`.
    pub expires_on: &'a str,
    /// Empty: no limit.
    pub max_uses: &'a str,
    pub active: bool,
    pub assignee_ids: &'a BTreeSet<i64>,
}

impl CouponInput<'_> {
    pub fn request(&self) -> Result<CouponRequest, FormError> {
        if self.code.trim().is_empty() {
            return Err(FormError::field("code", text::COUPON_CODE_REQUIRED));
        }
        let value = if self.kind == "percent" {
            self.value
                .trim()
                .trim_end_matches('%')
                .trim_end()
                .parse::<i64>()
                .ok()
                .filter(|pct| (1..=100).contains(pct))
                .ok_or_else(|| FormError::field("value", text::PERCENT_INVALID))?
        } else {
            money::parse(self.value)
                .filter(|amount| *amount > 0)
                .ok_or_else(|| FormError::field("value", text::FIXED_INVALID))?
        };
        if format::vietnam_day(self.expires_on).is_none() {
            return Err(FormError::field("expires_on", text::EXPIRY_REQUIRED));
        }
        let max_uses = match self.max_uses.trim() {
            "" => None,
            typed => Some(
                typed
                    .parse::<i32>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| FormError::field("max_uses", text::MAX_USES_INVALID))?,
            ),
        };
        if self.assignee_ids.is_empty() {
            return Err(FormError::field("assignee_ids", text::ASSIGNEES_REQUIRED));
        }
        Ok(CouponRequest {
            code: self.code.trim().to_uppercase(),
            description: Some(self.description.trim().to_owned()).filter(|d| !d.is_empty()),
            kind: self.kind.to_owned(),
            value,
            expires_on: self.expires_on.to_owned(),
            max_uses,
            active: self.active,
            assignee_ids: self.assignee_ids.iter().copied().collect(),
        })
    }
}

/// `10%` or `500.000 ₫`.
pub fn value_label(kind: &str, value: i64) -> String {
    if kind == "percent" {
        format!("{value}%")
    } else {
        format_vnd(value)
    }
}

/// The value input's starting text for a saved coupon.
pub fn value_input(coupon: &CouponDto) -> String {
    if coupon.kind == "percent" {
        coupon.value.to_string()
    } else {
        money::grouped(coupon.value)
    }
}

/// Whether an employee matches what was typed in the assignee search: name, username or
/// team, ignoring case and Vietnamese accents ("nguyen" finds "Nguyễn").
pub fn assignee_matches(person: &PersonRef, typed: &str) -> bool {
    let wanted = fold(typed.trim());
    if wanted.is_empty() {
        return true;
    }
    [
        Some(person.full_name.as_str()),
        Some(person.username.as_str()),
        person.team_name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .any(|field| fold(field).contains(&wanted))
}

/// Lower case without accents.
fn fold(value: &str) -> String {
    const GROUPS: &[(&str, char)] = &[
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ùúủũụưừứửữự", 'u'),
        ("ỳýỷỹỵ", 'y'),
        ("đ", 'd'),
    ];
    value
        .to_lowercase()
        .chars()
        .map(|ch| {
            GROUPS
                .iter()
                .find(|(accented, _)| accented.contains(ch))
                .map_or(ch, |(_, plain)| *plain)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(kind: &'a str, value: &'a str, ids: &'a BTreeSet<i64>) -> CouponInput<'a> {
        CouponInput {
            code: " sale2026 ",
            description: "",
            kind,
            value,
            expires_on: "2026-12-31",
            max_uses: "",
            active: true,
            assignee_ids: ids,
        }
    }

    #[test]
    fn values_are_read_by_kind() {
        let ids = BTreeSet::from([5, 3]);
        let Ok(percent) = input("percent", "10 %", &ids).request() else {
            panic!("10% is a percentage");
        };
        assert_eq!((percent.code.as_str(), percent.value), ("SALE2026", 10));
        assert_eq!(percent.assignee_ids, [3, 5]);
        assert_eq!(percent.max_uses, None);
        let Ok(fixed) = input("fixed", "500.000", &ids).request() else {
            panic!("an amount");
        };
        assert_eq!(fixed.value, 500_000);
    }

    #[test]
    fn bad_values_are_named_before_sending() {
        let none = BTreeSet::from([1]);
        let field = |i: CouponInput<'_>| i.request().err().and_then(|e| e.field);
        assert_eq!(field(input("percent", "101", &none)), Some("value"));
        assert_eq!(field(input("percent", "0", &none)), Some("value"));
        assert_eq!(field(input("fixed", "0", &none)), Some("value"));
        let mut undated = input("fixed", "1.000", &none);
        undated.expires_on = "";
        assert_eq!(field(undated), Some("expires_on"));
        let mut limited = input("fixed", "1.000", &none);
        limited.max_uses = "-2";
        assert_eq!(field(limited), Some("max_uses"));
        let nobody = BTreeSet::new();
        assert_eq!(field(input("percent", "10", &nobody)), Some("assignee_ids"));
    }

    #[test]
    fn values_read_as_percent_or_money() {
        assert_eq!(value_label("percent", 10), "10%");
        assert_eq!(value_label("fixed", 500_000), "500.000 ₫");
    }

    #[test]
    fn assignee_search_ignores_case_and_accents() {
        let person = PersonRef {
            id: 1,
            full_name: "Nguyễn Thị Hồng".into(),
            username: "sale01".into(),
            team_name: Some("Đội Hà Nội".into()),
        };
        assert!(assignee_matches(&person, ""));
        assert!(assignee_matches(&person, "nguyen thi"));
        assert!(assignee_matches(&person, "HỒNG"));
        assert!(assignee_matches(&person, "SALE0"));
        assert!(assignee_matches(&person, "doi ha noi"));
        assert!(!assignee_matches(&person, "tran"));
    }
}
