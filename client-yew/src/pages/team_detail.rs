use api_types::TeamDto;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::loading::Loading;
use crate::components::member_picker::MemberPicker;
use crate::components::team_members::TeamMembers;
use crate::hooks::{Remote, use_remote};
use crate::state::use_session_guard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct TeamDetailPageProps {
    pub id: i64,
}

#[component]
pub fn TeamDetailPage(props: &TeamDetailPageProps) -> Html {
    // Bumped after a membership change so the page shows the server's new view.
    let reload = use_state(|| 0_u32);
    let detail = use_remote((props.id, *reload), |(id, _)| api::team(id));
    let asking = use_state(|| false);
    let deleting = use_state(|| false);
    let error = use_state(|| None::<AttrValue>);
    let guard = use_session_guard();
    let navigator = use_navigator();

    let on_changed = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };
    let ask = {
        let (asking, error) = (asking.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            asking.set(true);
        })
    };
    let cancel = {
        let asking = asking.clone();
        Callback::from(move |()| asking.set(false))
    };
    let delete = {
        let (asking, deleting, error) = (asking.clone(), deleting.clone(), error.clone());
        let id = props.id;
        Callback::from(move |()| {
            deleting.set(true);
            let (asking, deleting, error) = (asking.clone(), deleting.clone(), error.clone());
            let (guard, navigator) = (guard.clone(), navigator.clone());
            spawn_local(async move {
                let result = api::delete_team(id).await;
                deleting.set(false);
                asking.set(false);
                match result {
                    Ok(()) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Teams);
                        }
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

    let back = html! {
        <Link<Route> to={Route::Teams} classes="link back-link">{ text::BACK_TO_TEAMS }</Link<Route>>
    };
    let detail = match &*detail {
        Remote::Loading => return html! { <>{ back }<Loading /></> },
        Remote::Failed(message) => {
            return html! {
                <>{ back }<Alert kind={AlertKind::Error} id="team-error">{ message.clone() }</Alert></>
            };
        }
        Remote::Ready(detail) => detail,
    };
    let team = &detail.team;
    let member_ids: Vec<i64> = detail.members.iter().map(|m| m.id).collect();
    html! {
        <>
            <div class="page-header">
                { back }
                <h1 id="team-title">{ team.name.clone() }</h1>
                <div class="page-actions">
                    <Link<Route> to={Route::TeamEdit { id: team.id }} classes="btn btn-primary">
                        { text::EDIT }
                    </Link<Route>>
                    <button type="button" id="team-delete" class="btn btn-danger-outline" onclick={ask}>
                        { text::TEAM_DELETE }
                    </button>
                </div>
                if let Some(message) = &*error {
                    <div class="action-error">
                        <Alert kind={AlertKind::Error} id="team-delete-error">{ message.clone() }</Alert>
                    </div>
                }
            </div>
            if *asking {
                <ConfirmDialog title={text::TEAM_DELETE_TITLE} message={text::team_delete_question(&team.name)}
                    confirm_label={text::TEAM_DELETE} busy={*deleting} on_confirm={delete} on_cancel={cancel} />
            }
            <div class="card-grid">
                <section class="card" id="team-card">
                    <h2 class="card-title">{ text::TEAM_INFO }</h2>
                    { info(team) }
                </section>
                <section class="card" id="add-member-card">
                    <h2 class="card-title">{ text::ADD_MEMBER_TITLE }</h2>
                    <MemberPicker team_id={team.id} {member_ids} on_added={on_changed.clone()} />
                </section>
                <section class="card card-wide" id="members-card">
                    <h2 class="card-title">{ text::MEMBERS_TITLE }</h2>
                    <TeamMembers team_id={team.id} members={detail.members.clone()}
                        leader_id={team.leader_id} {on_changed} />
                </section>
            </div>
        </>
    }
}

fn info(team: &TeamDto) -> Html {
    let or_unset =
        |value: &Option<String>| value.clone().unwrap_or_else(|| text::NOT_SET.to_owned());
    html! {
        <dl class="details">
            <dt>{ text::REGION }</dt>
            <dd id="team-detail-region">{ or_unset(&team.region) }</dd>
            <dt>{ text::LEADER }</dt>
            <dd id="team-detail-leader">{ or_unset(&team.leader_name) }</dd>
            <dt>{ text::MEMBER_COUNT }</dt>
            <dd id="team-detail-members">{ team.member_count }</dd>
            <dt>{ text::DESCRIPTION }</dt>
            <dd id="team-detail-description">{ or_unset(&team.description) }</dd>
        </dl>
    }
}
