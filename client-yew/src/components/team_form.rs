use api_types::{TeamDto, TeamRequest};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::form_field::FormField;
use crate::components::leader_picker::LeaderPicker;
use crate::components::submit_button::SubmitButton;
use crate::components::text_area_field::TextAreaField;
use crate::form::{FormError, field_message, general_message, setter};
use crate::state::use_session_guard;
use crate::text;

const FIELDS: &[&str] = &["name", "description", "region", "leader_id"];

#[derive(Properties, PartialEq)]
pub struct TeamFormProps {
    /// The team being edited; `None` creates one.
    #[prop_or_default]
    pub existing: Option<TeamDto>,
}

/// Creates or edits a team, then opens its detail page.
#[component]
pub fn TeamForm(props: &TeamFormProps) -> Html {
    let existing = props.existing.as_ref();
    let name = use_state(|| existing.map(|t| t.name.clone()).unwrap_or_default());
    let description = use_state(|| {
        existing
            .and_then(|t| t.description.clone())
            .unwrap_or_default()
    });
    let region = use_state(|| existing.and_then(|t| t.region.clone()).unwrap_or_default());
    let leader = use_state(|| {
        existing
            .and_then(|t| t.leader_id)
            .map(|id| id.to_string())
            .unwrap_or_default()
    });
    let busy = use_state(|| false);
    let error = use_state(|| None::<FormError>);
    let guard = use_session_guard();
    let navigator = use_navigator();

    let onsubmit = {
        let (name, description, region, leader) = (
            name.clone(),
            description.clone(),
            region.clone(),
            leader.clone(),
        );
        let (busy, error) = (busy.clone(), error.clone());
        let editing = existing.map(|t| t.id);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            if name.trim().is_empty() {
                error.set(Some(FormError::field("name", text::TEAM_NAME_REQUIRED)));
                return;
            }
            let optional = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
            let request = TeamRequest {
                name: name.trim().to_owned(),
                description: optional(&description),
                region: optional(&region),
                leader_id: leader.parse().ok(),
            };
            error.set(None);
            busy.set(true);
            let (busy, error, guard, navigator) = (
                busy.clone(),
                error.clone(),
                guard.clone(),
                navigator.clone(),
            );
            spawn_local(async move {
                let saved = match editing {
                    None => api::create_team(&request).await,
                    Some(id) => api::update_team(id, &request).await,
                };
                busy.set(false);
                match saved {
                    Ok(team) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::TeamDetail { id: team.id });
                        }
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

    let current_leader = existing.and_then(|t| Some((t.leader_id?, t.leader_name.clone()?)));
    let submit_label = if existing.is_none() {
        text::TEAM_CREATE_SUBMIT
    } else {
        text::SAVE_CHANGES
    };
    html! {
        <form class="form form-grid" {onsubmit} novalidate=true>
            if let Some(message) = general_message(&error) {
                <div class="form-wide">
                    <Alert kind={AlertKind::Error} id="team-error">{ message }</Alert>
                </div>
            }
            <FormField id="team-name" label={text::TEAM_NAME} value={(*name).clone()}
                oninput={setter(&name)} autocomplete="off" error={field_message(&error, "name")} />
            <FormField id="team-region" label={text::REGION} value={(*region).clone()}
                oninput={setter(&region)} autocomplete="off" error={field_message(&error, "region")} />
            <div class="form-wide">
                <TextAreaField id="team-description" label={text::DESCRIPTION}
                    value={(*description).clone()} oninput={setter(&description)}
                    error={field_message(&error, "description")} />
            </div>
            <div class="form-wide">
                <LeaderPicker value={(*leader).clone()} current={current_leader}
                    onchange={setter(&leader)} error={field_message(&error, "leader_id")} />
            </div>
            <div class="form-wide form-actions">
                <SubmitButton id="team-submit" label={submit_label} busy_label={text::SAVING} busy={*busy} />
            </div>
        </form>
    }
}
