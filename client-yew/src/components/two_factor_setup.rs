use api_types::{TwoFactorCodeRequest, TwoFactorSetupResponse};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::form_field::FormField;
use crate::form::{FormError, field_message, general_message, setter};
use crate::state::use_session_guard;
use crate::text;

const FIELDS: &[&str] = &["code"];

#[derive(Properties, PartialEq)]
pub struct TwoFactorSetupProps {
    pub setup: TwoFactorSetupResponse,
    /// 2FA is on: the one-time recovery codes.
    pub on_enabled: Callback<Vec<String>>,
    pub on_cancel: Callback<()>,
}

/// Scan (or type) the pending secret, then confirm it with the app's current code.
#[component]
pub fn TwoFactorSetup(props: &TwoFactorSetupProps) -> Html {
    let code = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<FormError>);
    let guard = use_session_guard();

    let onsubmit = {
        let (code, busy, error) = (code.clone(), busy.clone(), error.clone());
        let on_enabled = props.on_enabled.clone();
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
            let (busy, error, guard) = (busy.clone(), error.clone(), guard.clone());
            let on_enabled = on_enabled.clone();
            spawn_local(async move {
                let result = api::two_factor_enable(&TwoFactorCodeRequest { code: typed }).await;
                busy.set(false);
                match result {
                    Ok(codes) => on_enabled.emit(codes.codes),
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(FormError::from_api(&e, FIELDS)));
                        }
                    }
                }
            });
        })
    };

    let qr = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        js_sys::encode_uri_component(&props.setup.qr_svg)
    );
    html! {
        <div class="two-factor-setup">
            <p>{ text::TWO_FACTOR_SCAN }</p>
            <img id="two-factor-qr" class="qr-code" src={qr} alt={text::TWO_FACTOR_QR_ALT}
                width="220" height="220" />
            <p class="muted">{ text::TWO_FACTOR_MANUAL }</p>
            <code id="two-factor-secret" class="secret-key">{ grouped(&props.setup.secret) }</code>
            <p>{ text::TWO_FACTOR_CONFIRM_STEP }</p>
            <form class="form" {onsubmit} novalidate=true>
                if let Some(message) = general_message(&error) {
                    <Alert kind={AlertKind::Error} id="two-factor-error">{ message }</Alert>
                }
                <FormField id="two-factor-code" label={text::TWO_FACTOR_CODE_LABEL}
                    value={(*code).clone()} oninput={setter(&code)} autocomplete="one-time-code"
                    error={field_message(&error, "code")} />
                <div class="button-row">
                    <button type="button" class="btn btn-outline" disabled={*busy}
                        onclick={props.on_cancel.reform(|_: MouseEvent| ())}>
                        { text::TWO_FACTOR_CANCEL }
                    </button>
                    <button type="submit" id="two-factor-enable" class="btn btn-primary"
                        disabled={*busy} aria-busy={busy.to_string()}>
                        { if *busy { text::WORKING } else { text::TWO_FACTOR_ENABLE } }
                    </button>
                </div>
            </form>
        </div>
    }
}

/// "ABCD EFGH …": easier to read off the screen; the apps ignore the spaces.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
