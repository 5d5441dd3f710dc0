//! Parse, don't validate: input newtypes whose `parse` returns the Vietnamese error
//! naming the field.

use unicode_normalization::UnicodeNormalization;

use crate::error::ApiError;

/// Trims, normalises to NFC (Vietnamese typed on some keyboards arrives decomposed)
/// and refuses control characters.
fn clean_text(field: &str, raw: &str, max_chars: usize, label: &str) -> Result<String, ApiError> {
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
}
