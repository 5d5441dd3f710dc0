//! What a file is, from its first bytes (never the browser's `Content-Type` or the
//! name's extension), and a safe form of the name it was uploaded under.

use api_types::ATTACHMENT_TYPES;

/// How many leading bytes decide the type: enough for a DOCX/XLSX's first ZIP entries.
pub const SNIFF_LEN: usize = 64 * 1024;

/// The accepted content type of a file starting with `head`, or `None`.
pub fn content_type(head: &[u8]) -> Option<&'static str> {
    let detected = infer::get(head)?.mime_type();
    ATTACHMENT_TYPES
        .iter()
        .map(|(mime, _, _)| *mime)
        .find(|mime| *mime == detected)
}

/// The name shown and offered on download: no folders, no control characters, at most
/// 200 characters; a blank name becomes a neutral one.
pub fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    if cleaned.is_empty() {
        "tep-dinh-kem".to_owned()
    } else {
        cleaned
    }
}

/// `Content-Disposition` for a download: an ASCII fallback plus the exact UTF-8 name
/// (RFC 6266 / RFC 8187), so "CCCD Nguyễn Văn A.pdf" keeps its diacritics.
pub fn disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::with_capacity(name.len() * 3);
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_magic_bytes_and_only_listed_ones_pass() {
        assert_eq!(content_type(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(
            content_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("image/png")
        );
        assert_eq!(
            content_type(b"\xFF\xD8\xFF\xE0\0\x10JFIF"),
            Some("image/jpeg")
        );
        assert_eq!(content_type(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        // A Windows executable, an ELF binary, a shell script, plain text.
        assert_eq!(content_type(b"MZ\x90\0\x03\0\0\0\x04\0\0\0"), None);
        assert_eq!(content_type(b"\x7fELF\x02\x01\x01\0"), None);
        assert_eq!(content_type(b"#!/bin/sh\nrm -rf /\n"), None);
        assert_eq!(content_type(b"hello"), None);
    }

    #[test]
    fn names_lose_folders_and_control_characters() {
        assert_eq!(clean_name("C:\\Users\\a\\CCCD Lan.pdf"), "CCCD Lan.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\n.png"), "ab.png");
        assert_eq!(clean_name("  "), "tep-dinh-kem");
        assert_eq!(clean_name(".htaccess"), "htaccess");
    }

    #[test]
    fn download_names_keep_their_diacritics() {
        assert_eq!(
            disposition("Hợp đồng \"A\".pdf"),
            "attachment; filename=\"H_p __ng _A_.pdf\"; \
             filename*=UTF-8''H%E1%BB%A3p%20%C4%91%E1%BB%93ng%20%22A%22.pdf"
        );
    }
}
