use api_types::{ContactDto, ContactRef, SOURCES, ServiceTypeDto};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::duplicate_warning::DuplicateWarning;
use crate::components::form_field::FormField;
use crate::components::select_field::SelectField;
use crate::components::submit_button::SubmitButton;
use crate::components::text_area_field::TextAreaField;
use crate::contact_input::{ContactInput, service_type_options, update_of};
use crate::form::{FormError, field_message, general_message, setter};
use crate::live::use_offline;
use crate::state::use_session_guard;
use crate::text;

const FIELDS: &[&str] = &[
    "full_name",
    "phone",
    "email",
    "service_type_id",
    "source",
    "note",
];

/// Existing contacts with the typed phone; `refused` once the server said no to it,
/// which is when creating anyway is offered.
#[derive(Debug, Clone, PartialEq)]
struct Duplicates {
    list: Vec<ContactRef>,
    refused: bool,
}

#[derive(Properties, PartialEq)]
pub struct ContactFormProps {
    /// The contact being edited; `None` creates one.
    #[prop_or_default]
    pub existing: Option<ContactDto>,
    pub service_types: Vec<ServiceTypeDto>,
}

/// Creates or edits a contact, then opens its page. The phone is checked for duplicates
/// when it loses focus and again by the server on create.
#[component]
pub fn ContactForm(props: &ContactFormProps) -> Html {
    let existing = props.existing.as_ref();
    let full_name = use_state(|| existing.map(|c| c.full_name.clone()).unwrap_or_default());
    let phone = use_state(|| existing.map(|c| c.phone.clone()).unwrap_or_default());
    let email = use_state(|| existing.and_then(|c| c.email.clone()).unwrap_or_default());
    let service_type = use_state(|| {
        existing
            .map(|c| c.service_type_id.to_string())
            .unwrap_or_default()
    });
    let source = use_state(|| existing.map(|c| c.source.clone()).unwrap_or_default());
    let note = use_state(|| existing.and_then(|c| c.note.clone()).unwrap_or_default());
    let duplicates = use_state(|| None::<Duplicates>);
    let busy = use_state(|| false);
    let offline = use_offline();
    let error = use_state(|| None::<FormError>);
    let guard = use_session_guard();
    let navigator = use_navigator();
    let self_id = existing.map(|c| c.id);

    let on_phone = {
        let (phone, duplicates) = (phone.clone(), duplicates.clone());
        Callback::from(move |value: String| {
            // A warning about the previous number no longer applies.
            duplicates.set(None);
            phone.set(value);
        })
    };
    let on_phone_blur = {
        let (phone, duplicates, error) = (phone.clone(), duplicates.clone(), error.clone());
        Callback::from(move |()| {
            let typed = phone.trim().to_owned();
            if typed.is_empty() {
                return;
            }
            let (duplicates, error) = (duplicates.clone(), error.clone());
            spawn_local(async move {
                match api::check_phone(&typed).await {
                    Ok(check) => {
                        let list: Vec<ContactRef> = check
                            .duplicates
                            .into_iter()
                            .filter(|d| Some(d.id) != self_id)
                            .collect();
                        let found = Some(Duplicates {
                            list,
                            refused: false,
                        });
                        duplicates.set(found.filter(|d| !d.list.is_empty()));
                    }
                    Err(e) if e.body.field.as_deref() == Some("phone") => {
                        error.set(Some(FormError::from_api(&e, FIELDS)));
                    }
                    // Only a hint: the server checks again when the form is sent.
                    Err(_) => {}
                }
            });
        })
    };

    let save = {
        let fields = (
            full_name.clone(),
            phone.clone(),
            email.clone(),
            note.clone(),
        );
        let choices = (service_type.clone(), source.clone());
        let (duplicates, busy, error) = (duplicates.clone(), busy.clone(), error.clone());
        let editing = props.existing.clone();
        Callback::from(move |allow_duplicate: bool| {
            if *busy {
                return;
            }
            let (full_name, phone, email, note) = &fields;
            let (service_type, source) = &choices;
            let input = ContactInput {
                full_name,
                phone,
                email,
                service_type,
                source,
                note,
            };
            let create = match input.request(allow_duplicate) {
                Ok(create) => create,
                Err(problem) => {
                    error.set(Some(problem));
                    return;
                }
            };
            error.set(None);
            busy.set(true);
            let (duplicates, busy, error, guard) = (
                duplicates.clone(),
                busy.clone(),
                error.clone(),
                guard.clone(),
            );
            let (navigator, editing) = (navigator.clone(), editing.clone());
            spawn_local(async move {
                let saved = match &editing {
                    None => api::create_contact(&create).await,
                    Some(contact) => api::update_contact(contact.id, &update_of(create)).await,
                };
                busy.set(false);
                match saved {
                    Ok(contact) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::ContactDetail { id: contact.id });
                        }
                    }
                    Err(e) => {
                        let Some(e) = guard.check(e) else { return };
                        match e.body.duplicates.clone() {
                            Some(list) if e.body.error == "duplicate_phone" => {
                                duplicates.set(Some(Duplicates {
                                    list,
                                    refused: true,
                                }));
                            }
                            _ => error.set(Some(FormError::from_api(&e, FIELDS))),
                        }
                    }
                }
            });
        })
    };
    let onsubmit = save.reform(|event: SubmitEvent| {
        event.prevent_default();
        false
    });
    let create_anyway = save.reform(|()| true);

    let creating = existing.is_none();
    let service_types = service_type_options(&props.service_types, existing);
    let mut sources = vec![(
        AttrValue::Static(""),
        AttrValue::Static(text::CHOOSE_SOURCE),
    )];
    sources.extend(
        SOURCES
            .iter()
            .map(|(c, n)| (AttrValue::Static(c), AttrValue::Static(n))),
    );
    let warning = (*duplicates).clone().map(|found| {
        let on_create_anyway = (found.refused && creating).then_some(create_anyway);
        html! { <DuplicateWarning duplicates={found.list} {on_create_anyway} busy={*busy} /> }
    });
    let submit_label = if creating {
        text::CONTACT_CREATE_SUBMIT
    } else {
        text::SAVE_CHANGES
    };

    html! {
        <form class="form form-grid" {onsubmit} novalidate=true>
            if let Some(message) = general_message(&error) {
                <div class="form-wide">
                    <Alert kind={AlertKind::Error} id="contact-error">{ message }</Alert>
                </div>
            }
            <FormField id="contact-full-name" label={text::CONTACT_FULL_NAME} value={(*full_name).clone()}
                oninput={setter(&full_name)} autocomplete="off" error={field_message(&error, "full_name")} />
            <FormField id="contact-phone" label={text::PHONE} kind="tel" value={(*phone).clone()}
                oninput={on_phone} onblur={on_phone_blur} autocomplete="off" hint={text::PHONE_HINT}
                error={field_message(&error, "phone")} />
            if let Some(warning) = warning {
                <div class="form-wide">{ warning }</div>
            }
            <FormField id="contact-email" label={text::EMAIL} kind="email" value={(*email).clone()}
                oninput={setter(&email)} autocomplete="off" error={field_message(&error, "email")} />
            <SelectField id="contact-service-type" label={text::SERVICE_TYPE} value={(*service_type).clone()}
                options={service_types} onchange={setter(&service_type)}
                error={field_message(&error, "service_type_id")} />
            <SelectField id="contact-source" label={text::SOURCE} value={(*source).clone()}
                options={sources} onchange={setter(&source)} error={field_message(&error, "source")} />
            <div class="form-wide">
                <TextAreaField id="contact-note" label={text::NOTE} value={(*note).clone()}
                    oninput={setter(&note)} error={field_message(&error, "note")} />
            </div>
            <div class="form-wide form-actions">
                <SubmitButton id="contact-submit" label={submit_label} busy_label={text::SAVING} busy={*busy} {offline} />
            </div>
        </form>
    }
}
