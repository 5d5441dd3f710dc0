use api_types::{ContactPage, StatusChangeRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ContactQuery};
use crate::components::alert::{Alert, AlertKind};
use crate::components::contact_filters::{Change, ContactFilters, Filters};
use crate::components::contact_table::{ContactTable, with_row};
use crate::components::loading::Loading;
use crate::components::pagination::Pagination;
use crate::hooks::{Remote, use_remote};
use crate::live::{LiveNews, use_live_news};
use crate::state::use_session_guard;
use crate::text;
use crate::ws::ContactEvent;

const PER_PAGE: u64 = 20;

/// Customer care's queue: failed and care contacts, each with its allowed moves as
/// quick actions (`button[data-care-move]`); their outcome is `#care-result`.
#[component]
pub fn Care() -> Html {
    let filters = use_reducer(|| {
        Filters(ContactQuery {
            status: text::CARE_STATUSES.to_owned(),
            page: 1,
            per_page: PER_PAGE,
            ..ContactQuery::default()
        })
    });
    let reload = use_state(|| 0_u32);
    let list = use_remote((filters.0.clone(), *reload), |(query, _)| async move {
        api::contacts(&query).await
    });
    {
        // The queue's filters and order live on the server: loading it again is simplest.
        let reload = reload.clone();
        use_live_news(Callback::from(move |news| {
            if joins_queue(&news) {
                reload.set(*reload + 1);
            }
        }));
    }
    let busy = use_state(|| None::<i64>);
    let result = use_state(|| None::<(AlertKind, AttrValue)>);
    let guard = use_session_guard();

    let on_move = {
        let (list, reload, busy, result) =
            (list.clone(), reload.clone(), busy.clone(), result.clone());
        Callback::from(move |(id, status): (i64, String)| {
            if busy.is_some() {
                return;
            }
            busy.set(Some(id));
            result.set(None);
            let (list, reload, busy, result) =
                (list.clone(), reload.clone(), busy.clone(), result.clone());
            let guard = guard.clone();
            spawn_local(async move {
                let request = StatusChangeRequest { status, note: None };
                let outcome = api::change_status(id, &request).await;
                busy.set(None);
                match outcome {
                    Ok(contact) => {
                        let message = text::moved(&contact.code, &contact.status);
                        result.set(Some((AlertKind::Success, message.into())));
                        if let Remote::Ready(page) = &*list {
                            list.set(Remote::Ready(with_row(page, contact)));
                        }
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            result.set(Some((AlertKind::Error, e.message().into())));
                            // Someone else moved it meanwhile: show where things stand.
                            reload.set(*reload + 1);
                        }
                    }
                }
            });
        })
    };
    let on_change = {
        let dispatcher = filters.dispatcher();
        Callback::from(move |change| dispatcher.dispatch(change))
    };
    let on_page = on_change.reform(Change::Page);
    let statuses = [
        (text::CARE_STATUSES, text::CARE_QUEUE),
        ("failed", text::status_label("failed")),
        ("care_l1", text::status_label("care_l1")),
        ("care_l2", text::status_label("care_l2")),
        ("closed", text::status_label("closed")),
    ]
    .into_iter()
    .map(|(value, name)| (AttrValue::Static(value), AttrValue::from(name.to_owned())))
    .collect::<Vec<_>>();

    let body = match &*list {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="contacts-error">{ message.clone() }</Alert>
        },
        Remote::Ready(found) if found.items.is_empty() => html! {
            <p id="contacts-empty" class="empty-state">{ text::NO_CARE_CONTACTS }</p>
        },
        Remote::Ready(found) => html! {
            <>
                <p id="contacts-total" class="muted">{ text::contact_total(found.total) }</p>
                <ContactTable items={found.items.clone()} on_move={on_move} busy={*busy} />
                <Pagination page={filters.0.page} pages={pages(found)} on_change={on_page} />
            </>
        },
    };
    html! {
        <>
            <div class="page-header">
                <h1>{ text::CARE_TITLE }</h1>
                <p class="muted">{ text::CARE_INTRO }</p>
            </div>
            <section class="card">
                <ContactFilters query={filters.0.clone()} {on_change} {statuses} />
                if let Some((kind, message)) = &*result {
                    <Alert kind={*kind} id="care-result">{ message.clone() }</Alert>
                }
                { body }
            </section>
        </>
    }
}

fn pages(found: &ContactPage) -> u64 {
    found.total.div_ceil(PER_PAGE)
}

/// Whether the queue may have changed: a move into failed or care, or a lost replay.
fn joins_queue(news: &LiveNews) -> bool {
    match news {
        LiveNews::Resync => true,
        LiveNews::Contact(_, ContactEvent::StatusChanged { to, .. }) => {
            to == "failed" || to.starts_with("care_")
        }
        LiveNews::Contact(..) | LiveNews::Deal(..) | LiveNews::Notification(_) => false,
    }
}
