use api_types::CouponDto;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::coupon_table::CouponTable;
use crate::components::loading::Loading;
use crate::hooks::{Remote, use_remote};
use crate::nav;
use crate::state::use_session_guard;
use crate::text;

/// Coupons (`coupons.manage`): "Thêm mã giảm giá" (`#coupon-new`) and each row's edit
/// and delete; the outcome of a delete is `#coupon-result` or `#coupon-delete-error`
/// (a coupon a deal used cannot be deleted, only switched off).
#[component]
pub fn Coupons() -> Html {
    let reload = use_state(|| 0_u32);
    let list = use_remote(*reload, |_| api::coupons());
    let asking = use_state(|| None::<CouponDto>);
    let busy = use_state(|| false);
    let outcome = use_state(|| None::<(AlertKind, String)>);
    let guard = use_session_guard();
    let navigator = use_navigator();

    let ask = {
        let (asking, outcome) = (asking.clone(), outcome.clone());
        Callback::from(move |coupon: CouponDto| {
            outcome.set(None);
            asking.set(Some(coupon));
        })
    };
    let cancel = {
        let asking = asking.clone();
        Callback::from(move |()| asking.set(None))
    };
    let delete = {
        let (asking, busy, outcome, reload) = (
            asking.clone(),
            busy.clone(),
            outcome.clone(),
            reload.clone(),
        );
        Callback::from(move |()| {
            let Some(coupon) = (*asking).clone() else {
                return;
            };
            busy.set(true);
            let (asking, busy, outcome, reload, guard) = (
                asking.clone(),
                busy.clone(),
                outcome.clone(),
                reload.clone(),
                guard.clone(),
            );
            spawn_local(async move {
                let result = api::delete_coupon(coupon.id).await;
                busy.set(false);
                asking.set(None);
                match result {
                    Ok(()) => {
                        outcome.set(Some((
                            AlertKind::Success,
                            text::coupon_deleted(&coupon.code),
                        )));
                        reload.set(*reload + 1);
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

    let body = match &*list {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="coupons-error">{ message.clone() }</Alert>
        },
        Remote::Ready(list) if list.is_empty() => html! {
            <p id="coupons-empty" class="empty-state">{ text::NO_COUPONS }</p>
        },
        Remote::Ready(list) => html! { <CouponTable items={list.clone()} on_delete={ask} /> },
    };
    let result = (*outcome).clone().map(|(kind, message)| {
        let id = match kind {
            AlertKind::Success => "coupon-result",
            AlertKind::Error => "coupon-delete-error",
        };
        html! { <Alert {kind} {id}>{ message }</Alert> }
    });
    html! {
        <>
            <div class="page-header page-header-row">
                <h1>{ text::COUPONS_TITLE }</h1>
                <a id="coupon-new" class="btn btn-primary" href={Route::CouponNew.to_path()}
                    onclick={nav::follow(&navigator, Route::CouponNew)}>
                    { text::COUPON_NEW }
                </a>
            </div>
            <p class="muted">{ text::COUPONS_INTRO }</p>
            { result }
            <section class="card">{ body }</section>
            if let Some(coupon) = &*asking {
                <ConfirmDialog title={text::COUPON_DELETE_TITLE} message={text::coupon_delete_question(&coupon.code)}
                    confirm_label={text::DELETE} busy={*busy} on_confirm={delete} on_cancel={cancel} />
            }
        </>
    }
}
