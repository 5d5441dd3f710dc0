use api_types::{Bar, format_vnd};
use yew::prelude::*;

use super::{nice_max, share};
use crate::text;

/// What the bars count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Picks,
    Revenue,
}

#[derive(Properties, PartialEq)]
pub struct HBarsProps {
    pub id: AttrValue,
    pub bars: Vec<Bar>,
    pub measure: Measure,
}

const WIDTH: f64 = 420.0;
const ROW: f64 = 30.0;
const LABEL_W: f64 = 130.0;
const VALUE_W: f64 = 92.0;

/// One horizontal bar per Sale or team (`rect.hbar[data-label]`), largest first.
#[component]
pub fn HBars(props: &HBarsProps) -> Html {
    if props.bars.iter().all(|b| b.value == 0) {
        return super::donut::empty(&props.id);
    }
    let max = nice_max(props.bars.iter().map(|b| b.value).max().unwrap_or(0));
    let track = WIDTH - LABEL_W - VALUE_W;
    let height = ROW * props.bars.len() as f64;
    let rows: Vec<Html> = props
        .bars
        .iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = ROW * i as f64;
            let value = match props.measure {
                Measure::Picks => bar.value.to_string(),
                Measure::Revenue => format_vnd(bar.value),
            };
            let tooltip = match props.measure {
                Measure::Picks => text::picks_tooltip(&bar.label, bar.value),
                Measure::Revenue => text::revenue_tooltip(&bar.label, &value),
            };
            let w = share(bar.value, max, track).max(2.0);
            html! {
                <g>
                    <text class="hbar-label" x={(LABEL_W - 8.0).to_string()} y={format!("{:.1}", y + 19.0)}
                        text-anchor="end">{ short(&bar.label) }</text>
                    <rect class={classes!("hbar", (props.measure == Measure::Revenue).then_some("hbar-money"))}
                        data-label={bar.label.clone()} data-value={bar.value.to_string()}
                        x={LABEL_W.to_string()} y={format!("{:.1}", y + 6.0)} width={format!("{w:.1}")} height="18" rx="3">
                        <title>{ tooltip }</title>
                    </rect>
                    <text class="hbar-value" x={format!("{:.1}", LABEL_W + w + 6.0)} y={format!("{:.1}", y + 19.0)}>{ value }</text>
                </g>
            }
        })
        .collect();
    html! {
        <figure id={props.id.clone()} class="chart chart-hbars">
            <svg viewBox={format!("0 0 {WIDTH} {height}")} role="img">
                { for rows }
            </svg>
        </figure>
    }
}

/// Long names are cut so the bar keeps its room; the tooltip has the whole name.
fn short(label: &str) -> String {
    const MAX: usize = 18;
    if label.chars().count() <= MAX {
        label.to_owned()
    } else {
        let cut: String = label.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}
