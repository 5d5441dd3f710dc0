use std::time::Duration;

use api_types::{DealPage, format_vnd};
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::api::{self, DealQuery};
use crate::components::alert::{Alert, AlertKind};
use crate::components::deal_filters::{DealChange, DealFilterState, DealFilters};
use crate::components::deal_table::DealTable;
use crate::components::export_links::ExportLinks;
use crate::components::loading::Loading;
use crate::components::pagination::Pagination;
use crate::hooks::{Remote, use_remote};
use crate::live::{LiveNews, use_live_news};
use crate::text;
use crate::ws::NewDeal;

const PER_PAGE: u64 = 20;
/// How long a deal that arrived live stays highlighted.
const FRESH_FOR: Duration = Duration::from_secs(5);

/// The deals list with its totals over every matching deal. A deal signed meanwhile
/// reloads it (`#deal-live-notice` says which).
#[component]
pub fn Deals() -> Html {
    let filters = use_reducer(|| {
        DealFilterState(DealQuery {
            page: 1,
            per_page: PER_PAGE,
            ..DealQuery::default()
        })
    });
    // Bumped to ask for the list again with the same filters.
    let reload = use_state(|| 0_u32);
    let list = use_remote((filters.0.clone(), *reload), |(query, _)| async move {
        api::deals(&query).await
    });
    let options = use_remote((), |()| api::deal_filters());
    let (closers, teams) = match &*options {
        Remote::Ready(options) => (options.closers.clone(), options.teams.clone()),
        _ => (Vec::new(), Vec::new()),
    };
    let arrived = use_state(|| None::<NewDeal>);
    let fresh = use_state(|| None::<i64>);
    {
        let (reload, arrived, fresh) = (reload.clone(), arrived.clone(), fresh.clone());
        use_live_news(Callback::from(move |news| match news {
            LiveNews::Resync => reload.set(*reload + 1),
            LiveNews::Deal(_, deal) => {
                let id = deal.id;
                fresh.set(Some(id));
                arrived.set(Some(deal));
                reload.set(*reload + 1);
                let fresh = fresh.clone();
                spawn_local(async move {
                    sleep(FRESH_FOR).await;
                    if *fresh == Some(id) {
                        fresh.set(None);
                    }
                });
            }
            LiveNews::Contact(..) | LiveNews::Notification(_) => {}
        }));
    }
    let on_change = {
        let dispatcher = filters.dispatcher();
        Callback::from(move |change| dispatcher.dispatch(change))
    };
    let on_page = on_change.reform(DealChange::Page);
    let notice = (*arrived).as_ref().map(|deal| {
        html! {
            <Alert kind={AlertKind::Success} id="deal-live-notice">
                { text::deal_arrived(&deal.code, &deal.contact_code, &deal.closer.full_name, &format_vnd(deal.total)) }
            </Alert>
        }
    });

    html! {
        <>
            <div class="page-header page-header-row">
                <h1>{ text::DEALS_TITLE }</h1>
                <ExportLinks id="deals-export" csv={filters.0.export_url("csv")}
                    xlsx={filters.0.export_url("xlsx")} />
            </div>
            <section class="card">
                <DealFilters query={filters.0.clone()} {on_change} {closers} {teams} />
                { notice }
                { results(&list, filters.0.page, on_page, *fresh) }
            </section>
        </>
    }
}

fn results(list: &Remote<DealPage>, page: u64, on_page: Callback<u64>, fresh: Option<i64>) -> Html {
    match list {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="deals-error">{ message.clone() }</Alert>
        },
        Remote::Ready(found) if found.items.is_empty() => html! {
            <p id="deals-empty" class="empty-state">{ text::NO_DEALS }</p>
        },
        Remote::Ready(found) => html! {
            <>
                <DealTable items={found.items.clone()} count={found.total} sum_total={found.sum_total}
                    sum_discount={found.sum_discount} {fresh} />
                <Pagination {page} pages={found.total.div_ceil(PER_PAGE)} on_change={on_page} />
            </>
        },
    }
}
