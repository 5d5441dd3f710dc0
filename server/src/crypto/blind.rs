//! Keyed blind indexes: HMAC-SHA256 of normalised values, so equality search works on
//! encrypted columns without revealing the values (or letting a guesser with the
//! database but not the key confirm a phone number).

use hmac::{Hmac, Mac};
use sha2::Sha256;
use unicode_normalization::UnicodeNormalization;

pub struct BlindIndex {
    key: [u8; 32],
}

impl BlindIndex {
    pub fn new(key: [u8; 32]) -> Self {
        Self { key }
    }

    /// HMAC-SHA256 of `domain`, a NUL and `value`: one keyed hash per purpose.
    pub fn mac(&self, domain: &str, value: &str) -> String {
        // HMAC accepts keys of any length, so this cannot fail.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
            unreachable!("HMAC takes any key length");
        };
        mac.update(domain.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Index of an already normalised phone number.
    pub fn phone(&self, normalised: &str) -> String {
        self.mac("phone", normalised)
    }

    /// One index per distinct word of a name, without diacritics and case:
    /// "Nguyễn Văn Đức" → nguyen, van, duc.
    pub fn name_tokens(&self, name: &str) -> Vec<String> {
        let mut words = words(name);
        words.sort();
        words.dedup();
        words.iter().map(|w| self.mac("name", w)).collect()
    }
}

/// Lower-case words of `text` with Vietnamese diacritics removed.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Lower case, Vietnamese diacritics removed: what people type when searching.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_without_diacritics_or_case() {
        assert_eq!(words("Nguyễn  Văn Đức"), ["nguyen", "van", "duc"]);
        let index = BlindIndex::new([1; 32]);
        let stored = index.name_tokens("Nguyễn Văn Đức");
        for query in words("nguyen VAN") {
            assert!(stored.contains(&index.mac("name", &query)));
        }
        assert_ne!(
            index.phone("0912345678"),
            BlindIndex::new([2; 32]).phone("0912345678")
        );
    }
}
