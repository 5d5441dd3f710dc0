use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct SubmitButtonProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub busy_label: AttrValue,
    pub busy: bool,
    /// The connection is down: the button waits, saying why.
    #[prop_or_default]
    pub offline: bool,
}

/// A form's submit button, disabled with a "working" label while the request runs.
#[component]
pub fn SubmitButton(props: &SubmitButtonProps) -> Html {
    html! {
        <button type="submit" id={props.id.clone()} class="btn btn-primary btn-block"
            disabled={props.busy || props.offline}
            title={props.offline.then_some(text::OFFLINE_HINT)} aria-busy={props.busy.to_string()}>
            if props.busy {
                <span class="spinner spinner-small" aria-hidden="true"></span>
                { props.busy_label.clone() }
            } else {
                { props.label.clone() }
            }
        </button>
    }
}
