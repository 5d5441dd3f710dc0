use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::text;

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Idle,
    Busy,
    Intact(String),
    Broken(String),
    Failed(String),
}

/// "Kiểm tra toàn vẹn" (`#audit-verify`): walks the whole hash chain on the server and
/// says whether it is intact (`#audit-verify-ok`) or where it breaks (`#audit-verify-broken`).
#[component]
pub fn AuditVerify() -> Html {
    let outcome = use_state(|| Outcome::Idle);
    let onclick = {
        let outcome = outcome.clone();
        Callback::from(move |_: MouseEvent| {
            let outcome = outcome.clone();
            outcome.set(Outcome::Busy);
            spawn_local(async move {
                outcome.set(match api::audit_verify().await {
                    Ok(found) => match found.first_bad_id {
                        None if found.ok => {
                            Outcome::Intact(text::audit_chain_ok(found.entries, found.millis))
                        }
                        bad => Outcome::Broken(text::audit_chain_broken(
                            bad.unwrap_or_default(),
                            found.entries,
                        )),
                    },
                    Err(error) => Outcome::Failed(error.message()),
                });
            });
        })
    };
    let busy = *outcome == Outcome::Busy;
    html! {
        <div class="audit-verify">
            <button id="audit-verify" type="button" class="btn btn-outline" disabled={busy} {onclick}>
                { if busy { text::AUDIT_VERIFYING } else { text::AUDIT_VERIFY } }
            </button>
            {
                match &*outcome {
                    Outcome::Intact(message) => html! {
                        <Alert kind={AlertKind::Success} id="audit-verify-ok">{ message.clone() }</Alert>
                    },
                    Outcome::Broken(message) => html! {
                        <Alert kind={AlertKind::Error} id="audit-verify-broken">{ message.clone() }</Alert>
                    },
                    Outcome::Failed(message) => html! {
                        <Alert kind={AlertKind::Error} id="audit-verify-error">{ message.clone() }</Alert>
                    },
                    Outcome::Idle | Outcome::Busy => html! {},
                }
            }
        </div>
    }
}
