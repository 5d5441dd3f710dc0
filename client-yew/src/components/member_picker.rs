use api_types::{AddMemberRequest, EmployeeDto};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::loading::Loading;
use crate::hooks::{Remote, use_remote};
use crate::state::use_session_guard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct MemberPickerProps {
    pub team_id: i64,
    /// Ids already in the team, left out of the results.
    pub member_ids: Vec<i64>,
    /// Called after someone was added.
    pub on_added: Callback<()>,
}

/// Search (`#member-search`) and add active employees (`button[data-add-member]`);
/// someone in another team is moved here.
#[component]
pub fn MemberPicker(props: &MemberPickerProps) -> Html {
    let search = use_state(String::new);
    // Bumped after an add so the results show who is where now.
    let added = use_state(|| 0_u32);
    let candidates = use_remote(((*search).clone(), *added), |(q, _)| async move {
        api::team_candidates(&q).await
    });
    let adding = use_state(|| None::<i64>);
    let error = use_state(|| None::<AttrValue>);
    let guard = use_session_guard();

    let on_search = {
        let search = search.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            search.set(input.value());
        })
    };
    let on_add = {
        let (added, adding, error) = (added.clone(), adding.clone(), error.clone());
        let (team_id, on_added) = (props.team_id, props.on_added.clone());
        Callback::from(move |user_id: i64| {
            adding.set(Some(user_id));
            error.set(None);
            let (added, adding, error) = (added.clone(), adding.clone(), error.clone());
            let (guard, on_added) = (guard.clone(), on_added.clone());
            spawn_local(async move {
                let result = api::add_team_member(team_id, &AddMemberRequest { user_id }).await;
                adding.set(None);
                match result {
                    Ok(_) => {
                        added.set(*added + 1);
                        on_added.emit(());
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(e.message().into()));
                        }
                    }
                }
            });
        })
    };

    let results = match &*candidates {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="member-search-error">{ message.clone() }</Alert>
        },
        Remote::Ready(list) => {
            let outside: Vec<&EmployeeDto> = list
                .iter()
                .filter(|e| !props.member_ids.contains(&e.id))
                .collect();
            if outside.is_empty() {
                html! { <p class="empty-state">{ text::NO_CANDIDATES }</p> }
            } else {
                html! {
                    <ul id="member-results" class="pick-list">
                        for employee in outside {
                            { candidate(employee, *adding, &on_add) }
                        }
                    </ul>
                }
            }
        }
    };
    html! {
        <div class="picker">
            if let Some(message) = &*error {
                <Alert kind={AlertKind::Error} id="member-add-error">{ message.clone() }</Alert>
            }
            <div class="field">
                <label for="member-search">{ text::MEMBER_SEARCH }</label>
                <input id="member-search" type="search" class="input" value={(*search).clone()}
                    oninput={on_search} autocomplete="off" aria-describedby="member-search-hint" />
                <p id="member-search-hint" class="field-hint">{ text::MEMBER_SEARCH_HINT }</p>
            </div>
            { results }
        </div>
    }
}

fn candidate(employee: &EmployeeDto, adding: Option<i64>, on_add: &Callback<i64>) -> Html {
    let id = employee.id;
    html! {
        <li class="pick-item" data-candidate={employee.username.clone()}>
            <div class="pick-who">
                <span class="pick-name">{ employee.full_name.clone() }</span>
                <code>{ employee.username.clone() }</code>
                if let Some(team) = &employee.team_name {
                    <span class="muted-small">{ text::current_team(team) }</span>
                }
            </div>
            <button type="button" class="btn btn-outline btn-small" data-add-member={employee.username.clone()}
                disabled={adding.is_some()} onclick={on_add.reform(move |_: MouseEvent| id)}>
                { if adding == Some(id) { text::WORKING } else { text::ADD_MEMBER } }
            </button>
        </li>
    }
}
