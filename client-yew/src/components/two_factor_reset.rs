use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::state::use_session_guard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct TwoFactorResetProps {
    pub employee_id: i64,
}

/// "Đặt lại xác thực hai lớp" (`#two-factor-reset`) for an employee who lost both the
/// phone and the recovery codes; the outcome is `#two-factor-reset-result`.
#[component]
pub fn TwoFactorReset(props: &TwoFactorResetProps) -> Html {
    let busy = use_state(|| false);
    let result = use_state(|| None::<(AlertKind, AttrValue)>);
    let guard = use_session_guard();
    let onclick = {
        let (busy, result) = (busy.clone(), result.clone());
        let id = props.employee_id;
        Callback::from(move |_: MouseEvent| {
            busy.set(true);
            result.set(None);
            let (busy, result, guard) = (busy.clone(), result.clone(), guard.clone());
            spawn_local(async move {
                let outcome = api::reset_two_factor(id).await;
                busy.set(false);
                match outcome {
                    Ok(()) => {
                        result.set(Some((
                            AlertKind::Success,
                            text::RESET_TWO_FACTOR_DONE.into(),
                        )));
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            result.set(Some((AlertKind::Error, e.message().into())));
                        }
                    }
                }
            });
        })
    };
    html! {
        <div class="form">
            <p class="muted">{ text::RESET_TWO_FACTOR_NOTE }</p>
            if let Some((kind, message)) = &*result {
                <Alert kind={*kind} id="two-factor-reset-result">{ message.clone() }</Alert>
            }
            <button type="button" id="two-factor-reset" class="btn btn-danger-outline"
                disabled={*busy} aria-busy={busy.to_string()} {onclick}>
                { if *busy { text::WORKING } else { text::RESET_TWO_FACTOR } }
            </button>
        </div>
    }
}
