use api_types::AuditPage;
use serde::Deserialize;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, AuditQuery};
use crate::components::alert::{Alert, AlertKind};
use crate::components::audit_filters::{AuditChange, AuditFilterState, AuditFilters};
use crate::components::audit_table::AuditTable;
use crate::components::audit_verify::AuditVerify;
use crate::components::loading::Loading;
use crate::components::pagination::Pagination;
use crate::hooks::{Remote, use_remote};
use crate::text;

const PER_PAGE: u64 = 50;

/// What another screen may open the audit log with: `/audit?target=contact:12`,
/// `/audit?actor=3`.
#[derive(Debug, Default, Deserialize)]
struct AuditLink {
    target: Option<String>,
    actor: Option<i64>,
}

/// The audit log (`logs.view`): search and filters, the entries newest first with their
/// before/after view, and the chain check.
#[component]
pub fn Audit() -> Html {
    let location = use_location();
    let filters = use_reducer(move || {
        let link = location
            .and_then(|l| l.query::<AuditLink>().ok())
            .unwrap_or_default();
        AuditFilterState(AuditQuery {
            target: link.target.unwrap_or_default(),
            actor: link.actor,
            page: 1,
            per_page: PER_PAGE,
            ..AuditQuery::default()
        })
    });
    let list = use_remote(filters.0.clone(), |query| async move {
        api::audit(&query).await
    });
    let actors = use_remote((), |()| api::audit_actors());
    let actors = match &*actors {
        Remote::Ready(list) => list.clone(),
        _ => Vec::new(),
    };
    let on_change = {
        let dispatcher = filters.dispatcher();
        Callback::from(move |change| dispatcher.dispatch(change))
    };
    let on_page = on_change.reform(AuditChange::Page);
    html! {
        <>
            <div class="page-header page-header-row">
                <div>
                    <h1>{ text::AUDIT_TITLE }</h1>
                    <p class="muted-small">{ text::AUDIT_INTRO }</p>
                </div>
                <AuditVerify />
            </div>
            <section class="card">
                <AuditFilters query={filters.0.clone()} {on_change} {actors} />
                { results(&list, filters.0.page, on_page) }
            </section>
        </>
    }
}

fn results(list: &Remote<AuditPage>, page: u64, on_page: Callback<u64>) -> Html {
    match list {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="audit-error">{ message.clone() }</Alert>
        },
        Remote::Ready(found) if found.items.is_empty() => html! {
            <p id="audit-empty" class="empty-state">{ text::AUDIT_EMPTY_LIST }</p>
        },
        Remote::Ready(found) => html! {
            <>
                <p id="audit-count" class="muted-small">{ text::audit_count(found.total, found.total_exact) }</p>
                <AuditTable items={found.items.clone()} />
                <Pagination {page} pages={found.total.div_ceil(PER_PAGE)} on_change={on_page} />
            </>
        },
    }
}
