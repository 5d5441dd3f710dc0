use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct PaymentBadgeProps {
    /// The server's payment status (`pending`, `partial`, `paid`, `refunded`).
    pub status: AttrValue,
}

/// A deal's payment status as a coloured badge (`span[data-payment-status]`).
#[component]
pub fn PaymentBadge(props: &PaymentBadgeProps) -> Html {
    let status = props.status.as_str();
    let class = match status {
        "pending" | "partial" | "paid" | "refunded" => format!("badge-payment-{status}"),
        _ => "badge-muted".to_owned(),
    };
    html! {
        <span class={classes!("badge", class)} data-payment-status={props.status.clone()}>
            { text::payment_label(status).to_owned() }
        </span>
    }
}
