use yew::prelude::*;

use crate::components::alert::{Alert, AlertKind};
use crate::components::loading::Loading;
use crate::format;
use crate::hooks::{Remote, use_sessions};
use crate::text;

/// Details of the session this browser is using.
#[component]
pub fn CurrentSession() -> Html {
    let sessions = use_sessions(());
    match &*sessions {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="session-error">{ message.clone() }</Alert>
        },
        Remote::Ready(list) => match list.iter().find(|session| session.current) {
            Some(session) => html! {
                <dl class="details">
                    <dt>{ text::DEVICE }</dt>
                    <dd title={session.user_agent.clone()}>
                        { format::device(session.user_agent.as_deref()) }
                    </dd>
                    <dt>{ text::IP_ADDRESS }</dt>
                    <dd>{ session.ip.clone().unwrap_or_else(|| text::UNKNOWN.to_owned()) }</dd>
                    <dt>{ text::SIGNED_IN_AT }</dt>
                    <dd>{ format::datetime(&session.created_at) }</dd>
                    <dt>{ text::LAST_SEEN }</dt>
                    <dd>{ format::datetime(&session.last_seen_at) }</dd>
                    <dt>{ text::EXPIRES_AT }</dt>
                    <dd>{ format::datetime(&session.expires_at) }</dd>
                </dl>
            },
            None => html! { <p class="muted">{ text::SESSION_NOT_FOUND }</p> },
        },
    }
}
