use api_types::{CHANNELS, DeliveryDto, label};
use yew::prelude::*;

use crate::components::delivery_status_badge::DeliveryStatusBadge;
use crate::{format, text};

#[derive(Properties, PartialEq)]
pub struct DeliveryTableProps {
    pub items: Vec<DeliveryDto>,
    /// The delivery the page was opened for: highlighted.
    #[prop_or_default]
    pub focused: Option<i64>,
    pub on_retry: Callback<i64>,
    /// The delivery being sent again.
    #[prop_or_default]
    pub busy_id: Option<i64>,
}

/// One page of the outbox (`#delivery-table`, rows `tr[data-delivery-id]`): time, rule,
/// recipient, channel, status badge, attempts, last error, and "Thử lại ngay"
/// (`button.delivery-retry`) on failed ones.
#[component]
pub fn DeliveryTable(props: &DeliveryTableProps) -> Html {
    html! {
        <div class="table-wrap">
            <table class="table" id="delivery-table">
                <thead>
                    <tr>
                        <th scope="col">{ text::DELIVERY_AT }</th>
                        <th scope="col">{ text::DELIVERY_RULE }</th>
                        <th scope="col">{ text::DELIVERY_RECIPIENT }</th>
                        <th scope="col">{ text::DELIVERY_CHANNEL }</th>
                        <th scope="col">{ text::DELIVERY_STATUS }</th>
                        <th scope="col" class="numeric">{ text::DELIVERY_ATTEMPTS }</th>
                        <th scope="col">{ text::DELIVERY_ERROR }</th>
                        <th scope="col"><span class="visually-hidden">{ text::DELIVERY_RETRY }</span></th>
                    </tr>
                </thead>
                <tbody>
                    for delivery in &props.items {
                        { row(delivery, props) }
                    }
                </tbody>
            </table>
        </div>
    }
}

fn row(d: &DeliveryDto, props: &DeliveryTableProps) -> Html {
    let focused = props.focused == Some(d.id);
    let id = d.id;
    let retry = props.on_retry.reform(move |_: MouseEvent| id);
    let busy = props.busy_id == Some(d.id);
    html! {
        <tr data-delivery-id={d.id.to_string()} data-status={d.status.clone()}
            class={classes!(focused.then_some("row-focus"))}
            aria-current={focused.then_some("true")}>
            <td class="nowrap" data-label={text::DELIVERY_AT}>
                { format::datetime(&d.created_at) }
                <span class="muted-small delivery-title">{ format!("#{} · {}", d.id, d.title) }</span>
            </td>
            <td data-label={text::DELIVERY_RULE}>
                { d.rule_name.clone().unwrap_or_else(|| text::DELIVERY_RULE_DELETED.to_owned()) }
            </td>
            <td data-label={text::DELIVERY_RECIPIENT}>
                { d.recipient_name.clone().unwrap_or_else(|| text::DELIVERY_PERSON_DELETED.to_owned()) }
            </td>
            <td data-label={text::DELIVERY_CHANNEL}>{ label(CHANNELS, &d.channel).to_owned() }</td>
            <td data-label={text::DELIVERY_STATUS}><DeliveryStatusBadge status={d.status.clone()} /></td>
            <td class="numeric" data-label={text::DELIVERY_ATTEMPTS}>{ d.attempts }</td>
            <td data-label={text::DELIVERY_ERROR} class="delivery-error">
                { d.last_error.clone().unwrap_or_else(|| text::DASH.to_owned()) }
            </td>
            <td>
                if d.status == "failed" {
                    <button type="button" class="btn btn-outline btn-small delivery-retry"
                        disabled={busy} aria-busy={busy.to_string()}
                        aria-label={text::delivery_retry_label(d.id)} onclick={retry}>
                        { if busy { text::WORKING } else { text::DELIVERY_RETRY } }
                    </button>
                }
            </td>
        </tr>
    }
}
