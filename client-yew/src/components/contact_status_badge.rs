use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct ContactStatusBadgeProps {
    /// The server's status code (`new`, `consulting`…).
    pub status: AttrValue,
}

/// A contact's status as a coloured badge (`span[data-contact-status]`); each status has
/// its own class so the flow reads at a glance.
#[component]
pub fn ContactStatusBadge(props: &ContactStatusBadgeProps) -> Html {
    let status = props.status.as_str();
    let class = match status {
        "new" | "consulting" | "won" | "failed" | "care_l1" | "care_l2" | "closed" => {
            format!("badge-contact-{status}")
        }
        _ => "badge-muted".to_owned(),
    };
    html! {
        <span class={classes!("badge", class)} data-contact-status={props.status.clone()}>
            { text::status_label(status).to_owned() }
        </span>
    }
}
