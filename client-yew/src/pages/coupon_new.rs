use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::coupon_form::CouponForm;
use crate::components::loading::Loading;
use crate::hooks::{Remote, use_remote};
use crate::text;

#[component]
pub fn CouponNew() -> Html {
    let people = use_remote((), |()| api::coupon_assignables());
    let body = match &*people {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="coupon-error">{ message.clone() }</Alert>
        },
        Remote::Ready(people) => html! { <CouponForm people={people.clone()} /> },
    };
    html! {
        <>
            <div class="page-header">
                <Link<Route> to={Route::Coupons} classes="link back-link">{ text::BACK_TO_COUPONS }</Link<Route>>
                <h1>{ text::COUPON_NEW_TITLE }</h1>
            </div>
            <section class="card">{ body }</section>
        </>
    }
}
