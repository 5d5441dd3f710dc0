use std::rc::Rc;

use api_types::UserDto;
use api_types::permissions::NOTIFICATIONS_RECEIVE;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::notification_bell::NotificationBell;
use crate::state::{Action, use_auth_dispatch};
use crate::text;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub user: Rc<UserDto>,
    pub menu_open: bool,
    pub on_toggle_menu: Callback<()>,
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let busy = use_state(|| false);
    let error = use_state(|| None::<AttrValue>);
    let dispatch = use_auth_dispatch();

    let logout = {
        let busy = busy.clone();
        let error = error.clone();
        Callback::from(move |_: MouseEvent| {
            busy.set(true);
            error.set(None);
            let busy = busy.clone();
            let error = error.clone();
            let dispatch = dispatch.clone();
            spawn_local(async move {
                match api::logout().await {
                    // 401: the session was already gone, which is what the user wanted.
                    Ok(()) => dispatch.emit(Action::SignedOut),
                    Err(e) if e.is_unauthorized() => dispatch.emit(Action::SignedOut),
                    // Keep the user signed in locally: the server session is still alive.
                    Err(e) => {
                        busy.set(false);
                        error.set(Some(e.message().into()));
                    }
                }
            });
        })
    };
    let toggle = props.on_toggle_menu.reform(|_: MouseEvent| ());
    // Until 2FA is set up the server answers nothing else, the inbox included.
    let bell = props.user.can(NOTIFICATIONS_RECEIVE) && !props.user.must_enrol_two_factor();

    html! {
        <>
            <header class="topbar">
                <button type="button" id="menu-toggle" class="menu-toggle" onclick={toggle}
                    aria-controls="sidebar" aria-expanded={props.menu_open.to_string()}
                    aria-label={text::MENU}>
                    <span class="menu-bar" aria-hidden="true"></span>
                    <span class="menu-bar" aria-hidden="true"></span>
                    <span class="menu-bar" aria-hidden="true"></span>
                </button>
                <Link<Route> to={Route::Home} classes="brand">
                    <img src="/favicon.svg" alt="" class="brand-logo" width="32" height="32" />
                    <span class="brand-name">{ text::APP_NAME }</span>
                </Link<Route>>
                <div class="topbar-user">
                    if bell {
                        <NotificationBell />
                    }
                    <span id="current-user" class="user-name">{ props.user.full_name.clone() }</span>
                    <button type="button" id="logout" class="btn btn-outline" disabled={*busy}
                        onclick={logout}>
                        { if *busy { text::LOGOUT_BUSY } else { text::LOGOUT } }
                    </button>
                </div>
            </header>
            if let Some(message) = &*error {
                <div class="topbar-alert">
                    <Alert kind={AlertKind::Error} id="logout-error">{ message.clone() }</Alert>
                </div>
            }
        </>
    }
}
