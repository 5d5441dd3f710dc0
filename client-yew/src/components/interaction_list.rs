use api_types::{INTERACTION_KINDS, InteractionDto, label};
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::loading::Loading;
use crate::format;
use crate::hooks::{Remote, use_remote};
use crate::text;

#[derive(Properties, PartialEq)]
pub struct InteractionListProps {
    pub contact_id: i64,
    /// Changed after something was added, to ask the server again.
    pub reload: u32,
}

/// The contact's interactions, newest first, as a timeline (`#interaction-list`, each
/// `li[data-interaction-kind]`).
#[component]
pub fn InteractionList(props: &InteractionListProps) -> Html {
    let list = use_remote((props.contact_id, props.reload), |(id, _)| {
        api::interactions(id)
    });
    match &*list {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="interactions-error">{ message.clone() }</Alert>
        },
        Remote::Ready(items) if items.is_empty() => html! {
            <p id="interactions-empty" class="empty-state">{ text::NO_INTERACTIONS }</p>
        },
        Remote::Ready(items) => html! {
            <ol id="interaction-list" class="timeline">
                for item in items {
                    { entry(item) }
                }
            </ol>
        },
    }
}

fn entry(item: &InteractionDto) -> Html {
    let kind = Some(label(INTERACTION_KINDS, &item.kind))
        .filter(|name| !name.is_empty())
        .unwrap_or(&item.kind)
        .to_owned();
    let known = INTERACTION_KINDS.iter().any(|(code, _)| *code == item.kind);
    let icon = format!(
        "timeline-icon-{}",
        if known { item.kind.as_str() } else { "other" }
    );
    html! {
        <li class="timeline-item" data-interaction-kind={item.kind.clone()}>
            <span class={classes!("timeline-icon", icon)} aria-hidden="true"></span>
            <div class="timeline-body">
                <p class="timeline-meta">
                    <span class="timeline-kind">{ kind }</span>
                    <span class="muted-small">
                        { item.author_name.clone().unwrap_or_else(|| text::UNKNOWN.to_owned()) }
                        { " · " }
                        { format::datetime(&item.created_at) }
                    </span>
                </p>
                <p class="timeline-text">{ item.content.clone() }</p>
            </div>
        </li>
    }
}
