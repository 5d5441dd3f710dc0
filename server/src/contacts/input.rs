//! Parsing contact forms into validated values.

use entities::service_type;
use sea_orm::{ConnectionTrait, EntityTrait};

use super::vault::Personal;
use crate::{
    domain::{Email, FullName, Phone, clean_text},
    error::ApiError,
};

pub const MAX_NOTE: usize = 2000;

pub fn personal(
    full_name: &str,
    phone: &str,
    email: Option<&str>,
    note: Option<&str>,
) -> Result<Personal, ApiError> {
    let note = match note {
        Some(n) => Some(clean_note("note", n)?).filter(|n| !n.is_empty()),
        None => None,
    };
    Ok(Personal {
        full_name: FullName::parse("full_name", full_name)?.into_inner(),
        phone: Phone::parse("phone", phone)?.into_inner(),
        email: Email::parse_optional("email", email)?.map(Email::into_inner),
        note,
    })
}

/// Free text keeps its line breaks but nothing else invisible.
pub fn clean_note(field: &str, raw: &str) -> Result<String, ApiError> {
    let lines: Result<Vec<String>, ApiError> = raw
        .lines()
        .map(|line| clean_text(field, line, MAX_NOTE, "Nội dung"))
        .collect();
    let text = lines?.join("\n").trim().to_owned();
    if text.chars().count() > MAX_NOTE {
        return Err(ApiError::validation(
            field,
            format!("Nội dung không được dài quá {MAX_NOTE} ký tự"),
        ));
    }
    Ok(text)
}

pub fn source(raw: &str) -> Result<String, ApiError> {
    if api_types::SOURCES.iter().any(|(code, _)| *code == raw) {
        Ok(raw.to_owned())
    } else {
        Err(ApiError::validation(
            "source",
            "Nguồn khách hàng không hợp lệ",
        ))
    }
}

/// An active service type, for new contacts and edits.
pub async fn service_type(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<service_type::Model, ApiError> {
    service_type::Entity::find_by_id(id)
        .one(conn)
        .await?
        .filter(|st| st.active)
        .ok_or_else(|| {
            ApiError::validation("service_type_id", "Loại dịch vụ không tồn tại hoặc đã ẩn")
        })
}
