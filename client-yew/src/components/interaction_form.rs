use api_types::{INTERACTION_KINDS, InteractionRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::select_field::SelectField;
use crate::components::submit_button::SubmitButton;
use crate::components::text_area_field::TextAreaField;
use crate::form::{FormError, field_message, general_message, setter};
use crate::live::use_offline;
use crate::state::use_session_guard;
use crate::text;

const FIELDS: &[&str] = &["kind", "content"];

#[derive(Properties, PartialEq)]
pub struct InteractionFormProps {
    pub contact_id: i64,
    /// Called once the server saved the interaction.
    pub on_added: Callback<()>,
}

/// Records a call, message or meeting (`#interaction-kind`, `#interaction-content`,
/// `#interaction-submit`); refusals show as `#interaction-error`.
#[component]
pub fn InteractionForm(props: &InteractionFormProps) -> Html {
    let kind = use_state(|| "call".to_owned());
    let content = use_state(String::new);
    let busy = use_state(|| false);
    let offline = use_offline();
    let error = use_state(|| None::<FormError>);
    let done = use_state(|| false);
    let guard = use_session_guard();

    let onsubmit = {
        let (kind, content, busy, error, done) = (
            kind.clone(),
            content.clone(),
            busy.clone(),
            error.clone(),
            done.clone(),
        );
        let (id, on_added) = (props.contact_id, props.on_added.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            done.set(false);
            if content.trim().is_empty() {
                error.set(Some(FormError::field("content", text::CONTENT_REQUIRED)));
                return;
            }
            let request = InteractionRequest {
                kind: (*kind).clone(),
                content: content.trim().to_owned(),
            };
            error.set(None);
            busy.set(true);
            let (content, busy, error, done) =
                (content.clone(), busy.clone(), error.clone(), done.clone());
            let (guard, on_added) = (guard.clone(), on_added.clone());
            spawn_local(async move {
                let result = api::add_interaction(id, &request).await;
                busy.set(false);
                match result {
                    Ok(_) => {
                        content.set(String::new());
                        done.set(true);
                        on_added.emit(());
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(FormError::from_api(&e, FIELDS)));
                        }
                    }
                }
            });
        })
    };
    let kinds: Vec<(AttrValue, AttrValue)> = INTERACTION_KINDS
        .iter()
        .map(|(code, name)| (AttrValue::Static(code), AttrValue::Static(name)))
        .collect();
    html! {
        <form class="form interaction-form" {onsubmit} novalidate=true>
            if let Some(message) = general_message(&error) {
                <Alert kind={AlertKind::Error} id="interaction-error">{ message }</Alert>
            } else if *done {
                <Alert kind={AlertKind::Success} id="interaction-result">{ text::INTERACTION_ADDED }</Alert>
            }
            <SelectField id="interaction-kind" label={text::INTERACTION_KIND} value={(*kind).clone()}
                options={kinds} onchange={setter(&kind)} error={field_message(&error, "kind")} />
            <TextAreaField id="interaction-content" label={text::INTERACTION_CONTENT}
                value={(*content).clone()} oninput={setter(&content)}
                error={field_message(&error, "content")} />
            <SubmitButton id="interaction-submit" label={text::INTERACTION_SUBMIT}
                busy_label={text::SAVING} busy={*busy} {offline} />
        </form>
    }
}
