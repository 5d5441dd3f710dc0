use api_types::LoginRequest;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::auth_card::AuthCard;
use crate::components::form_field::FormField;
use crate::components::redirect::ReplaceRedirect;
use crate::components::submit_button::SubmitButton;
use crate::form::{FormError, field_message, general_message, setter};
use crate::state::{Action, AuthState, use_auth_dispatch, use_auth_state};
use crate::text;

const FIELDS: &[&str] = &["username", "password", "totp_code"];

#[component]
pub fn Login() -> Html {
    let auth = use_auth_state();
    let dispatch = use_auth_dispatch();
    let username = use_state(String::new);
    let password = use_state(String::new);
    let remember_me = use_state(|| false);
    // Second step: the password was right and the account has 2FA (AUTH-007).
    let two_factor = use_state(|| false);
    let totp_code = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<FormError>);

    // Also covers a successful sign-in: the new state lands the user on the home page.
    if matches!(auth, AuthState::SignedIn(_)) {
        return html! { <ReplaceRedirect to={Route::Home} /> };
    }
    // Why the server ended the previous session (revoked elsewhere, account locked).
    let reason = match &auth {
        AuthState::SignedOut(reason) => reason.clone(),
        _ => None,
    };

    let onsubmit = {
        let (username, password, remember_me) =
            (username.clone(), password.clone(), remember_me.clone());
        let (two_factor, totp_code) = (two_factor.clone(), totp_code.clone());
        let (busy, error) = (busy.clone(), error.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let request = LoginRequest {
                username: username.trim().to_owned(),
                password: (*password).clone(),
                remember_me: *remember_me,
                totp_code: two_factor.then(|| totp_code.trim().to_owned()),
            };
            if request.totp_code.as_deref() == Some("") {
                error.set(Some(FormError::field(
                    "totp_code",
                    text::TWO_FACTOR_CODE_REQUIRED,
                )));
                return;
            }
            if request.username.is_empty() {
                error.set(Some(FormError::field("username", text::USERNAME_REQUIRED)));
                return;
            }
            if request.password.is_empty() {
                error.set(Some(FormError::field("password", text::PASSWORD_REQUIRED)));
                return;
            }
            error.set(None);
            busy.set(true);
            let (busy, error, dispatch) = (busy.clone(), error.clone(), dispatch.clone());
            let (two_factor, totp_code) = (two_factor.clone(), totp_code.clone());
            spawn_local(async move {
                match api::login(&request).await {
                    Ok(response) => dispatch.emit(Action::SignedIn(response.user)),
                    // Not a failure: the password was right, now the code is asked for.
                    Err(e) if e.body.error == "two_factor_required" => {
                        busy.set(false);
                        totp_code.set(String::new());
                        two_factor.set(true);
                    }
                    Err(e) => {
                        busy.set(false);
                        if e.body.error == "invalid_two_factor_code" {
                            totp_code.set(String::new());
                        }
                        error.set(Some(FormError::from_api(&e, FIELDS)));
                    }
                }
            });
        })
    };
    let on_remember = {
        let remember_me = remember_me.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            remember_me.set(input.checked());
        })
    };

    let back = {
        let (two_factor, password, error) = (two_factor.clone(), password.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            two_factor.set(false);
            password.set(String::new());
            error.set(None);
        })
    };
    if *two_factor {
        return html! {
            <AuthCard title={text::TWO_FACTOR_TITLE} intro={text::LOGIN_TWO_FACTOR_INTRO}>
                if let Some(message) = general_message(&error) {
                    <Alert kind={AlertKind::Error} id="login-error">{ message }</Alert>
                }
                <form class="form" {onsubmit} novalidate=true>
                    <FormField id="totp-code" label={text::LOGIN_TWO_FACTOR_LABEL}
                        value={(*totp_code).clone()} oninput={setter(&totp_code)}
                        autocomplete="one-time-code" error={field_message(&error, "totp_code")} />
                    <SubmitButton id="two-factor-submit" label={text::LOGIN_TWO_FACTOR_SUBMIT}
                        busy_label={text::LOGIN_BUSY} busy={*busy} />
                    <button type="button" id="two-factor-back" class="btn btn-link" onclick={back}>
                        { text::LOGIN_TWO_FACTOR_BACK }
                    </button>
                </form>
            </AuthCard>
        };
    }

    html! {
        <AuthCard title={text::LOGIN_TITLE} intro={text::LOGIN_INTRO}>
            if let Some(reason) = reason {
                <Alert kind={AlertKind::Error} id="signed-out-reason">{ reason }</Alert>
            }
            if let Some(message) = general_message(&error) {
                <Alert kind={AlertKind::Error} id="login-error">{ message }</Alert>
            }
            <form class="form" {onsubmit} novalidate=true>
                <FormField id="username" label={text::USERNAME_LABEL} value={(*username).clone()}
                    oninput={setter(&username)} autocomplete="username"
                    error={field_message(&error, "username")} />
                <FormField id="password" label={text::PASSWORD_LABEL} kind="password"
                    value={(*password).clone()} oninput={setter(&password)}
                    autocomplete="current-password" error={field_message(&error, "password")} />
                <div class="form-row">
                    <label class="checkbox">
                        <input type="checkbox" id="remember-me" checked={*remember_me}
                            onchange={on_remember} />
                        <span>{ text::REMEMBER_ME }</span>
                    </label>
                    <Link<Route> to={Route::ForgotPassword} classes="link">
                        { text::FORGOT_LINK }
                    </Link<Route>>
                </div>
                <SubmitButton id="login-submit" label={text::LOGIN_SUBMIT}
                    busy_label={text::LOGIN_BUSY} busy={*busy} />
            </form>
        </AuthCard>
    }
}
