use api_types::permissions::COUPONS_USE;
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

#[derive(Properties, PartialEq)]
pub struct DealEditProps {
    pub id: i64,
}

/// Edits a deal's lines, coupon, signing day and note (payment status is changed on
/// the deal's page). Products it has keep showing once they stop selling, and so does
/// its coupon once the closer could no longer apply it anew.
#[component]
pub fn DealEdit(props: &DealEditProps) -> Html {
    let viewer = use_auth_state();
    let may_use_coupons = matches!(&viewer, AuthState::SignedIn(user) if user.can(COUPONS_USE));
    let deal = use_remote(props.id, api::deal);
    let products = use_remote((), |()| api::products(""));
    let coupons = use_remote(may_use_coupons, |wanted| async move {
        if wanted {
            api::my_coupons().await
        } else {
            Ok(Vec::new())
        }
    });
    let (heading, body) = match (&*deal, &*products, &*coupons) {
        (Remote::Failed(message), _, _)
        | (_, Remote::Failed(message), _)
        | (_, _, Remote::Failed(message)) => (
            Html::default(),
            html! { <Alert kind={AlertKind::Error} id="deal-load-error">{ message.clone() }</Alert> },
        ),
        (Remote::Ready(deal), _, _) if !deal.editable => (
            html! { <DealContact code={deal.contact_code.clone()} name={deal.contact_name.clone()} /> },
            html! { <Alert kind={AlertKind::Error} id="deal-load-error">{ text::DEAL_NOT_EDITABLE }</Alert> },
        ),
        (Remote::Ready(deal), Remote::Ready(products), Remote::Ready(mine)) => {
            let mut coupons: Vec<CouponChoice> = mine.iter().map(CouponChoice::from).collect();
            if let Some(own) = &deal.coupon
                && !coupons.iter().any(|c| c.code == own.code)
            {
                coupons.push(CouponChoice {
                    code: own.code.clone(),
                    kind: own.kind.clone(),
                    value: own.value,
                });
            }
            (
                html! { <DealContact code={deal.contact_code.clone()} name={deal.contact_name.clone()} /> },
                html! {
                    // Keyed so another deal's page starts from that deal's values.
                    <DealForm key={deal.id} contact_id={deal.contact_id} existing={deal.clone()}
                        products={products.clone()} {coupons} />
                },
            )
        }
        _ => (Html::default(), html! { <Loading /> }),
    };
    html! {
        <>
            <div class="page-header">
                <Link<Route> to={Route::DealDetail { id: props.id }} classes="link back-link">
                    { text::BACK }
                </Link<Route>>
                <h1>{ text::DEAL_EDIT_TITLE }</h1>
                { heading }
            </div>
            <section class="card">{ body }</section>
        </>
    }
}
