use serde_json::Value;
use yew::prelude::*;

use crate::snapshot_diff::diff;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct AuditDiffProps {
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Field | before | after, every field of the entry, changed rows marked
/// (`tr.diff-changed`, each row `tr[data-field=<path>]`).
#[component]
pub fn AuditDiff(props: &AuditDiffProps) -> Html {
    let rows = diff(props.before.as_ref(), props.after.as_ref());
    if rows.is_empty() {
        return html! { <p class="muted-small audit-no-content">{ text::AUDIT_NO_CONTENT }</p> };
    }
    let absent = || html! { <span class="muted-small">{ text::AUDIT_ABSENT }</span> };
    html! {
        <table class="table table-compact audit-diff">
            <thead>
                <tr>
                    <th scope="col">{ text::AUDIT_FIELD }</th>
                    <th scope="col">{ text::AUDIT_BEFORE }</th>
                    <th scope="col">{ text::AUDIT_AFTER }</th>
                </tr>
            </thead>
            <tbody>
                for row in rows {
                    <tr data-field={row.path.clone()} class={classes!(row.changed.then_some("diff-changed"))}>
                        <th scope="row" title={row.path.clone()}>{ row.label.clone() }</th>
                        <td class="diff-before">
                            if let Some(before) = &row.before { { before.clone() } } else { { absent() } }
                        </td>
                        <td class="diff-after">
                            if let Some(after) = &row.after { { after.clone() } } else { { absent() } }
                        </td>
                    </tr>
                }
            </tbody>
        </table>
    }
}
