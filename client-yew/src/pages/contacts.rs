use api_types::permissions::{CONTACTS_CREATE, CONTACTS_PICK, TEAMS_MANAGE};
use api_types::{ContactDto, ContactPage, STATUSES};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ContactQuery};
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::contact_filters::{Change, ContactFilters, Filters};
use crate::components::contact_table::{ContactTable, with_row};
use crate::components::loading::Loading;
use crate::components::pagination::Pagination;
use crate::components::pick_allowance::PickAllowanceStrip;
use crate::components::pick_result::PickResult;
use crate::hooks::{Remote, use_pick, use_remote};
use crate::nav;
use crate::state::{AuthState, use_auth_state};
use crate::text;

const PER_PAGE: u64 = 20;

/// The contact list; Sales pick pooled contacts from it (`button[data-pick]`).
#[component]
pub fn Contacts() -> Html {
    let navigator = use_navigator();
    let viewer = use_auth_state();
    let (my_id, may_pick, may_create, with_teams) = match &viewer {
        AuthState::SignedIn(user) => (
            Some(user.id),
            user.can(CONTACTS_PICK),
            user.can(CONTACTS_CREATE),
            user.can(TEAMS_MANAGE),
        ),
        _ => (None, false, false, false),
    };
    let filters = use_reducer(|| {
        Filters(ContactQuery {
            page: 1,
            per_page: PER_PAGE,
            ..ContactQuery::default()
        })
    });
    // Bumped to ask for the list again with the same filters.
    let reload = use_state(|| 0_u32);
    let list = use_remote((filters.0.clone(), *reload), |(query, _)| async move {
        api::contacts(&query).await
    });
    let on_picked = {
        let list = list.clone();
        Callback::from(move |contact: ContactDto| {
            if let Remote::Ready(page) = &*list {
                list.set(Remote::Ready(with_row(page, contact)));
            }
        })
    };
    let on_taken = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };
    let pick = use_pick(on_picked, on_taken);
    let on_change = {
        let dispatcher = filters.dispatcher();
        Callback::from(move |change| dispatcher.dispatch(change))
    };
    let on_page = on_change.reform(Change::Page);
    let mut statuses = vec![(AttrValue::Static(""), AttrValue::Static(text::ALL))];
    statuses.extend(
        STATUSES
            .iter()
            .map(|(code, name)| (AttrValue::Static(code), AttrValue::Static(name))),
    );
    let table = Table {
        on_pick: may_pick.then(|| pick.run.clone()),
        busy: pick.busy,
    };

    html! {
        <>
            <div class="page-header page-header-row">
                <h1>{ text::CONTACTS_TITLE }</h1>
                if may_create {
                    <a id="contact-new" class="btn btn-primary" href={Route::ContactNew.to_path()}
                        onclick={nav::follow(&navigator, Route::ContactNew)}>
                        { text::CONTACT_NEW }
                    </a>
                }
            </div>
            <section class="card">
                <ContactFilters query={filters.0.clone()} {on_change} {statuses} {my_id} {with_teams} />
                if may_pick {
                    <PickAllowanceStrip reload={pick.attempts} />
                }
                if let Some(outcome) = pick.outcome.clone() {
                    <PickResult {outcome} attempt={pick.attempts} />
                }
                { results(&list, filters.0.page, on_page, table) }
            </section>
        </>
    }
}

/// What the table's rows may do.
struct Table {
    on_pick: Option<Callback<i64>>,
    busy: Option<i64>,
}

fn results(list: &Remote<ContactPage>, page: u64, on_page: Callback<u64>, table: Table) -> Html {
    match list {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="contacts-error">{ message.clone() }</Alert>
        },
        Remote::Ready(found) if found.items.is_empty() => html! {
            <p id="contacts-empty" class="empty-state">{ text::NO_CONTACTS }</p>
        },
        Remote::Ready(found) => html! {
            <>
                <p id="contacts-total" class="muted">{ text::contact_total(found.total) }</p>
                <ContactTable items={found.items.clone()} on_pick={table.on_pick} busy={table.busy} />
                <Pagination {page} pages={found.total.div_ceil(PER_PAGE)} on_change={on_page} />
            </>
        },
    }
}
