//! Parse, don't validate: input newtypes whose `parse` returns the Vietnamese error
//! naming the field.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use unicode_normalization::UnicodeNormalization;

use crate::error::ApiError;

/// Trims, normalises to NFC (Vietnamese typed on some keyboards arrives decomposed)
/// and refuses control characters.
pub fn clean_text(
    field: &str,
    raw: &str,
    max_chars: usize,
    label: &str,
) -> Result<String, ApiError> {
    let text: String = raw.trim().nfc().collect();
    if text.chars().any(|c| c.is_control()) {
        return Err(ApiError::validation(
            field,
            format!("{label} chứa ký tự không hợp lệ"),
        ));
    }
    if text.chars().count() > max_chars {
        return Err(ApiError::validation(
            field,
            format!("{label} không được dài quá {max_chars} ký tự"),
        ));
    }
    Ok(text)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(field: &str, raw: &str) -> Result<Self, ApiError> {
        let name = raw.trim().to_lowercase();
        if name.is_empty() {
            return Err(ApiError::validation(field, "Vui lòng nhập tên đăng nhập"));
        }
        let valid_chars = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
        if !(3..=64).contains(&name.len()) || !valid_chars {
            return Err(ApiError::validation(
                field,
                "Tên đăng nhập dài 3–64 ký tự, chỉ gồm chữ không dấu, số và . _ -",
            ));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullName(String);

impl FullName {
    pub fn parse(field: &str, raw: &str) -> Result<Self, ApiError> {
        let name = clean_text(field, raw, 120, "Họ tên")?;
        if name.is_empty() {
            return Err(ApiError::validation(field, "Vui lòng nhập họ tên"));
        }
        Ok(Self(name))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self, ApiError> {
        let email = clean_text(field, raw, 254, "Email")?.to_lowercase();
        let invalid = || ApiError::validation(field, "Email không đúng định dạng");
        let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || email.contains(char::is_whitespace) || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(email))
    }

    /// An optional email field: absent or blank means none.
    pub fn parse_optional(field: &str, raw: Option<&str>) -> Result<Option<Self>, ApiError> {
        match raw.map(str::trim) {
            None | Some("") => Ok(None),
            Some(value) => Self::parse(field, value).map(Some),
        }
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A Vietnamese phone number, normalised to its national form: `0` + 9 digits for
/// mobiles (03x, 05x, 07x, 08x, 09x) or `02` + 9 digits for landlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(field: &str, raw: &str) -> Result<Self, ApiError> {
        let invalid = || ApiError::validation(field, "Số điện thoại không đúng định dạng");
        let compact: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
            .collect();
        let national = if let Some(rest) = compact.strip_prefix("+84") {
            format!("0{rest}")
        } else if compact.starts_with("84") && (11..=12).contains(&compact.len()) {
            format!("0{}", &compact[2..])
        } else {
            compact
        };
        if !national.chars().all(|c| c.is_ascii_digit()) {
            return Err(invalid());
        }
        let bytes = national.as_bytes();
        let mobile = bytes.len() == 10 && bytes[0] == b'0' && b"35789".contains(&bytes[1]);
        let landline = bytes.len() == 11 && national.starts_with("02");
        if !(mobile || landline) {
            return Err(invalid());
        }
        Ok(Self(national))
    }

    pub fn parse_optional(field: &str, raw: Option<&str>) -> Result<Option<Self>, ApiError> {
        match raw.map(str::trim) {
            None | Some("") => Ok(None),
            Some(value) => Self::parse(field, value).map(Some),
        }
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// An optional short free-text field (position, region…): blank means none.
pub fn optional_text(
    field: &str,
    raw: Option<&str>,
    max_chars: usize,
    label: &str,
) -> Result<Option<String>, ApiError> {
    match raw {
        None => Ok(None),
        Some(value) => {
            Ok(Some(clean_text(field, value, max_chars, label)?).filter(|v| !v.is_empty()))
        }
    }
}

/// A catalogue code (products, coupons): 2–`max` characters of upper-case ASCII letters,
/// digits, `-` and `_`; typed lower case is accepted and upper-cased.
pub fn catalogue_code(field: &str, raw: &str, max: usize, label: &str) -> Result<String, ApiError> {
    let code = raw.trim().to_uppercase();
    let ok = (2..=max).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(code)
    } else {
        Err(ApiError::validation(
            field,
            format!("{label} dài 2–{max} ký tự, chỉ gồm chữ không dấu, số, - và _"),
        ))
    }
}

/// A calendar date `YYYY-MM-DD` between 2000 and 2100.
pub fn date(field: &str, raw: &str, label: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2100).contains(&d.year()))
        .ok_or_else(|| {
            ApiError::validation(
                field,
                format!("{label} không hợp lệ (định dạng YYYY-MM-DD)"),
            )
        })
}

/// Today on the Vietnamese calendar (UTC+7), where business days begin.
pub fn today_in_vietnam(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Ho_Chi_Minh).date_naive()
}

/// The instant a day begins in Vietnam.
pub fn vietnam_midnight(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    // Vietnam has no daylight saving: every local midnight exists exactly once.
    Ho_Chi_Minh
        .from_local_datetime(&midnight)
        .single()
        .map_or_else(
            || Utc.from_utc_datetime(&midnight),
            |t| t.with_timezone(&Utc),
        )
}

/// `2026-11-25` → `25/11/2026`, as users read dates.
pub fn display_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// An amount of VND within `0..=MAX_AMOUNT`.
pub fn money(field: &str, amount: i64, label: &str) -> Result<i64, ApiError> {
    if (0..=api_types::MAX_AMOUNT).contains(&amount) {
        Ok(amount)
    } else {
        Err(ApiError::validation(
            field,
            format!(
                "{label} phải từ 0 đến {}",
                api_types::format_vnd(api_types::MAX_AMOUNT)
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lowercased_and_restricted() {
        assert_eq!(
            Username::parse("u", " Sale.01 ")
                .map(Username::into_inner)
                .ok(),
            Some("sale.01".into())
        );
        for bad in ["", "ab", "nguyễn", "a b c", &"x".repeat(65)] {
            assert!(Username::parse("u", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_are_nfc_and_bounded() {
        let decomposed = "Nguye\u{302}\u{303}n";
        assert_eq!(
            FullName::parse("n", decomposed)
                .map(FullName::into_inner)
                .ok(),
            Some("Nguyễn".into())
        );
        assert!(FullName::parse("n", "a\u{0}b").is_err());
        assert!(FullName::parse("n", &"á".repeat(121)).is_err());
        assert!(FullName::parse("n", "   ").is_err());
    }

    #[test]
    fn emails_are_checked() {
        assert!(Email::parse("e", "An@Example.vn").is_ok_and(|e| e.0 == "an@example.vn"));
        for bad in ["a", "a@b", "@b.vn", "a b@c.vn", "a@.vn"] {
            assert!(Email::parse("e", bad).is_err(), "{bad}");
        }
        assert!(matches!(Email::parse_optional("e", Some(" ")), Ok(None)));
    }

    #[test]
    fn vietnamese_phones_are_normalised() {
        for (raw, want) in [
            ("0912 345 678", "0912345678"),
            ("+84 912.345.678", "0912345678"),
            ("84912345678", "0912345678"),
            ("(028) 3823-4567", "02838234567"),
        ] {
            assert_eq!(
                Phone::parse("p", raw)
                    .map(Phone::into_inner)
                    .ok()
                    .as_deref(),
                Some(want),
                "{raw}"
            );
        }
        for bad in [
            "",
            "12345",
            "0112345678",
            "09123456789",
            "09l2345678",
            "+1 555 0100",
        ] {
            assert!(Phone::parse("p", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_dates_and_money_name_the_field() {
        assert_eq!(
            catalogue_code("code", " tldn-7 ", 32, "Mã").ok(),
            Some("TLDN-7".into())
        );
        assert!(catalogue_code("code", "mã", 32, "Mã").is_err());
        assert!(catalogue_code("code", "A", 32, "Mã").is_err());
        assert_eq!(
            date("closed_on", "2026-11-25", "Ngày").ok(),
            NaiveDate::from_ymd_opt(2026, 11, 25)
        );
        for bad in ["25/11/2026", "2026-02-30", "1999-12-31", ""] {
            assert!(date("closed_on", bad, "Ngày").is_err(), "{bad}");
        }
        assert!(money("base_price", -1, "Giá").is_err());
        assert_eq!(money("base_price", 1_500_000, "Giá").ok(), Some(1_500_000));
        let late_evening_utc = "2026-11-24T17:30:00Z".parse().expect("test value");
        assert_eq!(
            today_in_vietnam(late_evening_utc),
            NaiveDate::from_ymd_opt(2026, 11, 25).expect("test value")
        );
        assert_eq!(
            display_date(NaiveDate::from_ymd_opt(2026, 1, 5).expect("test value")),
            "05/01/2026"
        );
    }
}
