use api_types::{ContactDto, StatusChangeRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::text_area_field::TextAreaField;
use crate::form::setter;
use crate::live::use_offline;
use crate::state::use_session_guard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct StatusActionsProps {
    pub contact: ContactDto,
    /// Called with the contact as the server shows it after a move.
    pub on_updated: Callback<ContactDto>,
    /// Called when the server refused a move, so the page shows the current moves.
    pub on_stale: Callback<()>,
}

/// One button per move this viewer may make now (`button[data-move="<status>"]`), an
/// optional note (`#status-note`, saved as an interaction) and the outcome (`#status-result`).
#[component]
pub fn StatusActions(props: &StatusActionsProps) -> Html {
    let note = use_state(String::new);
    let busy = use_state(|| None::<String>);
    let offline = use_offline();
    let result = use_state(|| None::<(AlertKind, AttrValue)>);
    let guard = use_session_guard();

    let on_move = {
        let (note, busy, result) = (note.clone(), busy.clone(), result.clone());
        let (id, on_updated, on_stale) = (
            props.contact.id,
            props.on_updated.clone(),
            props.on_stale.clone(),
        );
        Callback::from(move |status: String| {
            if busy.is_some() {
                return;
            }
            busy.set(Some(status.clone()));
            result.set(None);
            let request = StatusChangeRequest {
                status,
                note: Some(note.trim().to_owned()).filter(|n| !n.is_empty()),
            };
            let (note, busy, result, guard) =
                (note.clone(), busy.clone(), result.clone(), guard.clone());
            let (on_updated, on_stale) = (on_updated.clone(), on_stale.clone());
            spawn_local(async move {
                let outcome = api::change_status(id, &request).await;
                busy.set(None);
                match outcome {
                    Ok(contact) => {
                        note.set(String::new());
                        let message = text::moved(&contact.code, &contact.status);
                        result.set(Some((AlertKind::Success, message.into())));
                        on_updated.emit(contact);
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            result.set(Some((AlertKind::Error, e.message().into())));
                            on_stale.emit(());
                        }
                    }
                }
            });
        })
    };

    let moves = &props.contact.allowed_moves;
    html! {
        <div class="status-actions">
            if let Some((kind, message)) = &*result {
                <Alert kind={*kind} id="status-result">{ message.clone() }</Alert>
            }
            if moves.is_empty() {
                <p id="status-no-moves" class="muted">{ text::NO_MOVES }</p>
            } else {
                <TextAreaField id="status-note" label={text::STATUS_NOTE} value={(*note).clone()}
                    oninput={setter(&note)} />
                <div class="button-row">
                    for status in moves.iter().cloned() {
                        <button type="button" class={classes!("btn", move_class(&status))}
                            data-move={status.clone()} disabled={busy.is_some() || offline}
                            title={offline.then_some(text::OFFLINE_HINT)}
                            aria-busy={(busy.as_deref() == Some(status.as_str())).to_string()}
                            onclick={on_move.reform({ let status = status.clone(); move |_: MouseEvent| status.clone() })}>
                            { text::move_to(&status) }
                        </button>
                    }
                </div>
            }
        </div>
    }
}

/// Failing or closing a contact is drawn in red, so it is not clicked by habit.
fn move_class(status: &str) -> &'static str {
    match status {
        "failed" | "closed" => "btn-danger-outline",
        _ => "btn-outline",
    }
}
