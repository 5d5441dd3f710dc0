use api_types::ResetPasswordRequest;
use serde::Deserialize;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::auth_card::AuthCard;
use crate::components::form_field::FormField;
use crate::components::submit_button::SubmitButton;
use crate::form::{FormError, check_new_password, field_message, general_message, setter};
use crate::text;

#[derive(Deserialize)]
struct ResetQuery {
    token: String,
}

#[component]
pub fn ResetPassword() -> Html {
    let token = use_location()
        .and_then(|location| location.query::<ResetQuery>().ok())
        .map(|query| query.token)
        .filter(|token| !token.is_empty());
    let new_password = use_state(String::new);
    let confirm = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<FormError>);
    let result = use_state(|| None::<AttrValue>);

    let Some(token) = token else {
        return html! {
            <AuthCard title={text::RESET_TITLE}>
                <Alert kind={AlertKind::Error} id="reset-error">{ text::RESET_MISSING_TOKEN }</Alert>
                <p class="auth-footer">
                    <Link<Route> to={Route::ForgotPassword} classes="link">
                        { text::REQUEST_NEW_LINK }
                    </Link<Route>>
                </p>
            </AuthCard>
        };
    };

    let onsubmit = {
        let (new_password, confirm) = (new_password.clone(), confirm.clone());
        let (busy, error, result) = (busy.clone(), error.clone(), result.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            if let Some(problem) = check_new_password(&new_password, &confirm) {
                error.set(Some(problem));
                return;
            }
            let request = ResetPasswordRequest {
                token: token.clone(),
                new_password: (*new_password).clone(),
            };
            error.set(None);
            busy.set(true);
            let (busy, error, result) = (busy.clone(), error.clone(), result.clone());
            spawn_local(async move {
                match api::reset_password(&request).await {
                    Ok(response) => result.set(Some(response.message.into())),
                    Err(e) => error.set(Some(FormError::from_api(&e, &["new_password"]))),
                }
                busy.set(false);
            });
        })
    };

    if let Some(message) = &*result {
        return html! {
            <AuthCard title={text::RESET_TITLE}>
                <Alert kind={AlertKind::Success} id="reset-result">{ message.clone() }</Alert>
                <p class="auth-footer">
                    <Link<Route> to={Route::Login} classes="btn btn-primary btn-block">
                        { text::GO_TO_LOGIN }
                    </Link<Route>>
                </p>
            </AuthCard>
        };
    }

    html! {
        <AuthCard title={text::RESET_TITLE} intro={text::RESET_INTRO}>
            if let Some(message) = general_message(&error) {
                <Alert kind={AlertKind::Error} id="reset-error">{ message }</Alert>
            }
            <form class="form" {onsubmit} novalidate=true>
                <FormField id="new-password" label={text::NEW_PASSWORD_LABEL} kind="password"
                    value={(*new_password).clone()} oninput={setter(&new_password)}
                    autocomplete="new-password" hint={text::PASSWORD_HINT}
                    error={field_message(&error, "new_password")} />
                <FormField id="confirm-password" label={text::CONFIRM_PASSWORD_LABEL} kind="password"
                    value={(*confirm).clone()} oninput={setter(&confirm)}
                    autocomplete="new-password" error={field_message(&error, "confirm_password")} />
                <SubmitButton id="reset-submit" label={text::RESET_SUBMIT}
                    busy_label={text::SAVING} busy={*busy} />
            </form>
            <p class="auth-footer">
                <Link<Route> to={Route::ForgotPassword} classes="link">
                    { text::REQUEST_NEW_LINK }
                </Link<Route>>
                <Link<Route> to={Route::Login} classes="link">{ text::BACK_TO_LOGIN }</Link<Route>>
            </p>
        </AuthCard>
    }
}
