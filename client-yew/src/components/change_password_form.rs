use api_types::ChangePasswordRequest;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::form_field::FormField;
use crate::components::submit_button::SubmitButton;
use crate::form::{FormError, check_new_password, field_message, general_message, setter};
use crate::state::use_session_guard;
use crate::text;

const FIELDS: &[&str] = &["current_password", "new_password"];

#[derive(Properties, PartialEq)]
pub struct ChangePasswordFormProps {
    pub on_changed: Callback<()>,
}

#[component]
pub fn ChangePasswordForm(props: &ChangePasswordFormProps) -> Html {
    let current = use_state(String::new);
    let new_password = use_state(String::new);
    let confirm = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<FormError>);
    let success = use_state(|| None::<AttrValue>);
    let guard = use_session_guard();

    let onsubmit = {
        let (current, new_password, confirm) =
            (current.clone(), new_password.clone(), confirm.clone());
        let (busy, error, success) = (busy.clone(), error.clone(), success.clone());
        let on_changed = props.on_changed.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            success.set(None);
            let problem = if current.is_empty() {
                Some(FormError::field(
                    "current_password",
                    text::CURRENT_PASSWORD_REQUIRED,
                ))
            } else {
                check_new_password(&new_password, &confirm)
            };
            if problem.is_some() {
                error.set(problem);
                return;
            }
            let request = ChangePasswordRequest {
                current_password: (*current).clone(),
                new_password: (*new_password).clone(),
            };
            error.set(None);
            busy.set(true);
            let (current, new_password, confirm) =
                (current.clone(), new_password.clone(), confirm.clone());
            let (busy, error, success) = (busy.clone(), error.clone(), success.clone());
            let (guard, on_changed) = (guard.clone(), on_changed.clone());
            spawn_local(async move {
                match api::change_password(&request).await {
                    Ok(response) => {
                        for field in [&current, &new_password, &confirm] {
                            field.set(String::new());
                        }
                        success.set(Some(response.message.into()));
                        on_changed.emit(());
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(FormError::from_api(&e, FIELDS)));
                        }
                    }
                }
                busy.set(false);
            });
        })
    };

    html! {
        <form class="form" {onsubmit} novalidate=true>
            <p class="muted">{ text::CHANGE_PASSWORD_NOTE }</p>
            if let Some(message) = &*success {
                <Alert kind={AlertKind::Success} id="change-password-result">{ message.clone() }</Alert>
            } else if let Some(message) = general_message(&error) {
                <Alert kind={AlertKind::Error} id="change-password-result">{ message }</Alert>
            }
            <FormField id="current-password" label={text::CURRENT_PASSWORD_LABEL} kind="password"
                value={(*current).clone()} oninput={setter(&current)}
                autocomplete="current-password" error={field_message(&error, "current_password")} />
            <FormField id="new-password" label={text::NEW_PASSWORD_LABEL} kind="password"
                value={(*new_password).clone()} oninput={setter(&new_password)}
                autocomplete="new-password" hint={text::PASSWORD_HINT}
                error={field_message(&error, "new_password")} />
            <FormField id="confirm-password" label={text::CONFIRM_PASSWORD_LABEL} kind="password"
                value={(*confirm).clone()} oninput={setter(&confirm)}
                autocomplete="new-password" error={field_message(&error, "confirm_password")} />
            <SubmitButton id="change-password-submit" label={text::CHANGE_PASSWORD_SUBMIT}
                busy_label={text::SAVING} busy={*busy} />
        </form>
    }
}
