//! Routes, the route switch and the auth-state provider.

use std::rc::Rc;

use api_types::UserDto;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::auth_card::AuthCard;
use crate::components::layout::SignedInLayout;
use crate::components::loading::Loading;
use crate::pages::forgot_password::ForgotPassword;
use crate::pages::home::Home;
use crate::pages::login::Login;
use crate::pages::not_found::NotFound;
use crate::pages::profile::Profile;
use crate::pages::reset_password::ResetPassword;
use crate::state::{Action, AuthContext, AuthState};
use crate::text;

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/login")]
    Login,
    #[at("/forgot-password")]
    ForgotPassword,
    #[at("/reset-password")]
    ResetPassword,
    #[at("/profile")]
    Profile,
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => signed_in(|user| html! { <Home {user} /> }),
        Route::Profile => signed_in(|user| html! { <Profile {user} /> }),
        Route::Login => html! { <Login /> },
        Route::ForgotPassword => html! { <ForgotPassword /> },
        Route::ResetPassword => html! { <ResetPassword /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

/// Wraps a page that needs a signed-in user in the app shell.
fn signed_in(page: fn(Rc<UserDto>) -> Html) -> Html {
    html! { <SignedInLayout page={Callback::from(page)} /> }
}

#[component]
pub fn App() -> Html {
    let auth = use_reducer(|| AuthState::Checking);
    // Bumped by the retry button to ask `/api/me` again.
    let attempt = use_state(|| 0_u32);

    {
        let dispatcher = auth.dispatcher();
        use_effect_with(*attempt, move |_| {
            spawn_local(async move {
                let action = match api::me().await {
                    Ok(user) => Action::SignedIn(user),
                    Err(error) if error.is_unauthorized() => Action::SignedOut,
                    Err(error) => Action::Unreachable(error.message()),
                };
                dispatcher.dispatch(action);
            });
        });
    }

    let body = match &*auth {
        AuthState::Checking => html! { <div class="boot"><Loading /></div> },
        AuthState::Unreachable(message) => {
            let retry = {
                let dispatcher = auth.dispatcher();
                let attempt = attempt.clone();
                Callback::from(move |_: MouseEvent| {
                    dispatcher.dispatch(Action::Check);
                    attempt.set(*attempt + 1);
                })
            };
            html! {
                <AuthCard title={text::APP_NAME}>
                    <Alert kind={AlertKind::Error} id="app-error">{ message.clone() }</Alert>
                    <button type="button" id="app-retry" class="btn btn-primary btn-block" onclick={retry}>
                        { text::RETRY }
                    </button>
                </AuthCard>
            }
        }
        AuthState::SignedOut | AuthState::SignedIn(_) => {
            html! { <Switch<Route> render={switch} /> }
        }
    };

    html! {
        <BrowserRouter>
            <ContextProvider<AuthContext> context={auth.clone()}>
                { body }
            </ContextProvider<AuthContext>>
        </BrowserRouter>
    }
}
