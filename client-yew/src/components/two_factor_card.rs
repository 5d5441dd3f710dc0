use std::rc::Rc;

use api_types::{TwoFactorSetupResponse, UserDto};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::recovery_codes::RecoveryCodes;
use crate::components::two_factor_manage::TwoFactorManage;
use crate::components::two_factor_setup::TwoFactorSetup;
use crate::state::{Action, use_auth_dispatch, use_session_guard};
use crate::text;

#[derive(Properties, PartialEq)]
pub struct TwoFactorCardProps {
    pub user: Rc<UserDto>,
}

/// The profile's "Xác thực hai lớp" section: set up → confirm → recovery codes, or,
/// once on, new recovery codes and switching it off.
#[component]
pub fn TwoFactorCard(props: &TwoFactorCardProps) -> Html {
    let pending = use_state(|| None::<TwoFactorSetupResponse>);
    // Shown once, right after they were issued; kept here across the user reload.
    let codes = use_state(|| None::<Vec<String>>);
    let notice = use_state(|| None::<&'static str>);
    let busy = use_state(|| false);
    let error = use_state(|| None::<AttrValue>);
    let guard = use_session_guard();
    let dispatch = use_auth_dispatch();

    // 2FA state is part of the user (`GET /api/me`); a forced user is let out this way.
    let reload_user = {
        let dispatch = dispatch.clone();
        Callback::from(move |()| {
            let dispatch = dispatch.clone();
            spawn_local(async move {
                if let Ok(user) = api::me().await {
                    dispatch.emit(Action::SignedIn(user));
                }
            });
        })
    };
    let start = {
        let (pending, busy, error, notice) =
            (pending.clone(), busy.clone(), error.clone(), notice.clone());
        Callback::from(move |_: MouseEvent| {
            busy.set(true);
            error.set(None);
            notice.set(None);
            let (pending, busy, error, guard) =
                (pending.clone(), busy.clone(), error.clone(), guard.clone());
            spawn_local(async move {
                let result = api::two_factor_setup().await;
                busy.set(false);
                match result {
                    Ok(setup) => pending.set(Some(setup)),
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(e.message().into()));
                        }
                    }
                }
            });
        })
    };
    let on_enabled = {
        let (pending, codes, reload_user) = (pending.clone(), codes.clone(), reload_user.clone());
        Callback::from(move |issued: Vec<String>| {
            pending.set(None);
            codes.set(Some(issued));
            reload_user.emit(());
        })
    };
    let on_codes = {
        let codes = codes.clone();
        Callback::from(move |issued: Vec<String>| codes.set(Some(issued)))
    };
    let on_disabled = {
        let (notice, reload_user) = (notice.clone(), reload_user.clone());
        Callback::from(move |()| {
            notice.set(Some(text::DISABLED_DONE));
            reload_user.emit(());
        })
    };
    let cancel = {
        let pending = pending.clone();
        Callback::from(move |()| pending.set(None))
    };
    let codes_done = {
        let codes = codes.clone();
        Callback::from(move |()| codes.set(None))
    };

    let user = &props.user;
    let (badge_class, badge) = if user.two_factor_enabled {
        ("badge badge-active", text::TWO_FACTOR_ON)
    } else {
        ("badge badge-muted", text::TWO_FACTOR_OFF)
    };
    let body = if let Some(issued) = &*codes {
        html! { <RecoveryCodes codes={issued.clone()} on_done={codes_done} /> }
    } else if user.two_factor_enabled {
        html! { <TwoFactorManage required={user.two_factor_required} {on_codes} {on_disabled} /> }
    } else if let Some(setup) = &*pending {
        html! { <TwoFactorSetup setup={setup.clone()} {on_enabled} on_cancel={cancel} /> }
    } else {
        html! {
            <>
                <p class="muted">{ text::TWO_FACTOR_INTRO }</p>
                <button type="button" id="two-factor-setup" class="btn btn-primary"
                    disabled={*busy} aria-busy={busy.to_string()} onclick={start}>
                    { if *busy { text::TWO_FACTOR_PREPARING } else { text::TWO_FACTOR_SETUP } }
                </button>
            </>
        }
    };
    html! {
        <section id="two-factor-card"
            class={classes!("card", "card-wide", user.must_enrol_two_factor().then_some("card-first"))}>
            <h2 class="card-title card-title-row">
                <span>{ text::TWO_FACTOR_TITLE }</span>
                <span id="two-factor-status" class={badge_class}>{ badge }</span>
            </h2>
            if let Some(message) = *notice {
                <Alert kind={AlertKind::Success} id="two-factor-notice">{ message }</Alert>
            }
            if let Some(message) = &*error {
                <Alert kind={AlertKind::Error} id="two-factor-setup-error">{ message.clone() }</Alert>
            }
            { body }
        </section>
    }
}
