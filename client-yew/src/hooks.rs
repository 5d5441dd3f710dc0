//! Data-loading hooks shared by several screens.

use std::future::Future;
use std::time::Duration;

use api_types::SessionDto;
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::state::use_session_guard;

mod pick;

pub use pick::{PickOutcome, use_pick};

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

/// Fetches with `fetch(deps)` whenever `deps` changes (put a counter in them to reload).
/// The last value stays shown while a new one loads, so pages do not flicker; an answer
/// that arrives after a newer request started is dropped, so a slow early search never
/// overwrites a later one.
#[hook]
pub fn use_remote<T, D, F, Fut>(deps: D, fetch: F) -> UseStateHandle<Remote<T>>
where
    T: 'static,
    D: PartialEq + Clone + 'static,
    F: FnOnce(D) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let remote = use_state(|| Remote::Loading);
    let latest = use_mut_ref(|| 0_u64);
    let guard = use_session_guard();
    {
        let remote = remote.clone();
        use_effect_with(deps, move |deps| {
            let request = {
                let mut latest = latest.borrow_mut();
                *latest += 1;
                *latest
            };
            let deps = deps.clone();
            spawn_local(async move {
                let result = fetch(deps).await;
                if *latest.borrow() != request {
                    return;
                }
                match result {
                    Ok(value) => remote.set(Remote::Ready(value)),
                    Err(error) => {
                        if let Some(error) = guard.check(error) {
                            remote.set(Remote::Failed(error.message().into()));
                        }
                    }
                }
            });
        });
    }
    remote
}

/// How long typing in a search box pauses before the list is asked for.
pub const SEARCH_DELAY: Duration = Duration::from_millis(300);

/// Calls `on_settled` with `value` once it has stayed the same for `delay`: a search box
/// asks the server when typing pauses, not at every key.
#[hook]
pub fn use_debounced(value: String, delay: Duration, on_settled: Callback<String>) {
    let changes = use_mut_ref(|| 0_u64);
    use_effect_with(value, move |value| {
        let change = {
            let mut count = changes.borrow_mut();
            *count += 1;
            *count
        };
        let value = value.clone();
        spawn_local(async move {
            sleep(delay).await;
            if *changes.borrow() == change {
                on_settled.emit(value);
            }
        });
    });
}
