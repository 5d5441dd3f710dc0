//! Money as people type it. Vietnamese writes thousands with dots ("1.500.000"), so an
//! amount input accepts dots, spaces and a trailing "₫"/"đ", and shows what it will save.

use api_types::{MAX_AMOUNT, format_vnd};

/// `"1.500.000"`, `"1 500 000 ₫"`, `"1500000"` → `1500000`. `None` for an empty, signed,
/// fractional (a comma is the Vietnamese decimal mark) or too large amount.
pub fn parse(typed: &str) -> Option<i64> {
    let trimmed = typed
        .trim()
        .trim_end_matches(['₫', 'đ', 'Đ'])
        .trim_end()
        .to_lowercase();
    let digits = trimmed.strip_suffix("vnd").unwrap_or(&trimmed).trim_end();
    if digits.is_empty() {
        return None;
    }
    let mut amount: i64 = 0;
    for ch in digits.chars() {
        match ch {
            '.' | ' ' | '\u{a0}' => {}
            '0'..='9' => {
                let digit = i64::from(ch as u8 - b'0');
                amount = amount.checked_mul(10)?.checked_add(digit)?;
            }
            _ => return None,
        }
    }
    (amount <= MAX_AMOUNT).then_some(amount)
}

/// `1500000` → `"1.500.000"`, the form an amount input is filled with.
pub fn grouped(amount: i64) -> String {
    format_vnd(amount)
        .trim_end_matches('₫')
        .trim_end()
        .to_owned()
}

/// What a typed amount will be saved as (`"1.500.000 ₫"`), for the hint under the input;
/// `None` while nothing readable is typed.
pub fn echo(typed: &str) -> Option<String> {
    parse(typed).map(format_vnd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_amounts_grouped_with_dots_or_spaces() {
        assert_eq!(parse("1.500.000"), Some(1_500_000));
        assert_eq!(parse("1500000"), Some(1_500_000));
        assert_eq!(parse(" 1 500 000 ₫ "), Some(1_500_000));
        assert_eq!(parse("2.000.000đ"), Some(2_000_000));
        assert_eq!(parse("750000 VND"), Some(750_000));
        assert_eq!(parse("0"), Some(0));
    }

    #[test]
    fn refuses_what_is_not_a_whole_amount_of_dong() {
        assert_eq!(parse(""), None);
        assert_eq!(parse("  "), None);
        assert_eq!(parse("1,5"), None);
        assert_eq!(parse("-200"), None);
        assert_eq!(parse("12a"), None);
        assert_eq!(parse("₫"), None);
        assert_eq!(parse("99999999999999999999"), None);
        assert_eq!(parse("1.000.000.000.000.001"), None);
        assert_eq!(parse("1.000.000.000.000.000"), Some(MAX_AMOUNT));
    }

    #[test]
    fn fills_inputs_with_grouped_digits() {
        assert_eq!(grouped(1_500_000), "1.500.000");
        assert_eq!(grouped(0), "0");
        assert_eq!(parse(&grouped(123_456_789)), Some(123_456_789));
        assert_eq!(echo("3000000").as_deref(), Some("3.000.000 ₫"));
        assert_eq!(echo("abc"), None);
    }
}
