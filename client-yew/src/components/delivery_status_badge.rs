use api_types::{DELIVERY_STATUSES, label};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DeliveryStatusBadgeProps {
    /// `pending`, `sent` or `failed`.
    pub status: AttrValue,
}

/// A delivery's status as a coloured badge, in the server's Vietnamese words.
#[component]
pub fn DeliveryStatusBadge(props: &DeliveryStatusBadgeProps) -> Html {
    let class = match props.status.as_str() {
        "sent" => "badge-active",
        "failed" => "badge-locked",
        _ => "badge-pending",
    };
    let name = match label(DELIVERY_STATUSES, &props.status) {
        "" => props.status.to_string(),
        named => named.to_owned(),
    };
    html! {
        <span class={classes!("badge", "delivery-status", class)} data-status={props.status.clone()}>
            { name }
        </span>
    }
}
