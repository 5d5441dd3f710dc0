use api_types::{Slice, format_permille};
use yew::prelude::*;

use super::share;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct DonutProps {
    pub id: AttrValue,
    pub slices: Vec<Slice>,
}

const RADIUS: f64 = 70.0;

/// Contacts by status as a donut (`circle.donut-slice[data-status]`), the total in the
/// middle and a legend with the counts.
#[component]
pub fn Donut(props: &DonutProps) -> Html {
    let total: i64 = props.slices.iter().map(|s| s.count).sum();
    if total == 0 {
        return empty(&props.id);
    }
    let circumference = 2.0 * std::f64::consts::PI * RADIUS;
    let mut before = 0.0;
    let marks: Vec<Html> = props
        .slices
        .iter()
        .filter(|s| s.count > 0)
        .map(|slice| {
            let length = share(slice.count, total, circumference);
            let dash = format!("{length:.2} {:.2}", circumference - length);
            let offset = format!("{:.2}", -before);
            before += length;
            let name = text::status_label(&slice.status);
            let percent = format_permille(share(slice.count, total, 1000.0).round() as i64);
            html! {
                <circle class={classes!("donut-slice", format!("status-{}", slice.status))}
                    data-status={slice.status.clone()} data-count={slice.count.to_string()}
                    cx="100" cy="100" r={RADIUS.to_string()} stroke-dasharray={dash}
                    stroke-dashoffset={offset} transform="rotate(-90 100 100)">
                    <title>{ text::slice_tooltip(name, slice.count, &percent) }</title>
                </circle>
            }
        })
        .collect();
    html! {
        <figure id={props.id.clone()} class="chart chart-donut">
            <svg viewBox="0 0 200 200" role="img" aria-label={text::CHART_STATUS}>
                <circle class="donut-track" cx="100" cy="100" r={RADIUS.to_string()} />
                { for marks }
                <text class="donut-total" x="100" y="98" text-anchor="middle">{ total }</text>
                <text class="donut-caption" x="100" y="120" text-anchor="middle">{ text::CHART_STATUS_TOTAL }</text>
            </svg>
            <ul class="chart-legend">
                for slice in props.slices.iter().filter(|s| s.count > 0) {
                    <li>
                        <span class={classes!("legend-swatch", format!("status-{}", slice.status))}></span>
                        { text::status_label(&slice.status) }
                        <strong>{ slice.count }</strong>
                    </li>
                }
            </ul>
        </figure>
    }
}

pub fn empty(id: &AttrValue) -> Html {
    html! {
        <figure id={id.clone()} class="chart chart-empty">
            <p class="empty-state">{ text::CHART_EMPTY }</p>
        </figure>
    }
}
