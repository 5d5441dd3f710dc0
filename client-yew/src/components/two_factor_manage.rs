use api_types::{TwoFactorCodeRequest, TwoFactorDisableRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::form_field::FormField;
use crate::form::{FormError, field_message, general_message, setter};
use crate::state::use_session_guard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct TwoFactorManageProps {
    /// A role demands 2FA: switching it off is not offered.
    pub required: bool,
    /// New recovery codes to show once.
    pub on_codes: Callback<Vec<String>>,
    pub on_disabled: Callback<()>,
}

/// 2FA is on: new recovery codes for a current code, or switch it off.
#[component]
pub fn TwoFactorManage(props: &TwoFactorManageProps) -> Html {
    let regen_code = use_state(String::new);
    let regen_busy = use_state(|| false);
    let regen_error = use_state(|| None::<FormError>);
    let password = use_state(String::new);
    let off_code = use_state(String::new);
    let off_busy = use_state(|| false);
    let off_error = use_state(|| None::<FormError>);
    let guard = use_session_guard();

    let regenerate = {
        let (code, busy, error) = (regen_code.clone(), regen_busy.clone(), regen_error.clone());
        let (on_codes, guard) = (props.on_codes.clone(), guard.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let typed = code.trim().to_owned();
            if typed.is_empty() {
                error.set(Some(FormError::field(
                    "code",
                    text::TWO_FACTOR_CODE_REQUIRED,
                )));
                return;
            }
            error.set(None);
            busy.set(true);
            let (code, busy, error) = (code.clone(), busy.clone(), error.clone());
            let (on_codes, guard) = (on_codes.clone(), guard.clone());
            spawn_local(async move {
                let request = TwoFactorCodeRequest { code: typed };
                let result = api::regenerate_recovery_codes(&request).await;
                busy.set(false);
                match result {
                    Ok(codes) => {
                        code.set(String::new());
                        on_codes.emit(codes.codes);
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(FormError::from_api(&e, &["code"])));
                        }
                    }
                }
            });
        })
    };

    let disable = {
        let (password, code) = (password.clone(), off_code.clone());
        let (busy, error) = (off_busy.clone(), off_error.clone());
        let (on_disabled, guard) = (props.on_disabled.clone(), guard.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            if password.is_empty() {
                error.set(Some(FormError::field("password", text::PASSWORD_REQUIRED)));
                return;
            }
            if code.trim().is_empty() {
                error.set(Some(FormError::field(
                    "code",
                    text::TWO_FACTOR_CODE_REQUIRED,
                )));
                return;
            }
            let request = TwoFactorDisableRequest {
                password: (*password).clone(),
                code: code.trim().to_owned(),
            };
            error.set(None);
            busy.set(true);
            let (busy, error) = (busy.clone(), error.clone());
            let (on_disabled, guard) = (on_disabled.clone(), guard.clone());
            spawn_local(async move {
                let result = api::two_factor_disable(&request).await;
                busy.set(false);
                match result {
                    Ok(()) => on_disabled.emit(()),
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(FormError::from_api(&e, &["password", "code"])));
                        }
                    }
                }
            });
        })
    };

    html! {
        <div class="two-factor-manage">
            <p class="muted">{ text::TWO_FACTOR_ENABLED_NOTE }</p>
            <form class="form" id="two-factor-regenerate" onsubmit={regenerate} novalidate=true>
                <h3 class="subsection-title">{ text::REGENERATE_TITLE }</h3>
                <p class="field-hint">{ text::REGENERATE_NOTE }</p>
                if let Some(message) = general_message(&regen_error) {
                    <Alert kind={AlertKind::Error} id="two-factor-regenerate-error">{ message }</Alert>
                }
                <FormField id="two-factor-regenerate-code" label={text::TWO_FACTOR_CODE_LABEL}
                    value={(*regen_code).clone()} oninput={setter(&regen_code)}
                    autocomplete="one-time-code" error={field_message(&regen_error, "code")} />
                <button type="submit" id="two-factor-regenerate-submit" class="btn btn-outline"
                    disabled={*regen_busy} aria-busy={regen_busy.to_string()}>
                    { if *regen_busy { text::WORKING } else { text::REGENERATE_SUBMIT } }
                </button>
            </form>
            if props.required {
                <p class="field-hint" id="two-factor-locked">{ text::TWO_FACTOR_LOCKED_BY_ROLE }</p>
            } else {
                <form class="form" id="two-factor-disable" onsubmit={disable} novalidate=true>
                    <h3 class="subsection-title">{ text::DISABLE_TITLE }</h3>
                    <p class="field-hint">{ text::DISABLE_NOTE }</p>
                    if let Some(message) = general_message(&off_error) {
                        <Alert kind={AlertKind::Error} id="two-factor-disable-error">{ message }</Alert>
                    }
                    <FormField id="two-factor-disable-password" label={text::PASSWORD_LABEL}
                        kind="password" value={(*password).clone()} oninput={setter(&password)}
                        autocomplete="current-password" error={field_message(&off_error, "password")} />
                    <FormField id="two-factor-disable-code" label={text::DISABLE_CODE_LABEL}
                        value={(*off_code).clone()} oninput={setter(&off_code)}
                        autocomplete="one-time-code" error={field_message(&off_error, "code")} />
                    <button type="submit" id="two-factor-disable-submit" class="btn btn-danger-outline"
                        disabled={*off_busy} aria-busy={off_busy.to_string()}>
                        { if *off_busy { text::WORKING } else { text::DISABLE_SUBMIT } }
                    </button>
                </form>
            }
        </div>
    }
}
