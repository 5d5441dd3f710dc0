use api_types::AdminResetPasswordRequest;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::form_field::FormField;
use crate::components::submit_button::SubmitButton;
use crate::form::{FormError, check_new_password, field_message, general_message, setter};
use crate::state::use_session_guard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct AdminPasswordFormProps {
    pub employee_id: i64,
}

/// An admin sets a new password for an employee; the outcome is `#admin-password-result`.
#[component]
pub fn AdminPasswordForm(props: &AdminPasswordFormProps) -> Html {
    let new_password = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<FormError>);
    let success = use_state(|| None::<AttrValue>);
    let guard = use_session_guard();

    let onsubmit = {
        let (new_password, busy, error, success) = (
            new_password.clone(),
            busy.clone(),
            error.clone(),
            success.clone(),
        );
        let id = props.employee_id;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            success.set(None);
            // The admin types it once: there is no confirmation field to mismatch.
            if let Some(problem) = check_new_password(&new_password, &new_password) {
                error.set(Some(problem));
                return;
            }
            let request = AdminResetPasswordRequest {
                new_password: (*new_password).clone(),
            };
            error.set(None);
            busy.set(true);
            let (new_password, busy, error, success) = (
                new_password.clone(),
                busy.clone(),
                error.clone(),
                success.clone(),
            );
            let guard = guard.clone();
            spawn_local(async move {
                match api::reset_employee_password(id, &request).await {
                    Ok(response) => {
                        new_password.set(String::new());
                        success.set(Some(response.message.into()));
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(FormError::from_api(&e, &["new_password"])));
                        }
                    }
                }
                busy.set(false);
            });
        })
    };

    html! {
        <form class="form" {onsubmit} novalidate=true>
            <p class="muted">{ text::ADMIN_PASSWORD_NOTE }</p>
            if let Some(message) = &*success {
                <Alert kind={AlertKind::Success} id="admin-password-result">{ message.clone() }</Alert>
            } else if let Some(message) = general_message(&error) {
                <Alert kind={AlertKind::Error} id="admin-password-result">{ message }</Alert>
            }
            <FormField id="admin-new-password" label={text::NEW_PASSWORD_LABEL} kind="password"
                value={(*new_password).clone()} oninput={setter(&new_password)}
                autocomplete="new-password" hint={text::PASSWORD_POLICY_HINT}
                error={field_message(&error, "new_password")} />
            <SubmitButton id="admin-password-submit" label={text::ADMIN_PASSWORD_SUBMIT}
                busy_label={text::SAVING} busy={*busy} />
        </form>
    }
}
