use api_types::{AuditEntryDto, ServiceTypeDto, audit_action_label};
use yew::prelude::*;

use crate::api;
use crate::changes::{FieldChange, changes};
use crate::components::alert::{Alert, AlertKind};
use crate::components::loading::Loading;
use crate::format;
use crate::hooks::{Remote, use_remote};
use crate::text;

/// Whose audit trail to show.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HistoryOf {
    Contact(i64),
    Deal(i64),
}

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub of: HistoryOf,
    /// Changed after every action on the page, to ask the server again.
    pub reload: u32,
}

/// A contact's or a deal's audit trail, newest first (`#history-list`, each
/// `li[data-history-action]`): when, who, what, and the fields it changed.
#[component]
pub fn History(props: &HistoryProps) -> Html {
    let entries = use_remote((props.of, props.reload), |(of, _)| async move {
        match of {
            HistoryOf::Contact(id) => api::contact_history(id).await,
            HistoryOf::Deal(id) => api::deal_history(id).await,
        }
    });
    // Names for a contact's service-type ids; without them the ids are shown.
    let with_service_types = matches!(props.of, HistoryOf::Contact(_));
    let service_types = use_remote(with_service_types, |wanted| async move {
        if wanted {
            api::service_types().await
        } else {
            Ok(Vec::new())
        }
    });
    let service_types: &[ServiceTypeDto] = match &*service_types {
        Remote::Ready(list) => list,
        _ => &[],
    };
    match &*entries {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="history-error">{ message.clone() }</Alert>
        },
        Remote::Ready(list) if list.is_empty() => html! {
            <p id="history-empty" class="empty-state">{ text::NO_HISTORY }</p>
        },
        Remote::Ready(list) => html! {
            <ol id="history-list" class="history">
                for entry in list {
                    { item(entry, service_types) }
                }
            </ol>
        },
    }
}

fn item(entry: &AuditEntryDto, service_types: &[ServiceTypeDto]) -> Html {
    let action = audit_action_label(&entry.action).unwrap_or(&entry.action);
    let actor = entry
        .actor_name
        .clone()
        .unwrap_or_else(|| text::SYSTEM_ACTOR.to_owned());
    let found = changes(entry.before.as_ref(), entry.after.as_ref(), service_types);
    html! {
        <li class="history-item" data-history-action={entry.action.clone()}>
            <p class="history-head">
                <span class="history-action">{ action.to_owned() }</span>
                <span class="muted-small">{ actor }{ " · " }{ format::datetime(&entry.at) }</span>
            </p>
            if !found.is_empty() {
                <ul class="history-changes">
                    for change in &found {
                        { line(change) }
                    }
                </ul>
            }
        </li>
    }
}

fn line(change: &FieldChange) -> Html {
    html! {
        <li class="history-change">
            <span class="history-field">{ change.field }{ ": " }</span>
            if let Some(before) = &change.before {
                <span class="history-before">{ before.clone() }</span>
                { " → " }
            }
            <span class="history-after">{ change.after.clone() }</span>
        </li>
    }
}
