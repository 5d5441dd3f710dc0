use api_types::{DealSummary, format_vnd};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::payment_badge::PaymentBadge;
use crate::format;
use crate::nav;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct DealTableProps {
    pub items: Vec<DealSummary>,
    /// Matching deals, all pages.
    pub count: u64,
    /// Σ total and Σ discount of the matching deals, all pages.
    pub sum_total: i64,
    pub sum_discount: i64,
    /// A deal that just arrived live, highlighted (`tr.row-new`).
    #[prop_or_default]
    pub fresh: Option<i64>,
}

/// One page of deals (`tr[data-deal-code]`) and, below it, the totals of every matching
/// deal (`#deals-sum`: `#deals-sum-count`, `#deals-sum-total`).
#[component]
pub fn DealTable(props: &DealTableProps) -> Html {
    let navigator = use_navigator();
    html! {
        <div class="table-wrap">
            <table class="table" id="deals-table">
                <thead>
                    <tr>
                        <th scope="col">{ text::DEAL_CODE }</th>
                        <th scope="col">{ text::CUSTOMER }</th>
                        <th scope="col">{ text::PRODUCTS }</th>
                        <th scope="col">{ text::CLOSER }</th>
                        <th scope="col">{ text::TEAM }</th>
                        <th scope="col">{ text::CLOSED_ON }</th>
                        <th scope="col">{ text::PAYMENT }</th>
                        <th scope="col" class="numeric">{ text::TOTAL }</th>
                    </tr>
                </thead>
                <tbody>
                    for deal in &props.items {
                        { row(deal, props.fresh == Some(deal.id), &navigator) }
                    }
                </tbody>
                <tfoot>
                    <tr id="deals-sum" class="sum-row">
                        <td colspan="7" data-label={text::SUM_ROW}>
                            <span class="sum-label">{ text::SUM_ROW }</span>
                            <span id="deals-sum-count">{ text::deal_total(props.count) }</span>
                            if props.sum_discount > 0 {
                                <span class="muted-small">{ text::sum_discount(&format_vnd(props.sum_discount)) }</span>
                            }
                        </td>
                        <td id="deals-sum-total" class="numeric money" data-label={text::TOTAL}>
                            { format_vnd(props.sum_total) }
                        </td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

fn row(deal: &DealSummary, fresh: bool, navigator: &Option<Navigator>) -> Html {
    let route = Route::DealDetail { id: deal.id };
    let contact = Route::ContactDetail {
        id: deal.contact_id,
    };
    let or_dash = |value: &Option<String>| value.clone().unwrap_or_else(|| text::DASH.to_owned());
    html! {
        <tr data-deal-code={deal.code.clone()} class={classes!(fresh.then_some("row-new"))}>
            <td data-label={text::DEAL_CODE}>
                <a href={route.to_path()} class="link contact-code" onclick={nav::follow(navigator, route)}>
                    { deal.code.clone() }
                </a>
            </td>
            <td data-label={text::CUSTOMER}>
                <a href={contact.to_path()} class="link deal-customer" onclick={nav::follow(navigator, contact)}>
                    <span class="contact-code">{ deal.contact_code.clone() }</span>
                    <span>{ deal.contact_name.clone() }</span>
                </a>
            </td>
            <td data-label={text::PRODUCTS}>{ deal.products.join(", ") }</td>
            <td data-label={text::CLOSER}>{ or_dash(&deal.closer_name) }</td>
            <td data-label={text::TEAM}>{ or_dash(&deal.team_name) }</td>
            <td data-label={text::CLOSED_ON}>{ format::date(&deal.closed_on) }</td>
            <td data-label={text::PAYMENT}><PaymentBadge status={deal.payment_status.clone()} /></td>
            <td data-label={text::TOTAL} class="numeric money" data-deal-total={deal.total.to_string()}>
                { format_vnd(deal.total) }
            </td>
        </tr>
    }
}
