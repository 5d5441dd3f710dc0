use api_types::EmployeeDto;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::state::use_session_guard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct TeamMembersProps {
    pub team_id: i64,
    pub members: Vec<EmployeeDto>,
    #[prop_or_default]
    pub leader_id: Option<i64>,
    /// Called after a member was removed.
    pub on_changed: Callback<()>,
}

/// The team's members, each with "Xoá khỏi nhóm" (`button[data-remove-member]`).
#[component]
pub fn TeamMembers(props: &TeamMembersProps) -> Html {
    let removing = use_state(|| None::<i64>);
    let error = use_state(|| None::<AttrValue>);
    let guard = use_session_guard();

    let on_remove = {
        let (removing, error) = (removing.clone(), error.clone());
        let (team_id, on_changed) = (props.team_id, props.on_changed.clone());
        Callback::from(move |user_id: i64| {
            removing.set(Some(user_id));
            error.set(None);
            let (removing, error) = (removing.clone(), error.clone());
            let (guard, on_changed) = (guard.clone(), on_changed.clone());
            spawn_local(async move {
                let result = api::remove_team_member(team_id, user_id).await;
                removing.set(None);
                match result {
                    Ok(_) => on_changed.emit(()),
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(e.message().into()));
                        }
                    }
                }
            });
        })
    };

    html! {
        <>
            if let Some(message) = &*error {
                <Alert kind={AlertKind::Error} id="members-error">{ message.clone() }</Alert>
            }
            if props.members.is_empty() {
                <p id="members-empty" class="empty-state">{ text::NO_MEMBERS }</p>
            } else {
                <div class="table-wrap">
                    <table class="table" id="members-table">
                        <thead>
                            <tr>
                                <th scope="col">{ text::FULL_NAME }</th>
                                <th scope="col">{ text::USERNAME_LABEL }</th>
                                <th scope="col">{ text::POSITION }</th>
                                <th scope="col">{ text::ACTIONS }</th>
                            </tr>
                        </thead>
                        <tbody>
                            for member in &props.members {
                                { row(member, props.leader_id == Some(member.id), *removing, &on_remove) }
                            }
                        </tbody>
                    </table>
                </div>
            }
        </>
    }
}

fn row(
    member: &EmployeeDto,
    leader: bool,
    removing: Option<i64>,
    on_remove: &Callback<i64>,
) -> Html {
    let id = member.id;
    html! {
        <tr data-member={member.username.clone()}>
            <td data-label={text::FULL_NAME}>
                { member.full_name.clone() }
                if leader {
                    { " " }<span class="chip chip-gold">{ text::LEADER }</span>
                }
            </td>
            <td data-label={text::USERNAME_LABEL}><code>{ member.username.clone() }</code></td>
            <td data-label={text::POSITION}>
                { member.position.clone().unwrap_or_else(|| text::DASH.to_owned()) }
            </td>
            <td data-label={text::ACTIONS}>
                <button type="button" class="btn btn-danger-outline btn-small"
                    data-remove-member={member.username.clone()} disabled={removing.is_some()}
                    onclick={on_remove.reform(move |_: MouseEvent| id)}>
                    { if removing == Some(id) { text::WORKING } else { text::REMOVE_MEMBER } }
                </button>
            </td>
        </tr>
    }
}
