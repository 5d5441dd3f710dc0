use api_types::PickAllowance;
use yew::prelude::*;

use crate::api;
use crate::components::countdown::Countdown;
use crate::hooks::{Remote, use_remote};
use crate::text;

#[derive(Properties, PartialEq)]
pub struct PickAllowanceStripProps {
    /// Changed after every pick attempt, to ask the server again.
    pub reload: u32,
}

/// Today's picks per service type ("TLDN 1/5 · KTDN 0/5") and the cooldown countdown,
/// as `#pick-allowance`; a service type at its limit is marked `.usage-full`.
#[component]
pub fn PickAllowanceStrip(props: &PickAllowanceStripProps) -> Html {
    // Bumped when the countdown ends, so the strip shows the server's view again.
    let expired = use_state(|| 0_u32);
    let allowance = use_remote((props.reload, *expired), |_| api::pick_allowance());
    let Remote::Ready(allowance) = &*allowance else {
        // The strip is a hint: while loading or after a failure the list still works.
        return Html::default();
    };
    let on_done = {
        let expired = expired.clone();
        Callback::from(move |()| expired.set(*expired + 1))
    };
    html! {
        <div id="pick-allowance" class="pick-allowance" aria-live="polite">
            <span class="pick-allowance-title">{ text::PICK_ALLOWANCE }</span>
            { usage(allowance) }
            // A new attempt restarts the countdown; the end of one only asks the server again.
            <Countdown key={props.reload} id="pick-cooldown"
                secs={allowance.cooldown_remaining_secs} {on_done} />
        </div>
    }
}

fn usage(allowance: &PickAllowance) -> Html {
    html! {
        <ul class="usage-list">
            for item in &allowance.usage {
                <li class={classes!("usage-item", (item.used >= item.limit).then_some("usage-full"))}
                    data-usage={item.code.clone()} title={item.name.clone()}>
                    { text::pick_usage(&item.code, item.used, item.limit) }
                </li>
            }
        </ul>
    }
}
