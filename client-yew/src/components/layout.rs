use std::rc::Rc;

use api_types::UserDto;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::header::Header;
use crate::components::offline_banner::OfflineBanner;
use crate::components::redirect::ReplaceRedirect;
use crate::components::sidebar::Sidebar;
use crate::state::{AuthState, use_auth_state};

#[derive(Properties, PartialEq)]
pub struct SignedInLayoutProps {
    /// Renders the page for the signed-in user.
    pub page: Callback<Rc<UserDto>, Html>,
}

/// The app shell (header, sidebar, content) for signed-in users; anyone else is sent
/// to the login page.
#[component]
pub fn SignedInLayout(props: &SignedInLayoutProps) -> Html {
    let auth = use_auth_state();
    // The sidebar is a drawer on small screens; this says whether it is shown.
    let menu_open = use_state(|| false);
    let route = use_route::<Route>();

    let AuthState::SignedIn(user) = auth else {
        return html! { <ReplaceRedirect to={Route::Login} /> };
    };
    // A role demands 2FA and the server answers nothing else until it is set up.
    if user.must_enrol_two_factor() && route != Some(Route::Profile) {
        return html! { <ReplaceRedirect to={Route::Profile} /> };
    }

    let toggle_menu = {
        let menu_open = menu_open.clone();
        Callback::from(move |()| menu_open.set(!*menu_open))
    };
    let close_menu = {
        let menu_open = menu_open.clone();
        Callback::from(move |()| menu_open.set(false))
    };
    let backdrop_click = close_menu.reform(|_: MouseEvent| ());

    html! {
        <div class="shell">
            <Header user={user.clone()} menu_open={*menu_open} on_toggle_menu={toggle_menu} />
            <OfflineBanner />
            <div class="shell-body">
                <Sidebar user={user.clone()} open={*menu_open} on_navigate={close_menu} />
                if *menu_open {
                    <div class="backdrop" onclick={backdrop_click}></div>
                }
                <main id="main" class="content">{ props.page.emit(user) }</main>
            </div>
        </div>
    }
}
