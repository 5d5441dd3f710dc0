use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct StatusBadgeProps {
    /// The server's `active` or `locked`.
    pub status: AttrValue,
}

/// An employee's account status as a coloured badge.
#[component]
pub fn StatusBadge(props: &StatusBadgeProps) -> Html {
    let (class, label) = match props.status.as_str() {
        "locked" => ("badge-locked", text::STATUS_LOCKED),
        "active" => ("badge-active", text::STATUS_ACTIVE),
        _ => ("badge-muted", text::UNKNOWN),
    };
    html! {
        <span class={classes!("badge", class)} data-status={props.status.clone()}>{ label }</span>
    }
}
