use api_types::ImportReport;
use yew::prelude::*;

use crate::text;

/// Rows listed per table; the rest are counted.
const SHOWN: usize = 200;

#[derive(Properties, PartialEq)]
pub struct ImportReportProps {
    pub report: ImportReport,
}

/// The dry run's counts, then every bad row (line, field, reason) and every skipped row.
#[component]
pub fn ImportReportView(props: &ImportReportProps) -> Html {
    let r = &props.report;
    let count = |id: &'static str, label: &'static str, value: u64, class: &'static str| {
        html! {
            <div class={classes!("import-count", class)} id={id}>
                <span class="import-count-value">{ api_types::group_thousands(value) }</span>
                <span class="import-count-label">{ label }</span>
            </div>
        }
    };
    html! {
        <section class="card" id="import-report">
            <h2 class="card-title">{ text::IMPORT_REPORT }</h2>
            <div class="import-counts">
                { count("import-rows", text::IMPORT_ROWS, r.rows, "") }
                { count("import-valid", text::IMPORT_VALID, r.valid, "import-count-good") }
                { count("import-skipped", text::IMPORT_SKIPPED, r.skipped.len() as u64, "") }
                { count("import-errors", text::IMPORT_ERRORS, r.errors.len() as u64,
                    if r.errors.is_empty() { "" } else { "import-count-bad" }) }
            </div>
            if r.errors.is_empty() {
                <p class="muted" id="import-all-good">{ text::IMPORT_ALL_GOOD }</p>
            } else {
                <h3 class="import-subtitle">{ text::IMPORT_ERRORS_TITLE }</h3>
                <div class="table-wrap">
                    <table class="table" id="import-error-table">
                        <thead><tr>
                            <th scope="col" class="numeric">{ text::IMPORT_LINE }</th>
                            <th scope="col">{ text::IMPORT_FIELD }</th>
                            <th scope="col">{ text::IMPORT_REASON }</th>
                        </tr></thead>
                        <tbody>
                            for e in r.errors.iter().take(SHOWN) {
                                <tr data-line={e.line.to_string()}>
                                    <td data-label={text::IMPORT_LINE} class="numeric">{ e.line }</td>
                                    <td data-label={text::IMPORT_FIELD}>{ e.field.clone() }</td>
                                    <td data-label={text::IMPORT_REASON}>{ e.message.clone() }</td>
                                </tr>
                            }
                        </tbody>
                    </table>
                </div>
                if r.errors.len() > SHOWN {
                    <p class="muted">{ text::import_more(r.errors.len() - SHOWN) }</p>
                }
            }
            if !r.skipped.is_empty() {
                <details class="import-skipped">
                    <summary>{ format!("{} ({})", text::IMPORT_SKIPPED_TITLE, r.skipped.len()) }</summary>
                    <ul id="import-skipped-list">
                        for s in r.skipped.iter().take(SHOWN) {
                            <li>{ format!("{} {}: {}", text::IMPORT_LINE, s.line, s.reason) }</li>
                        }
                    </ul>
                </details>
            }
        </section>
    }
}
