use api_types::{AuditEntryDto, audit_action_label, label};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::audit_diff::AuditDiff;
use crate::format;
use crate::nav;
use crate::text;

const COLUMNS: &str = "7";

#[derive(Properties, PartialEq)]
pub struct AuditTableProps {
    pub items: Vec<AuditEntryDto>,
}

/// One page of the audit trail (`#audit-table`, rows `tr[data-audit-id]`); "Chi tiết"
/// (`button.audit-toggle`) opens the entry's before/after view beneath its row.
#[component]
pub fn AuditTable(props: &AuditTableProps) -> Html {
    html! {
        <div class="table-wrap">
            <table class="table" id="audit-table">
                <thead>
                    <tr>
                        <th scope="col">{ text::AUDIT_AT }</th>
                        <th scope="col">{ text::AUDIT_ACTOR }</th>
                        <th scope="col">{ text::AUDIT_ACTION }</th>
                        <th scope="col">{ text::AUDIT_TARGET }</th>
                        <th scope="col">{ text::AUDIT_IP }</th>
                        <th scope="col">{ text::AUDIT_DEVICE }</th>
                        <th scope="col"><span class="visually-hidden">{ text::AUDIT_DETAILS }</span></th>
                    </tr>
                </thead>
                for entry in &props.items {
                    <AuditRow key={entry.id} entry={entry.clone()} />
                }
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct AuditRowProps {
    entry: AuditEntryDto,
}

/// A `<tbody>` per entry, so its detail row stays next to it.
#[component]
fn AuditRow(props: &AuditRowProps) -> Html {
    let open = use_state(|| false);
    let navigator = use_navigator();
    let entry = &props.entry;
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let action = audit_action_label(&entry.action).unwrap_or(&entry.action);
    let actor = entry
        .actor_name
        .clone()
        .unwrap_or_else(|| text::SYSTEM_ACTOR.to_owned());
    let detail_id = format!("audit-detail-{}", entry.id);
    html! {
        <tbody data-audit-id={entry.id.to_string()} data-audit-action={entry.action.clone()}>
            <tr class={classes!(open.then_some("row-open"))}>
                <td class="nowrap" data-label={text::AUDIT_AT}>{ format::datetime(&entry.at) }</td>
                <td data-label={text::AUDIT_ACTOR}>{ actor }</td>
                <td data-label={text::AUDIT_ACTION}>
                    <span class="audit-action">{ action.to_owned() }</span>
                    <span class="muted-small audit-code">{ entry.action.clone() }</span>
                </td>
                <td data-label={text::AUDIT_TARGET}>{ target(entry, &navigator) }</td>
                <td class="nowrap" data-label={text::AUDIT_IP}>
                    { entry.ip.clone().unwrap_or_else(|| text::AUDIT_EMPTY.to_owned()) }
                </td>
                <td data-label={text::AUDIT_DEVICE} title={entry.user_agent.clone()}>
                    { format::device(entry.user_agent.as_deref()) }
                </td>
                <td>
                    <button type="button" class="btn btn-outline btn-small audit-toggle"
                        aria-expanded={open.to_string()} aria-controls={detail_id.clone()} onclick={toggle}>
                        { if *open { text::AUDIT_HIDE } else { text::AUDIT_DETAILS } }
                    </button>
                </td>
            </tr>
            if *open {
                <tr class="audit-detail" id={detail_id}>
                    <td colspan={COLUMNS}>
                        <AuditDiff before={entry.before.clone()} after={entry.after.clone()} />
                        if let Some(agent) = &entry.user_agent {
                            <p class="muted-small audit-agent">{ agent.clone() }</p>
                        }
                    </td>
                </tr>
            }
        </tbody>
    }
}

/// "Khách hàng #12", a link when a screen shows that record.
fn target(entry: &AuditEntryDto, navigator: &Option<Navigator>) -> Html {
    let (Some(kind), id) = (entry.target_type.as_deref(), entry.target_id.as_deref()) else {
        return html! { <span class="muted-small">{ text::AUDIT_EMPTY }</span> };
    };
    let name = match label(text::AUDIT_TARGETS, kind) {
        "" => kind,
        named => named,
    };
    let Some(id) = id else {
        return html! { name.to_owned() };
    };
    let shown = format!("{name} #{id}");
    let route = id.parse::<i64>().ok().and_then(|id| match kind {
        "contact" => Some(Route::ContactDetail { id }),
        "deal" => Some(Route::DealDetail { id }),
        "user" => Some(Route::EmployeeDetail { id }),
        "team" => Some(Route::TeamDetail { id }),
        _ => None,
    });
    match route {
        Some(route) => html! {
            <a href={route.to_path()} onclick={nav::follow(navigator, route)}>{ shown }</a>
        },
        None => html! { shown },
    }
}
