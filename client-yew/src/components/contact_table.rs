use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use api_types::{ContactDto, ContactPage, SOURCES, label};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::contact_status_badge::ContactStatusBadge;
use crate::format;
use crate::live::use_offline;
use crate::nav;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct ContactTableProps {
    pub items: Vec<ContactDto>,
    /// Set when the viewer may pick: pooled rows get `button[data-pick="<code>"]`.
    #[prop_or_default]
    pub on_pick: Option<Callback<i64>>,
    /// Set on the care queue: each allowed move is `button[data-care-move="<code>:<status>"]`.
    #[prop_or_default]
    pub on_move: Option<Callback<(i64, String)>>,
    /// The contact whose action is running; every action button waits meanwhile.
    #[prop_or_default]
    pub busy: Option<i64>,
    /// Contacts someone else just picked (live): who, instead of the pick button.
    #[prop_or_default]
    pub taken: Rc<HashMap<i64, String>>,
    /// Rows that just arrived live, highlighted (`tr.row-new`).
    #[prop_or_default]
    pub fresh: Rc<HashSet<i64>>,
}

/// One page of contacts (`tr[data-contact-code]`); code and name link to the detail page.
#[component]
pub fn ContactTable(props: &ContactTableProps) -> Html {
    let navigator = use_navigator();
    let with_actions = props.on_pick.is_some() || props.on_move.is_some();
    let offline = use_offline();
    html! {
        <div class="table-wrap">
            <table class="table" id="contacts-table">
                <thead>
                    <tr>
                        <th scope="col">{ text::CODE }</th>
                        <th scope="col">{ text::CONTACT_NAME }</th>
                        <th scope="col">{ text::PHONE }</th>
                        <th scope="col">{ text::SERVICE }</th>
                        <th scope="col">{ text::SOURCE }</th>
                        <th scope="col">{ text::STATUS }</th>
                        <th scope="col">{ text::ASSIGNEE }</th>
                        <th scope="col">{ text::CREATED_AT }</th>
                        if with_actions {
                            <th scope="col">{ text::ACTIONS }</th>
                        }
                    </tr>
                </thead>
                <tbody>
                    for contact in &props.items {
                        { row(contact, props, &navigator, with_actions.then_some(offline)) }
                    }
                </tbody>
            </table>
        </div>
    }
}

fn row(
    contact: &ContactDto,
    props: &ContactTableProps,
    navigator: &Option<Navigator>,
    // With the action cell: whether its actions wait for the connection.
    actions_offline: Option<bool>,
) -> Html {
    let route = Route::ContactDetail { id: contact.id };
    let source = Some(label(SOURCES, &contact.source))
        .filter(|name| !name.is_empty())
        .unwrap_or(&contact.source)
        .to_owned();
    let assignee = contact
        .assignee_name
        .clone()
        .unwrap_or_else(|| text::DASH.to_owned());
    html! {
        <tr data-contact-code={contact.code.clone()}
            class={classes!(props.fresh.contains(&contact.id).then_some("row-new"))}>
            <td data-label={text::CODE}>
                <a href={route.to_path()} class="link contact-code" onclick={nav::follow(navigator, route.clone())}>
                    { contact.code.clone() }
                </a>
            </td>
            <td data-label={text::CONTACT_NAME}>
                <a href={route.to_path()} class="link" onclick={nav::follow(navigator, route)}>
                    { contact.full_name.clone() }
                </a>
            </td>
            <td data-label={text::PHONE}>
                <span class={classes!("phone", contact.masked.then_some("masked"))}
                    title={contact.masked.then_some(text::HIDDEN_UNTIL_PICKED)}>
                    { contact.phone.clone() }
                </span>
            </td>
            <td data-label={text::SERVICE}>{ contact.service_type_name.clone() }</td>
            <td data-label={text::SOURCE}>{ source }</td>
            <td data-label={text::STATUS}><ContactStatusBadge status={contact.status.clone()} /></td>
            <td data-label={text::ASSIGNEE}>{ assignee }</td>
            <td data-label={text::CREATED_AT}>{ format::datetime(&contact.created_at) }</td>
            if let Some(offline) = actions_offline {
                { actions(contact, props, offline) }
            }
        </tr>
    }
}

/// The row's action cell: the pick button or the care moves.
fn actions(contact: &ContactDto, props: &ContactTableProps, offline: bool) -> Html {
    let id = contact.id;
    let waiting = props.busy.is_some() || offline;
    let working = props.busy == Some(id);
    let hint = offline.then_some(text::OFFLINE_HINT);
    let taken = props.taken.get(&id).map(|name| {
        html! {
            <span class="picked-by" data-picked-by={name.clone()}>{ text::picked_by(name) }</span>
        }
    });
    let pick = props
        .on_pick
        .as_ref()
        .filter(|_| contact.status == "new" && taken.is_none())
        .map(|on_pick| {
            html! {
                <button type="button" class="btn btn-primary btn-small" data-pick={contact.code.clone()}
                    disabled={waiting} title={hint} aria-busy={working.to_string()}
                    onclick={on_pick.reform(move |_: MouseEvent| id)}>
                    { if working { text::PICKING } else { text::PICK } }
                </button>
            }
        });
    let moves = props.on_move.as_ref().map(|on_move| {
        html! {
            for status in contact.allowed_moves.iter().cloned() {
                <button type="button" class="btn btn-outline btn-small"
                    data-care-move={format!("{}:{status}", contact.code)} disabled={waiting} title={hint}
                    onclick={on_move.reform({ let status = status.clone(); move |_: MouseEvent| (id, status.clone()) })}>
                    { text::move_label(&status) }
                </button>
            }
        }
    });
    // An empty cell is kept for the desktop grid; phones hide it (`.row-actions-empty`).
    let empty =
        pick.is_none() && taken.is_none() && (moves.is_none() || contact.allowed_moves.is_empty());
    html! {
        <td data-label={text::ACTIONS} class={classes!("row-actions", empty.then_some("row-actions-empty"))}>
            <div class="button-row">{ taken }{ pick }{ moves }</div>
        </td>
    }
}

/// The page with one row replaced by the contact as the server now shows it, so an
/// action's result appears in place without reloading the list.
pub fn with_row(page: &ContactPage, contact: ContactDto) -> ContactPage {
    let items = page
        .items
        .iter()
        .map(|row| {
            if row.id == contact.id {
                contact.clone()
            } else {
                row.clone()
            }
        })
        .collect();
    ContactPage {
        items,
        total: page.total,
    }
}
