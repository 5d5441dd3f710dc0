use api_types::ForgotPasswordRequest;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::auth_card::AuthCard;
use crate::components::form_field::FormField;
use crate::components::submit_button::SubmitButton;
use crate::form::{FormError, field_message, general_message, setter};
use crate::text;

#[component]
pub fn ForgotPassword() -> Html {
    let login = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<FormError>);
    let result = use_state(|| None::<AttrValue>);

    let onsubmit = {
        let (login, busy, error, result) =
            (login.clone(), busy.clone(), error.clone(), result.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let request = ForgotPasswordRequest {
                login: login.trim().to_owned(),
            };
            if request.login.is_empty() {
                error.set(Some(FormError::field("login", text::FORGOT_LOGIN_REQUIRED)));
                return;
            }
            error.set(None);
            busy.set(true);
            let (busy, error, result) = (busy.clone(), error.clone(), result.clone());
            spawn_local(async move {
                match api::forgot_password(&request).await {
                    Ok(response) => result.set(Some(response.message.into())),
                    Err(e) => error.set(Some(FormError::from_api(&e, &["login"]))),
                }
                busy.set(false);
            });
        })
    };

    html! {
        <AuthCard title={text::FORGOT_TITLE} intro={text::FORGOT_INTRO}>
            if let Some(message) = &*result {
                <Alert kind={AlertKind::Success} id="forgot-result">{ message.clone() }</Alert>
            } else {
                if let Some(message) = general_message(&error) {
                    <Alert kind={AlertKind::Error} id="forgot-error">{ message }</Alert>
                }
                <form class="form" {onsubmit} novalidate=true>
                    <FormField id="login" label={text::FORGOT_LOGIN_LABEL} value={(*login).clone()}
                        oninput={setter(&login)} autocomplete="username"
                        error={field_message(&error, "login")} />
                    <SubmitButton id="forgot-submit" label={text::FORGOT_SUBMIT}
                        busy_label={text::SENDING} busy={*busy} />
                </form>
            }
            <p class="auth-footer">
                <Link<Route> to={Route::Login} classes="link">{ text::BACK_TO_LOGIN }</Link<Route>>
            </p>
        </AuthCard>
    }
}
