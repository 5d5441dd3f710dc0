use api_types::permissions::{TEAMS_MANAGE, USERS_MANAGE};
use api_types::{ContactDto, EmployeeDto, ReassignRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError, EmployeeQuery};
use crate::components::alert::{Alert, AlertKind};
use crate::components::leader_picker::label;
use crate::components::select_field::SelectField;
use crate::hooks::{Remote, use_remote};
use crate::state::{AuthState, use_auth_state, use_session_guard};
use crate::text;

/// Where the employee choices come from, by what the viewer may list.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Candidates {
    /// `users.manage`: every active employee at once.
    Employees,
    /// `teams.manage`: a search over active employees (50 at a time).
    Search,
    /// Neither: only "back to the pool" is offered.
    Unavailable,
}

#[derive(Properties, PartialEq)]
pub struct ReassignCardProps {
    pub contact: ContactDto,
    pub on_updated: Callback<ContactDto>,
}

/// Hands the contact to an employee (`#reassign-user`, `#reassign-submit`, with
/// `#reassign-search` when the list comes from a search) or back to the pool
/// (`#reassign-pool`); the outcome is `#reassign-result`.
#[component]
pub fn ReassignCard(props: &ReassignCardProps) -> Html {
    let candidates = match use_auth_state() {
        AuthState::SignedIn(user) if user.can(USERS_MANAGE) => Candidates::Employees,
        AuthState::SignedIn(user) if user.can(TEAMS_MANAGE) => Candidates::Search,
        _ => Candidates::Unavailable,
    };
    let search = use_state(String::new);
    let found = use_remote(
        (candidates, (*search).clone()),
        |(candidates, q)| async move { load(candidates, &q).await },
    );
    // The chosen employee stays a choice even when a later search no longer finds them.
    let chosen = use_state(|| None::<(i64, String)>);
    let busy = use_state(|| false);
    let result = use_state(|| None::<(AlertKind, AttrValue)>);
    let guard = use_session_guard();

    let found: Vec<(i64, String)> = match &*found {
        Remote::Ready(list) => list.iter().map(label).collect(),
        _ => Vec::new(),
    };
    let on_choose = {
        let (chosen, found) = (chosen.clone(), found.clone());
        Callback::from(move |value: String| {
            let id = value.parse::<i64>().ok();
            chosen.set(found.iter().find(|(found, _)| Some(*found) == id).cloned());
        })
    };
    let on_search = {
        let search = search.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            search.set(input.value());
        })
    };
    let send = {
        let (busy, result, chosen) = (busy.clone(), result.clone(), chosen.clone());
        let (id, on_updated) = (props.contact.id, props.on_updated.clone());
        Callback::from(move |to_pool: bool| {
            let user_id = if to_pool {
                None
            } else if let Some((user_id, _)) = &*chosen {
                Some(*user_id)
            } else {
                result.set(Some((AlertKind::Error, text::EMPLOYEE_REQUIRED.into())));
                return;
            };
            busy.set(true);
            result.set(None);
            let (busy, result, guard, on_updated) = (
                busy.clone(),
                result.clone(),
                guard.clone(),
                on_updated.clone(),
            );
            spawn_local(async move {
                let outcome = api::reassign_contact(id, &ReassignRequest { user_id }).await;
                busy.set(false);
                match outcome {
                    Ok(contact) => {
                        let message = match &contact.assignee_name {
                            Some(name) => text::reassigned(&contact.code, name),
                            None => text::returned_to_pool(&contact.code),
                        };
                        result.set(Some((AlertKind::Success, message.into())));
                        on_updated.emit(contact);
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            result.set(Some((AlertKind::Error, e.message().into())));
                        }
                    }
                }
            });
        })
    };

    let mut options = vec![(
        AttrValue::Static(""),
        AttrValue::Static(text::CHOOSE_EMPLOYEE),
    )];
    let chosen_id = chosen.as_ref().map(|(id, _)| *id);
    let pair = |(id, name): &(i64, String)| {
        (
            AttrValue::from(id.to_string()),
            AttrValue::from(name.clone()),
        )
    };
    options.extend(chosen.iter().map(pair));
    options.extend(
        found
            .iter()
            .filter(|(id, _)| Some(*id) != chosen_id)
            .map(pair),
    );
    let selected = AttrValue::from(chosen_id.map(|id| id.to_string()).unwrap_or_default());
    html! {
        <div class="picker">
            if let Some((kind, message)) = &*result {
                <Alert kind={*kind} id="reassign-result">{ message.clone() }</Alert>
            }
            if candidates == Candidates::Search {
                <div class="field">
                    <label for="reassign-search">{ text::REASSIGN_SEARCH }</label>
                    <input id="reassign-search" type="search" class="input" value={(*search).clone()}
                        oninput={on_search} autocomplete="off" />
                </div>
            }
            if candidates == Candidates::Unavailable {
                <p class="muted">{ text::REASSIGN_POOL_ONLY }</p>
            } else {
                <SelectField id="reassign-user" label={text::REASSIGN_USER} value={selected}
                    {options} onchange={on_choose} />
            }
            <div class="button-row">
                if candidates != Candidates::Unavailable {
                    <button type="button" id="reassign-submit" class="btn btn-primary" disabled={*busy}
                        onclick={send.reform(|_: MouseEvent| false)}>{ text::REASSIGN_SUBMIT }</button>
                }
                <button type="button" id="reassign-pool" class="btn btn-outline" disabled={*busy}
                    onclick={send.reform(|_: MouseEvent| true)}>{ text::REASSIGN_POOL }</button>
            </div>
        </div>
    }
}

async fn load(candidates: Candidates, q: &str) -> Result<Vec<EmployeeDto>, ApiError> {
    match candidates {
        Candidates::Employees => {
            let query = EmployeeQuery {
                status: Some("active".to_owned()),
                page: 1,
                per_page: 200,
                ..EmployeeQuery::default()
            };
            Ok(api::employees(&query).await?.items)
        }
        Candidates::Search => api::team_candidates(q).await,
        Candidates::Unavailable => Ok(Vec::new()),
    }
}
