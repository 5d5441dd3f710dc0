//! Who is signed in, shared with every component through a reducer context.

use std::rc::Rc;

use api_types::UserDto;
use yew::prelude::*;

use crate::api::ApiError;

#[derive(Debug, Clone, PartialEq)]
pub enum AuthState {
    /// Waiting for `GET /api/me` at start-up.
    Checking,
    /// `GET /api/me` failed for another reason than 401; the message says why.
    Unreachable(AttrValue),
    /// With the server's reason when it ended the session itself (revoked, locked),
    /// which the login page shows.
    SignedOut(Option<AttrValue>),
    SignedIn(Rc<UserDto>),
}

pub enum Action {
    Check,
    Unreachable(String),
    SignedIn(UserDto),
    SignedOut,
    /// The server closed the session; the text says why.
    SignedOutBecause(String),
}

impl Reducible for AuthState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // The socket's close can trail the user's own logout; a reason then would be
        // a false alarm on the login page.
        if matches!(action, Action::SignedOutBecause(_)) && !matches!(*self, Self::SignedIn(_)) {
            return self;
        }
        Rc::new(match action {
            Action::Check => Self::Checking,
            Action::Unreachable(message) => Self::Unreachable(message.into()),
            Action::SignedIn(user) => Self::SignedIn(Rc::new(user)),
            Action::SignedOut => Self::SignedOut(None),
            Action::SignedOutBecause(reason) => Self::SignedOut(Some(reason.into())),
        })
    }
}

pub type AuthContext = UseReducerHandle<AuthState>;

/// The current auth state; signed out outside the provider, which never happens in the app.
#[hook]
pub fn use_auth_state() -> AuthState {
    use_context::<AuthContext>()
        .map(|auth| (*auth).clone())
        .unwrap_or(AuthState::SignedOut(None))
}

#[hook]
pub fn use_auth_dispatch() -> Callback<Action> {
    let dispatcher = use_context::<AuthContext>().map(|auth| auth.dispatcher());
    Callback::from(move |action| {
        if let Some(dispatcher) = &dispatcher {
            dispatcher.dispatch(action);
        }
    })
}

/// Filters API errors: a 401 means the session died, so it signs the user out
/// (the signed-in layout then sends them to the login page) instead of showing it.
#[derive(Clone)]
pub struct SessionGuard(Callback<Action>);

impl SessionGuard {
    pub fn check(&self, error: ApiError) -> Option<ApiError> {
        if error.is_unauthorized() {
            self.0.emit(Action::SignedOut);
            None
        } else {
            Some(error)
        }
    }
}

#[hook]
pub fn use_session_guard() -> SessionGuard {
    SessionGuard(use_auth_dispatch())
}
