//! Attachments (SRS 4.13): ID cards and contracts on contacts and deals. The accepted
//! types live here so the upload form checks what the server will check.

use serde::{Deserialize, Serialize};

/// The default upload limit (`ANKHANG_ATTACHMENT_MAX_BYTES`): 10 MiB.
pub const ATTACHMENT_DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// The multipart field that carries the file, and the name errors give it.
pub const ATTACHMENT_FIELD: &str = "file";

/// Accepted content types (as detected from the file's first bytes by the server),
/// their Vietnamese names and the extensions a browser's file picker offers. The old
/// binary Office formats (DOC/XLS) are left out on purpose: their container (OLE2) is
/// also that of Windows installers (MSI), which a first-bytes check cannot tell apart.
pub const ATTACHMENT_TYPES: &[(&str, &str, &[&str])] = &[
    ("application/pdf", "PDF", &["pdf"]),
    ("image/jpeg", "Ảnh JPEG", &["jpg", "jpeg"]),
    ("image/png", "Ảnh PNG", &["png"]),
    ("image/webp", "Ảnh WebP", &["webp"]),
    ("image/heif", "Ảnh HEIC", &["heic", "heif"]),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
        &["docx"],
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel",
        &["xlsx"],
    ),
];

/// The Vietnamese name of a content type (the type itself when unknown).
pub fn attachment_type_label(content_type: &str) -> &str {
    ATTACHMENT_TYPES
        .iter()
        .find(|(mime, _, _)| *mime == content_type)
        .map_or(content_type, |(_, name, _)| name)
}

/// Whether a file name's extension is one the server may accept (the client's early
/// check; the server decides by content).
pub fn attachment_extension_allowed(file_name: &str) -> bool {
    let Some((_, ext)) = file_name.rsplit_once('.') else {
        return false;
    };
    let ext = ext.to_ascii_lowercase();
    ATTACHMENT_TYPES
        .iter()
        .any(|(_, _, exts)| exts.contains(&ext.as_str()))
}

/// `2048` → `2 KB`, `1572864` → `1,5 MB` (Vietnamese decimal comma).
pub fn format_file_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    if bytes < MB {
        format!("{} KB", bytes.div_ceil(KB).max(1))
    } else {
        let tenths = (bytes * 10 + MB / 2) / MB;
        match tenths % 10 {
            0 => format!("{} MB", tenths / 10),
            d => format!("{},{d} MB", tenths / 10),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentDto {
    pub id: i64,
    pub contact_id: i64,
    pub deal_id: Option<i64>,
    pub file_name: String,
    /// Detected from the content, not taken from the browser.
    pub content_type: String,
    pub size_bytes: u64,
    pub uploaded_by: i64,
    pub uploaded_by_name: Option<String>,
    pub created_at: String,
    /// `GET` it with the session to receive the decrypted file.
    pub download_url: String,
    /// The caller may delete it (uploader or administrator, with edit rights).
    pub can_delete: bool,
}

/// A record's attachments, and the upload limit the server applies now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentList {
    pub items: Vec<AttachmentDto>,
    pub max_bytes: u64,
    /// The caller may add files to this record now.
    pub can_upload: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_kilobytes_then_megabytes() {
        assert_eq!(format_file_size(1), "1 KB");
        assert_eq!(format_file_size(2048), "2 KB");
        assert_eq!(format_file_size(1024 * 1024), "1 MB");
        assert_eq!(format_file_size(1572864), "1,5 MB");
    }

    #[test]
    fn extensions_are_checked_without_case() {
        assert!(attachment_extension_allowed("CCCD Nguyễn Văn A.JPG"));
        assert!(attachment_extension_allowed("hop-dong.docx"));
        assert!(!attachment_extension_allowed("setup.exe"));
        assert!(!attachment_extension_allowed("README"));
    }
}
