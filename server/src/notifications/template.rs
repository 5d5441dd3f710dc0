//! Rule templates: `{{placeholder}}` syntax, checked when a rule is saved and rendered
//! per event. The contact's name is personal data, so rendering leaves it as the
//! placeholder [`NAME_SLOT`]; stored titles and bodies never hold it, and it is filled
//! in only in memory, when the message is sent or read (`resolve_name`).

use std::collections::HashMap;

use api_types::PLACEHOLDERS;

use crate::error::ApiError;

/// Where the contact's name goes in stored text.
pub const NAME_SLOT: &str = "{{contact.name}}";
const NAME: &str = "contact.name";

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Slot(&'a str),
}

/// Splits a template into text and placeholders, refusing an unclosed `{{` or an
/// unknown placeholder with a Vietnamese message naming `field`.
fn pieces<'a>(field: &str, template: &'a str) -> Result<Vec<Piece<'a>>, ApiError> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(ApiError::validation(
                field,
                "Thiếu \"}}\" để đóng một biến \"{{…}}\"",
            ));
        };
        let name = after[..end].trim();
        if !PLACEHOLDERS.iter().any(|(known, _)| *known == name) {
            return Err(ApiError::validation(
                field,
                format!(
                    "Biến \"{{{{{name}}}}}\" không tồn tại. Các biến dùng được: {}",
                    PLACEHOLDERS
                        .iter()
                        .map(|(p, _)| format!("{{{{{p}}}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        out.push(Piece::Slot(name));
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// Checks a template's placeholders (the rule form and preview).
pub fn check(field: &str, template: &str) -> Result<(), ApiError> {
    pieces(field, template).map(|_| ())
}

/// Values for the placeholders of one event (the name excepted).
#[derive(Debug, Clone, Default)]
pub struct Values(HashMap<&'static str, String>);

impl Values {
    pub fn set(&mut self, placeholder: &'static str, value: impl Into<String>) {
        // A value never opens a placeholder of its own: only the template's slots are
        // filled in later.
        self.0.insert(
            placeholder,
            value.into().replace("{{", "{").replace("}}", "}"),
        );
    }

    fn get(&self, placeholder: &str) -> &str {
        self.0.get(placeholder).map_or("", String::as_str)
    }
}

/// Renders a template checked by [`check`]; the contact's name stays [`NAME_SLOT`].
/// A template that no longer parses (it was checked when saved) renders as written.
pub fn render(template: &str, values: &Values) -> String {
    let Ok(pieces) = pieces("template", template) else {
        return template.to_owned();
    };
    let mut out = String::with_capacity(template.len() + 32);
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Slot(NAME) => out.push_str(NAME_SLOT),
            Piece::Slot(name) => out.push_str(values.get(name)),
        }
    }
    out
}

/// Stored text with the contact's name filled in (in memory only).
pub fn resolve_name(stored: &str, name: &str) -> String {
    stored.replace(NAME_SLOT, name)
}

/// Stored text for readers who are not shown the name (the admin's delivery list).
pub fn conceal_name(stored: &str) -> String {
    stored.replace(NAME_SLOT, "(tên khách hàng)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(result: Result<(), ApiError>) -> Option<(String, String)> {
        match result {
            Err(ApiError::Validation { field, message }) => Some((field, message)),
            _ => None,
        }
    }

    #[test]
    fn known_placeholders_pass_and_unknown_ones_are_named() {
        assert!(check("template_body", "KH {{contact.code}} – {{ sale.name }}").is_ok());
        let (field, message) =
            field_of(check("template_body", "Xin chào {{contact.phone}}")).expect("refused");
        assert_eq!(field, "template_body");
        assert!(message.contains("{{contact.phone}}"), "{message}");
        assert!(message.contains("{{contact.code}}"), "{message}");
        let (field, _) = field_of(check("template_title", "Mới: {{contact.code")).expect("open");
        assert_eq!(field, "template_title");
    }

    #[test]
    fn rendering_fills_values_and_keeps_the_name_as_a_slot() {
        let mut values = Values::default();
        values.set("contact.code", "KH2026-007");
        values.set("actor.name", "Tổng đài {{contact.name}}");
        let stored = render(
            "{{contact.code}}: {{contact.name}} ({{deal.code}}) bởi {{actor.name}}",
            &values,
        );
        assert_eq!(
            stored,
            "KH2026-007: {{contact.name}} () bởi Tổng đài {contact.name}"
        );
        assert_eq!(
            resolve_name(&stored, "Nguyễn Văn An"),
            "KH2026-007: Nguyễn Văn An () bởi Tổng đài {contact.name}"
        );
        assert_eq!(
            conceal_name(&stored),
            "KH2026-007: (tên khách hàng) () bởi Tổng đài {contact.name}"
        );
    }
}
