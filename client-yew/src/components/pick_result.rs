use yew::prelude::*;

use crate::components::alert::{Alert, AlertKind};
use crate::components::countdown::Countdown;
use crate::hooks::PickOutcome;

#[derive(Properties, PartialEq)]
pub struct PickResultProps {
    pub outcome: PickOutcome,
    /// Which attempt this is: a new one restarts the countdown.
    pub attempt: u32,
}

/// The last pick's outcome as `#pick-result`: success, or the refusal with a live
/// "Chờ m:ss để nhận tiếp" (`#pick-wait`) when the user is cooling down.
#[component]
pub fn PickResult(props: &PickResultProps) -> Html {
    match &props.outcome {
        PickOutcome::Picked(message) => html! {
            <Alert kind={AlertKind::Success} id="pick-result">{ message.clone() }</Alert>
        },
        PickOutcome::Refused { message, wait_secs } => html! {
            <Alert kind={AlertKind::Error} id="pick-result">
                { message.clone() }
                if let Some(secs) = wait_secs {
                    { " " }
                    <Countdown key={props.attempt} id="pick-wait" secs={*secs} />
                }
            </Alert>
        },
    }
}
