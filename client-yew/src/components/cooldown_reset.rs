use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::state::use_session_guard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct CooldownResetProps {
    pub employee_id: i64,
}

/// "Cho phép nhận ngay" (`#cooldown-reset`): ends the employee's wait between two picks;
/// the outcome is `#cooldown-reset-result`.
#[component]
pub fn CooldownReset(props: &CooldownResetProps) -> Html {
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
                let outcome = api::reset_pick_cooldown(id).await;
                busy.set(false);
                match outcome {
                    Ok(()) => {
                        result.set(Some((AlertKind::Success, text::COOLDOWN_RESET_DONE.into())));
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
            <p class="muted">{ text::COOLDOWN_NOTE }</p>
            if let Some((kind, message)) = &*result {
                <Alert kind={*kind} id="cooldown-reset-result">{ message.clone() }</Alert>
            }
            <button type="button" id="cooldown-reset" class="btn btn-outline" disabled={*busy}
                aria-busy={busy.to_string()} {onclick}>
                { if *busy { text::WORKING } else { text::COOLDOWN_RESET } }
            </button>
        </div>
    }
}
