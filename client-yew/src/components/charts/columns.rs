use api_types::Point;
use yew::prelude::*;

use super::{nice_max, share};
use crate::{format, text};

#[derive(Properties, PartialEq)]
pub struct ColumnsProps {
    pub id: AttrValue,
    pub points: Vec<Point>,
    /// `day`, `week` or `month`: how the labels and tooltips read.
    pub granularity: AttrValue,
}

const WIDTH: f64 = 420.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 30.0;
const BOTTOM: f64 = 24.0;
const TOP: f64 = 10.0;
/// At most this many labels under the axis; the others are in the tooltips.
const LABELS: usize = 8;

/// New contacts per bucket as columns (`rect.column[data-start]`), with a light grid.
#[component]
pub fn Columns(props: &ColumnsProps) -> Html {
    let count = props.points.len();
    if count == 0 || props.points.iter().all(|p| p.count == 0) {
        return super::donut::empty(&props.id);
    }
    let max = nice_max(props.points.iter().map(|p| p.count).max().unwrap_or(0));
    let plot_h = HEIGHT - BOTTOM - TOP;
    let slot = (WIDTH - LEFT) / count as f64;
    let every = count.div_ceil(LABELS).max(1);
    let grid: Vec<Html> = (0..=4)
        .map(|step| {
            let value = max * step / 4;
            let y = TOP + plot_h - share(value, max, plot_h);
            html! {
                <g class="chart-grid">
                    <line x1={LEFT.to_string()} x2={WIDTH.to_string()} y1={format!("{y:.1}")} y2={format!("{y:.1}")} />
                    <text x={(LEFT - 6.0).to_string()} y={format!("{:.1}", y + 4.0)} text-anchor="end">{ value }</text>
                </g>
            }
        })
        .collect();
    let bars: Vec<Html> = props
        .points
        .iter()
        .enumerate()
        .map(|(i, point)| {
            let h = share(point.count, max, plot_h);
            let x = LEFT + slot * i as f64 + slot * 0.15;
            let label = label(&point.start, &props.granularity);
            html! {
                <g>
                    <rect class="column" data-start={point.start.clone()} data-count={point.count.to_string()}
                        x={format!("{x:.1}")} y={format!("{:.1}", TOP + plot_h - h)}
                        width={format!("{:.1}", slot * 0.7)} height={format!("{h:.1}")}>
                        <title>{ text::trend_tooltip(&label, &props.granularity, point.count) }</title>
                    </rect>
                    if i % every == 0 {
                        <text class="axis-label" x={format!("{:.1}", x + slot * 0.35)} y={(HEIGHT - 6.0).to_string()}
                            text-anchor="middle">{ label }</text>
                    }
                </g>
            }
        })
        .collect();
    html! {
        <figure id={props.id.clone()} class="chart chart-columns">
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" aria-label={text::trend_title(&props.granularity)}>
                { for grid }
                { for bars }
            </svg>
        </figure>
    }
}

/// `2026-12-02` → `02/12` (days and weeks) or `12/2026` (months).
fn label(start: &str, granularity: &str) -> String {
    let shown = format::date(start);
    if granularity == "month" {
        shown.get(3..).unwrap_or(&shown).to_owned()
    } else {
        shown.get(..5).unwrap_or(&shown).to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fit_the_bucket() {
        assert_eq!(label("2026-12-02", "day"), "02/12");
        assert_eq!(label("2026-11-30", "week"), "30/11");
        assert_eq!(label("2026-12-01", "month"), "12/2026");
    }
}
