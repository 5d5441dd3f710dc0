use api_types::permissions::COUPONS_USE;
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::deal_contact::DealContact;
use crate::components::deal_form::DealForm;
use crate::components::loading::Loading;
use crate::deal_draft::CouponChoice;
use crate::hooks::{Remote, use_remote};
use crate::state::{AuthState, use_auth_state};
use crate::text;

/// `/deals/new?contact=<id>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DealNewQuery {
    pub contact: i64,
}

impl DealNewQuery {
    pub fn href(&self) -> String {
        format!("{}?contact={}", Route::DealNew.to_path(), self.contact)
    }
}

/// Closes a contact the caller holds: its deal's form under the contact's code and
/// name (`#deal-contact`). Reached from the contact's "Chốt hợp đồng".
#[component]
pub fn DealNew() -> Html {
    let contact_id = use_location()
        .and_then(|location| location.query::<DealNewQuery>().ok())
        .map(|query| query.contact);
    let viewer = use_auth_state();
    let may_use_coupons = matches!(&viewer, AuthState::SignedIn(user) if user.can(COUPONS_USE));
    let contact = use_remote(contact_id, |id| async move {
        match id {
            Some(id) => api::contact(id).await.map(Some),
            None => Ok(None),
        }
    });
    let products = use_remote((), |()| api::products("selling"));
    let coupons = use_remote(may_use_coupons, |wanted| async move {
        if wanted {
            api::my_coupons().await
        } else {
            Ok(Vec::new())
        }
    });

    let back = match contact_id {
        Some(id) => html! {
            <Link<Route> to={Route::ContactDetail { id }} classes="link back-link">{ text::BACK_TO_CONTACT }</Link<Route>>
        },
        None => html! {
            <Link<Route> to={Route::Contacts} classes="link back-link">{ text::BACK_TO_CONTACTS }</Link<Route>>
        },
    };
    let failed = |message: AttrValue| {
        html! { <Alert kind={AlertKind::Error} id="deal-load-error">{ message }</Alert> }
    };
    let (heading, body) = match (&*contact, &*products, &*coupons) {
        (Remote::Failed(message), _, _)
        | (_, Remote::Failed(message), _)
        | (_, _, Remote::Failed(message)) => (Html::default(), failed(message.clone())),
        (Remote::Ready(None), _, _) => (Html::default(), failed(text::CONTACT_MISSING.into())),
        (Remote::Ready(Some(contact)), _, _) if !contact.can_close => (
            html! { <DealContact code={contact.code.clone()} name={contact.full_name.clone()} /> },
            failed(text::CANNOT_CLOSE.into()),
        ),
        (Remote::Ready(Some(contact)), Remote::Ready(products), Remote::Ready(coupons)) => {
            let coupons: Vec<CouponChoice> = coupons.iter().map(CouponChoice::from).collect();
            (
                html! { <DealContact code={contact.code.clone()} name={contact.full_name.clone()} /> },
                html! { <DealForm contact_id={contact.id} products={products.clone()} {coupons} /> },
            )
        }
        _ => (Html::default(), html! { <Loading /> }),
    };
    html! {
        <>
            <div class="page-header">
                { back }
                <h1>{ text::DEAL_NEW_TITLE }</h1>
                { heading }
            </div>
            <section class="card">{ body }</section>
        </>
    }
}
