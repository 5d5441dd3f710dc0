//! Form error state shared by the screens: one message, optionally tied to an input.

use yew::{AttrValue, Callback, UseStateHandle};

use crate::api::ApiError;
use crate::text;

#[derive(Debug, Clone, PartialEq)]
pub struct FormError {
    /// Server-side field name (`new_password`…) the message belongs to; `None` for the
    /// form as a whole.
    pub field: Option<&'static str>,
    pub message: AttrValue,
}

impl FormError {
    pub fn field(field: &'static str, message: &'static str) -> Self {
        Self {
            field: Some(field),
            message: AttrValue::Static(message),
        }
    }

    /// Keeps the server's `field` only when this form has such an input, so an
    /// unexpected field still gets its message shown in the form's alert box.
    pub fn from_api(error: &ApiError, fields: &[&'static str]) -> Self {
        let field = error
            .body
            .field
            .as_deref()
            .and_then(|name| fields.iter().copied().find(|known| *known == name));
        Self {
            field,
            message: error.message().into(),
        }
    }
}

pub fn field_message(error: &Option<FormError>, field: &str) -> Option<AttrValue> {
    error
        .as_ref()
        .filter(|e| e.field == Some(field))
        .map(|e| e.message.clone())
}

pub fn general_message(error: &Option<FormError>) -> Option<AttrValue> {
    error
        .as_ref()
        .filter(|e| e.field.is_none())
        .map(|e| e.message.clone())
}

/// Same policy as the server, checked first so the user hears about it at once.
pub fn check_new_password(new_password: &str, confirm: &str) -> Option<FormError> {
    let long_enough = new_password.chars().count() >= 8;
    let has_letter = new_password.chars().any(char::is_alphabetic);
    let has_digit = new_password.chars().any(|c| c.is_ascii_digit());
    if !(long_enough && has_letter && has_digit) {
        Some(FormError::field("new_password", text::PASSWORD_POLICY))
    } else if new_password != confirm {
        Some(FormError::field(
            "confirm_password",
            text::PASSWORD_MISMATCH,
        ))
    } else {
        None
    }
}

/// An `oninput` callback that stores the text in `state`.
pub fn setter(state: &UseStateHandle<String>) -> Callback<String> {
    let state = state.clone();
    Callback::from(move |value| state.set(value))
}
