use api_types::{Performer, format_vnd};
use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct PerformerTableProps {
    pub rows: Vec<Performer>,
}

/// Top performers (`#performers-table tr[data-user]`): picks, deals, revenue.
#[component]
pub fn PerformerTable(props: &PerformerTableProps) -> Html {
    if props.rows.is_empty() {
        return html! { <p id="performers-empty" class="empty-state">{ text::NO_PERFORMERS }</p> };
    }
    html! {
        <div class="table-wrap">
            <table id="performers-table" class="table">
                <thead>
                    <tr>
                        <th>{ "#" }</th>
                        <th>{ text::PERFORMER }</th>
                        <th>{ text::REPORT_TEAM }</th>
                        <th class="num">{ text::PERFORMER_CONTACTS }</th>
                        <th class="num">{ text::PERFORMER_DEALS }</th>
                        <th class="num">{ text::PERFORMER_REVENUE }</th>
                    </tr>
                </thead>
                <tbody>
                    for (rank, row) in props.rows.iter().enumerate() {
                        <tr key={row.user_id} data-user={row.user_id.to_string()}>
                            <td>{ rank + 1 }</td>
                            <td>{ row.full_name.clone() }</td>
                            <td>{ row.team.clone().unwrap_or_else(|| text::DASH.to_owned()) }</td>
                            <td class="num">{ row.contacts }</td>
                            <td class="num">{ row.deals }</td>
                            <td class="num money">{ format_vnd(row.revenue) }</td>
                        </tr>
                    }
                </tbody>
            </table>
        </div>
    }
}
