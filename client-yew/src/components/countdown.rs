use std::time::Duration;

use futures_util::future::{AbortHandle, Abortable};
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::format;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct CountdownProps {
    /// Seconds left when the component appears; give it a new `key` to start over.
    pub secs: u64,
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// Called once when a wait that had begun is over (not for `secs: 0`).
    #[prop_or_default]
    pub on_done: Callback<()>,
}

/// "Chờ m:ss để nhận tiếp", ticking every second; at zero it says the user may pick.
#[component]
pub fn Countdown(props: &CountdownProps) -> Html {
    let left = use_state(|| props.secs);
    {
        let (left, on_done) = (left.clone(), props.on_done.clone());
        use_effect_with(props.secs, move |&secs| {
            left.set(secs);
            let (abort, registration) = AbortHandle::new_pair();
            spawn_local(async move {
                let tick = async move {
                    // Counted here rather than read back from the state, which this
                    // future only sees as it was when it started.
                    let mut remaining = secs;
                    if remaining == 0 {
                        return;
                    }
                    while remaining > 0 {
                        sleep(Duration::from_secs(1)).await;
                        remaining -= 1;
                        left.set(remaining);
                    }
                    on_done.emit(());
                };
                // Aborted when the component goes away: nothing to report.
                let _ = Abortable::new(tick, registration).await;
            });
            move || abort.abort()
        });
    }
    let label = if *left > 0 {
        text::wait_to_pick(&format::minutes_seconds(*left))
    } else {
        text::PICK_READY.to_owned()
    };
    html! {
        <span id={props.id.clone()} class={classes!("countdown", (*left == 0).then_some("countdown-done"))}
            aria-live="polite">
            { label }
        </span>
    }
}
