use api_types::SessionDto;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::loading::Loading;
use crate::format;
use crate::hooks::{Remote, use_sessions};
use crate::state::use_session_guard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct SessionListProps {
    /// Changing it fetches the list again.
    pub reload: u32,
}

/// The user's active sessions, each other device with a button to sign it out.
#[component]
pub fn SessionList(props: &SessionListProps) -> Html {
    let revoked = use_state(|| 0_u32);
    let sessions = use_sessions((props.reload, *revoked));
    // The session being signed out, so its button shows progress.
    let revoking = use_state(|| None::<i64>);
    let error = use_state(|| None::<AttrValue>);
    let guard = use_session_guard();

    let on_revoke = {
        let (revoked, revoking, error) = (revoked.clone(), revoking.clone(), error.clone());
        Callback::from(move |id: i64| {
            revoking.set(Some(id));
            error.set(None);
            let (revoked, revoking, error) = (revoked.clone(), revoking.clone(), error.clone());
            let guard = guard.clone();
            spawn_local(async move {
                match api::revoke_session(id).await {
                    Ok(()) => revoked.set(*revoked + 1),
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(e.message().into()));
                        }
                    }
                }
                revoking.set(None);
            });
        })
    };

    let body = match &*sessions {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="sessions-error">{ message.clone() }</Alert>
        },
        Remote::Ready(list) if list.is_empty() => html! {
            <p class="muted">{ text::NO_SESSIONS }</p>
        },
        Remote::Ready(list) => html! {
            <div class="table-wrap">
                <table class="table" id="sessions-table">
                    <thead>
                        <tr>
                            <th scope="col">{ text::DEVICE }</th>
                            <th scope="col">{ text::IP_ADDRESS }</th>
                            <th scope="col">{ text::LAST_SEEN }</th>
                            <th scope="col">{ text::EXPIRES_AT }</th>
                            <th scope="col">{ text::SESSION_STATUS }</th>
                        </tr>
                    </thead>
                    <tbody>
                        for session in list {
                            { row(session, *revoking, &on_revoke) }
                        }
                    </tbody>
                </table>
            </div>
        },
    };

    html! {
        <>
            if let Some(message) = &*error {
                <Alert kind={AlertKind::Error} id="sessions-error">{ message.clone() }</Alert>
            }
            { body }
        </>
    }
}

fn row(session: &SessionDto, revoking: Option<i64>, on_revoke: &Callback<i64>) -> Html {
    let status = if session.current {
        html! { <span class="badge badge-current">{ text::CURRENT_SESSION }</span> }
    } else {
        let busy = revoking == Some(session.id);
        let id = session.id;
        html! {
            <button type="button" class="btn btn-outline btn-small" data-session={id.to_string()}
                disabled={revoking.is_some()} onclick={on_revoke.reform(move |_: MouseEvent| id)}>
                { if busy { text::REVOKING } else { text::REVOKE_SESSION } }
            </button>
        }
    };
    html! {
        <tr data-session-id={session.id.to_string()} class={classes!(session.current.then_some("row-current"))}>
            <td data-label={text::DEVICE} title={session.user_agent.clone()}>
                { format::device(session.user_agent.as_deref()) }
            </td>
            <td data-label={text::IP_ADDRESS}>
                { session.ip.clone().unwrap_or_else(|| text::UNKNOWN.to_owned()) }
            </td>
            <td data-label={text::LAST_SEEN}>{ format::datetime(&session.last_seen_at) }</td>
            <td data-label={text::EXPIRES_AT}>{ format::datetime(&session.expires_at) }</td>
            <td data-label={text::SESSION_STATUS}>{ status }</td>
        </tr>
    }
}
