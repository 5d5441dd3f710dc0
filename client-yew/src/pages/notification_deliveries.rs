use api_types::DeliveryPage;
use serde::{Deserialize, Serialize};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, DeliveryQuery};
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::delivery_filters::{DeliveryChange, DeliveryFilters};
use crate::components::delivery_table::DeliveryTable;
use crate::components::loading::Loading;
use crate::components::pagination::Pagination;
use crate::hooks::{Remote, use_remote};
use crate::state::use_session_guard;
use crate::text;

/// The server's page size for deliveries.
const PER_PAGE: u64 = 50;

/// The log's filters, kept in the address so a link opens it filtered: the admins'
/// failure alert links to `?status=failed&id=N`, each rule to `?rule_id=N`.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
struct DeliveryLink {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rule_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    page: Option<u64>,
}

impl DeliveryLink {
    fn query(&self) -> DeliveryQuery {
        DeliveryQuery {
            status: self.status.clone().unwrap_or_default(),
            channel: self.channel.clone().unwrap_or_default(),
            rule_id: self.rule_id,
            id: self.id,
            page: self.page.unwrap_or(1),
        }
    }

    /// The link after a change; every change but paging goes back to page 1.
    fn changed(&self, change: DeliveryChange) -> Self {
        let some = |value: String| (!value.is_empty()).then_some(value);
        let mut next = Self {
            page: None,
            ..self.clone()
        };
        match change {
            DeliveryChange::Status(status) => next.status = some(status),
            DeliveryChange::Channel(channel) => next.channel = some(channel),
            DeliveryChange::ShowAll => next.id = None,
            DeliveryChange::Clear => next = Self::default(),
        }
        next
    }
}

/// The delivery log (`notifications.manage`): every delivery newest first, filtered by
/// status and channel through the address, "Thử lại ngay" on failed ones (outcome in
/// `#delivery-result` or `#delivery-action-error`), pages of 50.
#[component]
pub fn NotificationDeliveries() -> Html {
    let location = use_location();
    let navigator = use_navigator();
    let link = location
        .and_then(|l| l.query::<DeliveryLink>().ok())
        .unwrap_or_default();
    let reload = use_state(|| 0_u32);
    let list = use_remote((link.query(), *reload), |(query, _)| async move {
        api::notification_deliveries(&query).await
    });
    let retrying = use_state(|| None::<i64>);
    let outcome = use_state(|| None::<(AlertKind, String)>);
    let guard = use_session_guard();

    let go = {
        let navigator = navigator.clone();
        Callback::from(move |next: DeliveryLink| {
            if let Some(navigator) = &navigator {
                // Plain names and numbers always serialise.
                let _ = navigator.push_with_query(&Route::NotificationDeliveries, &next);
            }
        })
    };
    let on_change = {
        let (go, link, outcome) = (go.clone(), link.clone(), outcome.clone());
        Callback::from(move |change| {
            outcome.set(None);
            go.emit(link.changed(change));
        })
    };
    let on_page = {
        let (go, link) = (go.clone(), link.clone());
        Callback::from(move |page: u64| {
            go.emit(DeliveryLink {
                page: Some(page),
                ..link.clone()
            });
        })
    };
    let on_retry = {
        let (retrying, outcome, reload) = (retrying.clone(), outcome.clone(), reload.clone());
        let link = link.clone();
        Callback::from(move |id: i64| {
            retrying.set(Some(id));
            let (retrying, outcome, reload, guard, go, link) = (
                retrying.clone(),
                outcome.clone(),
                reload.clone(),
                guard.clone(),
                go.clone(),
                link.clone(),
            );
            spawn_local(async move {
                let result = api::retry_notification_delivery(id).await;
                retrying.set(None);
                match result {
                    Ok(()) => {
                        outcome.set(Some((AlertKind::Success, text::delivery_retried(id))));
                        if link.id == Some(id) && link.status.is_some() {
                            // Opened for this failure: keep it in view as it leaves
                            // "failed" for pending, then sent.
                            go.emit(DeliveryLink {
                                status: None,
                                ..link
                            });
                        } else {
                            reload.set(*reload + 1);
                        }
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            outcome.set(Some((AlertKind::Error, e.message())));
                        }
                    }
                }
            });
        })
    };

    let page = link.page.unwrap_or(1);
    let body = results(&list, &link, page, on_page, on_retry, *retrying);
    let result = (*outcome).clone().map(|(kind, message)| {
        let id = match kind {
            AlertKind::Success => "delivery-result",
            AlertKind::Error => "delivery-action-error",
        };
        html! { <Alert {kind} {id}>{ message }</Alert> }
    });
    html! {
        <>
            <div class="page-header">
                <h1>{ text::DELIVERIES_TITLE }</h1>
                <p class="muted">{ text::DELIVERIES_INTRO }</p>
            </div>
            { result }
            <section class="card">
                <DeliveryFilters status={link.status.clone().unwrap_or_default()}
                    channel={link.channel.clone().unwrap_or_default()} focused={link.id} {on_change} />
                { body }
            </section>
        </>
    }
}

fn results(
    list: &Remote<DeliveryPage>,
    link: &DeliveryLink,
    page: u64,
    on_page: Callback<u64>,
    on_retry: Callback<i64>,
    busy_id: Option<i64>,
) -> Html {
    match list {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="deliveries-error">{ message.clone() }</Alert>
        },
        Remote::Ready(found) if found.items.is_empty() => html! {
            <p id="deliveries-empty" class="empty-state">{ text::DELIVERIES_EMPTY }</p>
        },
        Remote::Ready(found) => html! {
            <>
                <p id="deliveries-count" class="muted-small">{ text::deliveries_count(found.total) }</p>
                <DeliveryTable items={found.items.clone()} focused={link.id} {on_retry} {busy_id} />
                <Pagination {page} pages={found.total.div_ceil(PER_PAGE)} on_change={on_page} />
            </>
        },
    }
}
