use yew::platform::spawn_local;
use yew::prelude::*;

use crate::components::alert::{Alert, AlertKind};
use crate::text;
use crate::web_push::{self, PushState};

/// The profile's "Thông báo trên trình duyệt" section: this browser's Web Push opt-in,
/// in the real state the browser reports (unsupported, blocked, on, off).
#[component]
pub fn PushCard() -> Html {
    // None until the browser has answered.
    let state = use_state(|| None::<PushState>);
    let busy = use_state(|| false);
    let error = use_state(|| None::<AttrValue>);
    {
        let state = state.clone();
        use_effect_with((), move |()| {
            spawn_local(async move { state.set(Some(web_push::state().await)) });
        });
    }
    let toggle = {
        let (state, busy, error) = (state.clone(), busy.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let turning_on = *state != Some(PushState::On);
            busy.set(true);
            error.set(None);
            let (state, busy, error) = (state.clone(), busy.clone(), error.clone());
            spawn_local(async move {
                let result = if turning_on {
                    web_push::turn_on().await
                } else {
                    web_push::turn_off().await
                };
                busy.set(false);
                match result {
                    Ok(next) => state.set(Some(next)),
                    Err(message) => {
                        error.set(Some(message.into()));
                        state.set(Some(web_push::state().await));
                    }
                }
            });
        })
    };

    let (badge_class, badge) = match *state {
        None => ("badge badge-muted", text::PUSH_CHECKING),
        Some(PushState::On) => ("badge badge-active", text::PUSH_ON),
        Some(_) => ("badge badge-muted", text::PUSH_OFF),
    };
    let body = match *state {
        None => html! {},
        Some(PushState::Unsupported) => html! {
            <p class="muted" id="push-unsupported">{ text::PUSH_UNSUPPORTED }</p>
        },
        Some(PushState::Denied) => html! {
            <Alert kind={AlertKind::Error} id="push-denied">{ text::PUSH_DENIED }</Alert>
        },
        Some(on_or_off) => {
            let label = match (*busy, on_or_off) {
                (true, _) => text::PUSH_WORKING,
                (false, PushState::On) => text::PUSH_TURN_OFF,
                (false, _) => text::PUSH_TURN_ON,
            };
            let class = if on_or_off == PushState::On {
                "btn btn-outline"
            } else {
                "btn btn-primary"
            };
            html! {
                <button type="button" id="push-toggle" {class} disabled={*busy}
                    aria-busy={busy.to_string()} onclick={toggle}>
                    { label }
                </button>
            }
        }
    };
    html! {
        <section id="push-card" class="card">
            <h2 class="card-title card-title-row">
                <span>{ text::PUSH_TITLE }</span>
                <span id="push-status" class={badge_class}>{ badge }</span>
            </h2>
            <p class="muted">{ text::PUSH_INTRO }</p>
            if let Some(message) = &*error {
                <Alert kind={AlertKind::Error} id="push-error">{ message.clone() }</Alert>
            }
            { body }
        </section>
    }
}
