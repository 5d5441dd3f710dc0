//! Data-loading hooks shared by several screens.

use api_types::SessionDto;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::state::use_session_guard;

/// A value being fetched from the server.
#[derive(Debug, Clone)]
pub enum Remote<T> {
    Loading,
    Ready(T),
    Failed(AttrValue),
}

/// The caller's active sessions, fetched again whenever `deps` changes.
#[hook]
pub fn use_sessions<D>(deps: D) -> UseStateHandle<Remote<Vec<SessionDto>>>
where
    D: PartialEq + 'static,
{
    let sessions = use_state(|| Remote::Loading);
    let guard = use_session_guard();
    {
        let sessions = sessions.clone();
        use_effect_with(deps, move |_| {
            spawn_local(async move {
                match api::sessions().await {
                    Ok(list) => sessions.set(Remote::Ready(list)),
                    Err(error) => {
                        if let Some(error) = guard.check(error) {
                            sessions.set(Remote::Failed(error.message().into()));
                        }
                    }
                }
            });
        });
    }
    sessions
}
