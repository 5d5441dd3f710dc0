use api_types::{AnonymizeRequest, ContactDto};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::form_field::FormField;
use crate::state::use_session_guard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct AnonymizeCardProps {
    pub contact: ContactDto,
    pub on_updated: Callback<ContactDto>,
}

/// "Ẩn danh hoá" (`contacts.anonymize`): erases the contact's personal data for good
/// once its code is typed again (`#anonymize-code`, `#anonymize-submit`); the outcome is
/// `#anonymize-result`, a wrong code shows under the field.
#[component]
pub fn AnonymizeCard(props: &AnonymizeCardProps) -> Html {
    let typed = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<AttrValue>);
    let done = use_state(|| None::<AttrValue>);
    let guard = use_session_guard();
    let oninput = {
        let (typed, error) = (typed.clone(), error.clone());
        Callback::from(move |value: String| {
            typed.set(value);
            error.set(None);
        })
    };
    let onsubmit = {
        let (typed, busy, error, done) = (typed.clone(), busy.clone(), error.clone(), done.clone());
        let (id, on_updated) = (props.contact.id, props.on_updated.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let body = AnonymizeRequest {
                confirm_code: (*typed).clone(),
            };
            busy.set(true);
            let (busy, error, done, guard, on_updated) = (
                busy.clone(),
                error.clone(),
                done.clone(),
                guard.clone(),
                on_updated.clone(),
            );
            spawn_local(async move {
                let outcome = api::anonymize_contact(id, &body).await;
                busy.set(false);
                match outcome {
                    Ok(contact) => {
                        done.set(Some(text::anonymized(&contact.code).into()));
                        on_updated.emit(contact);
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(e.message().into()));
                        }
                    }
                }
            });
        })
    };
    if let Some(message) = &*done {
        return html! {
            <Alert kind={AlertKind::Success} id="anonymize-result">{ message.clone() }</Alert>
        };
    }
    if props.contact.anonymized {
        return html! { <p id="anonymize-done" class="muted">{ text::ALREADY_ANONYMIZED }</p> };
    }
    html! {
        <form class="stack" {onsubmit}>
            <p class="muted-small">{ text::anonymize_warning(&props.contact.code) }</p>
            <FormField id="anonymize-code" label={text::ANONYMIZE_CODE} value={(*typed).clone()}
                {oninput} error={(*error).clone()} autocomplete="off" />
            <button id="anonymize-submit" type="submit" class="btn btn-danger"
                disabled={*busy || typed.trim().is_empty()}>
                { if *busy { text::ANONYMIZING } else { text::ANONYMIZE } }
            </button>
        </form>
    }
}
