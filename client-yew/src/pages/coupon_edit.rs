use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::coupon_form::CouponForm;
use crate::components::loading::Loading;
use crate::hooks::{Remote, use_remote};
use crate::text;

#[derive(Properties, PartialEq)]
pub struct CouponEditProps {
    pub id: i64,
}

#[component]
pub fn CouponEdit(props: &CouponEditProps) -> Html {
    let coupon = use_remote(props.id, api::coupon);
    let people = use_remote((), |()| api::coupon_assignables());
    let body = match (&*coupon, &*people) {
        (Remote::Failed(message), _) | (_, Remote::Failed(message)) => html! {
            <Alert kind={AlertKind::Error} id="coupon-error">{ message.clone() }</Alert>
        },
        (Remote::Ready(coupon), Remote::Ready(people)) => html! {
            <CouponForm key={coupon.id} existing={coupon.clone()} people={people.clone()} />
        },
        _ => html! { <Loading /> },
    };
    html! {
        <>
            <div class="page-header">
                <Link<Route> to={Route::Coupons} classes="link back-link">{ text::BACK_TO_COUPONS }</Link<Route>>
                <h1>{ text::COUPON_EDIT_TITLE }</h1>
            </div>
            <section class="card">{ body }</section>
        </>
    }
}
