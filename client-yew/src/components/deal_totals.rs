use api_types::{Pricing, format_vnd};
use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct DealTotalsProps {
    /// `None` when an amount is past the largest allowed.
    pub pricing: Option<Pricing>,
    /// The chosen coupon's code and what it takes off ("10%"), if any.
    #[prop_or_default]
    pub coupon: Option<(AttrValue, AttrValue)>,
    /// Some line is not filled in enough to count yet.
    #[prop_or_default]
    pub pending: bool,
}

/// The live total under the lines (`#deal-totals`): `#deal-subtotal`, `#deal-discount`
/// and `#deal-total`, recomputed on every change with the server's own arithmetic.
#[component]
pub fn DealTotals(props: &DealTotalsProps) -> Html {
    let Some(pricing) = props.pricing else {
        return html! {
            <div id="deal-totals" class="deal-totals" aria-live="polite">
                <p id="deal-total" class="field-error">{ text::TOTAL_TOO_LARGE }</p>
            </div>
        };
    };
    let discount_label = match &props.coupon {
        Some((code, value)) => format!("{} ({code}, −{value})", text::DISCOUNT),
        None => text::DISCOUNT.to_owned(),
    };
    html! {
        <div id="deal-totals" class="deal-totals" aria-live="polite">
            <dl class="totals">
                <dt>{ text::SUBTOTAL }</dt>
                <dd id="deal-subtotal" class="money">{ format_vnd(pricing.subtotal) }</dd>
                <dt>{ discount_label }</dt>
                <dd id="deal-discount" class="money">{ format_vnd(-pricing.discount) }</dd>
                <dt class="totals-grand">{ text::GRAND_TOTAL }</dt>
                <dd id="deal-total" class="money totals-grand">{ format_vnd(pricing.total) }</dd>
            </dl>
            if props.pending {
                <p class="field-hint">{ text::PENDING_LINES }</p>
            }
        </div>
    }
}
