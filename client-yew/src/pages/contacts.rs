use std::rc::Rc;
use std::time::Duration;

use api_types::permissions::{CONTACTS_CREATE, CONTACTS_EXPORT, CONTACTS_PICK, TEAMS_MANAGE};
use api_types::{ContactDto, ContactPage, STATUSES};
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ContactQuery};
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::contact_filters::{Change, ContactFilters, Filters};
use crate::components::contact_table::{ContactTable, with_row};
use crate::components::export_links::ExportLinks;
use crate::components::loading::Loading;
use crate::components::new_contacts_notice::NewContactsNotice;
use crate::components::pagination::Pagination;
use crate::components::pick_allowance::PickAllowanceStrip;
use crate::components::pick_result::PickResult;
use crate::components::pref_toggle::PrefToggle;
use crate::feed::{Feed, FeedAction, would_include};
use crate::hooks::{Remote, use_pick, use_remote};
use crate::live::{LiveNews, use_live_news, use_seq_floor};
use crate::nav;
use crate::notify;
use crate::prefs::Pref;
use crate::sound;
use crate::state::{AuthState, use_auth_state};
use crate::text;
use crate::ws::ContactEvent;

const PER_PAGE: u64 = 20;
/// How long a contact that arrived live stays highlighted.
const FRESH_FOR: Duration = Duration::from_secs(5);

/// The contact list; Sales pick pooled contacts from it (`button[data-pick]`). It
/// follows the live events: new contacts, picks by others and status moves show at once.
#[component]
pub fn Contacts() -> Html {
    let navigator = use_navigator();
    let viewer = use_auth_state();
    let (my_id, may_pick, may_create, with_teams, may_export) = match &viewer {
        AuthState::SignedIn(user) => (
            Some(user.id),
            user.can(CONTACTS_PICK),
            user.can(CONTACTS_CREATE),
            user.can(TEAMS_MANAGE),
            user.can(CONTACTS_EXPORT),
        ),
        _ => (None, false, false, false, false),
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
    let feed = use_reducer(Feed::default);
    let floor = use_seq_floor();
    let list = {
        let feed = feed.dispatcher();
        use_remote((filters.0.clone(), *reload), |(query, _)| async move {
            // Taken before the list, so every event after it is applied over the list.
            let since = api::events_latest().await.map_or(0, |latest| latest.seq);
            floor.emit(since);
            feed.dispatch(FeedAction::Reset(since));
            api::contacts(&query).await
        })
    };
    {
        let (feed, reload) = (feed.dispatcher(), reload.clone());
        let shows_new = would_include(&filters.0);
        use_live_news(Callback::from(move |news| match news {
            LiveNews::Resync => reload.set(*reload + 1),
            // Deals have their own list.
            LiveNews::Deal(..) | LiveNews::Notification(_) => {}
            LiveNews::Contact(seq, event) => {
                let fresh = match &event {
                    ContactEvent::Created { contact, .. } => {
                        notify::new_contact(contact);
                        sound::new_contact();
                        shows_new.then_some(contact.id)
                    }
                    _ => None,
                };
                feed.dispatch(FeedAction::Event {
                    seq,
                    event,
                    shows_new,
                    me: my_id,
                });
                if let Some(id) = fresh {
                    let feed = feed.clone();
                    spawn_local(async move {
                        sleep(FRESH_FOR).await;
                        feed.dispatch(FeedAction::Settled(id));
                    });
                }
            }
        }));
    }
    let on_picked = {
        let (list, feed) = (list.clone(), feed.dispatcher());
        Callback::from(move |contact: ContactDto| {
            // A row that arrived live is not in the loaded page.
            feed.dispatch(FeedAction::Row(Box::new(contact.clone())));
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
        feed: (*feed).clone(),
    };
    let on_reload = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };

    html! {
        <>
            <div class="page-header page-header-row">
                <h1>{ text::CONTACTS_TITLE }</h1>
                if may_export {
                    <ExportLinks id="contacts-export" csv={filters.0.export_url("csv")}
                        xlsx={filters.0.export_url("xlsx")} />
                }
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
                    <div class="board-prefs">
                        <PrefToggle pref={Pref::DesktopNotice} />
                        <PrefToggle pref={Pref::Sound} />
                    </div>
                    <PickAllowanceStrip reload={pick.attempts} />
                }
                <NewContactsNotice count={feed.waiting} {on_reload} />
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
    feed: Feed,
}

fn results(list: &Remote<ContactPage>, page: u64, on_page: Callback<u64>, table: Table) -> Html {
    match list {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="contacts-error">{ message.clone() }</Alert>
        },
        Remote::Ready(loaded) => {
            let found = table.feed.over(loaded);
            if found.items.is_empty() {
                return html! {
                    <p id="contacts-empty" class="empty-state">{ text::NO_CONTACTS }</p>
                };
            }
            let (taken, fresh) = (Rc::new(table.feed.taken), Rc::new(table.feed.fresh));
            html! {
                <>
                    <p id="contacts-total" class="muted">{ text::contact_total(found.total) }</p>
                    <ContactTable items={found.items} on_pick={table.on_pick} busy={table.busy}
                        {taken} {fresh} />
                    <Pagination {page} pages={found.total.div_ceil(PER_PAGE)} on_change={on_page} />
                </>
            }
        }
    }
}
