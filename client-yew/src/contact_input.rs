//! The contact form's values turned into the server's requests, checked first so the
//! user hears about a missing field at once.

use api_types::{ContactDto, CreateContactRequest, ServiceTypeDto, UpdateContactRequest};
use yew::AttrValue;

use crate::form::FormError;
use crate::text;

/// What the form's inputs hold, as typed.
pub struct ContactInput<'a> {
    pub full_name: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    /// The service type select's value: an id, or `""` before a choice.
    pub service_type: &'a str,
    pub source: &'a str,
    pub note: &'a str,
}

impl ContactInput<'_> {
    pub fn request(&self, allow_duplicate: bool) -> Result<CreateContactRequest, FormError> {
        let service_type_id = self.service_type.parse::<i64>().ok();
        if self.full_name.trim().is_empty() {
            return Err(FormError::field("full_name", text::CONTACT_NAME_REQUIRED));
        }
        if self.phone.trim().is_empty() {
            return Err(FormError::field("phone", text::PHONE_REQUIRED));
        }
        let Some(service_type_id) = service_type_id else {
            return Err(FormError::field(
                "service_type_id",
                text::SERVICE_TYPE_REQUIRED,
            ));
        };
        if self.source.is_empty() {
            return Err(FormError::field("source", text::SOURCE_REQUIRED));
        }
        let optional = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        Ok(CreateContactRequest {
            full_name: self.full_name.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            email: optional(self.email),
            service_type_id,
            source: self.source.to_owned(),
            note: optional(self.note),
            allow_duplicate,
        })
    }
}

/// The edit request: the same fields, without the duplicate override (create only).
pub fn update_of(create: CreateContactRequest) -> UpdateContactRequest {
    UpdateContactRequest {
        full_name: create.full_name,
        phone: create.phone,
        email: create.email,
        service_type_id: create.service_type_id,
        source: create.source,
        note: create.note,
    }
}

/// Active service types in display order; an edited contact keeps its own type as a
/// choice even once that type is hidden.
pub fn service_type_options(
    list: &[ServiceTypeDto],
    existing: Option<&ContactDto>,
) -> Vec<(AttrValue, AttrValue)> {
    let mut types: Vec<&ServiceTypeDto> = list
        .iter()
        .filter(|st| st.active || existing.is_some_and(|c| c.service_type_id == st.id))
        .collect();
    types.sort_by_key(|st| (st.sort_order, st.id));
    let mut options = vec![(
        AttrValue::Static(""),
        AttrValue::Static(text::CHOOSE_SERVICE_TYPE),
    )];
    options.extend(types.into_iter().map(|st| {
        (
            AttrValue::from(st.id.to_string()),
            AttrValue::from(format!("{} – {}", st.code, st.name)),
        )
    }));
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(phone: &'a str, service_type: &'a str) -> ContactInput<'a> {
        ContactInput {
            full_name: " Nguyễn Thị Hồng ",
            phone,
            email: "  ",
            service_type,
            source: "ladi_zalo",
            note: "",
        }
    }

    #[test]
    fn missing_fields_are_named_before_sending() {
        let missing = |i: ContactInput<'_>| i.request(false).err().and_then(|e| e.field);
        assert_eq!(missing(input("", "1")), Some("phone"));
        assert_eq!(missing(input("0912", "")), Some("service_type_id"));
    }

    #[test]
    fn values_are_trimmed_and_blanks_left_out() {
        let Ok(request) = input("0912 888 777", "3").request(true) else {
            panic!("a complete form is accepted");
        };
        assert_eq!(request.full_name, "Nguyễn Thị Hồng");
        assert_eq!(request.service_type_id, 3);
        assert_eq!(request.email, None);
        assert!(request.allow_duplicate);
    }

    #[test]
    fn hidden_types_are_offered_only_to_contacts_that_have_them() {
        let kind = |id: i64, active: bool, sort_order: i32| ServiceTypeDto {
            id,
            code: format!("T{id}"),
            name: format!("Loại {id}"),
            description: None,
            active,
            daily_pick_limit: 5,
            sort_order,
        };
        let list = [kind(1, true, 2), kind(2, false, 0), kind(3, true, 1)];
        let values: Vec<String> = service_type_options(&list, None)
            .into_iter()
            .map(|(value, _)| value.to_string())
            .collect();
        assert_eq!(values, ["", "3", "1"]);
    }
}
