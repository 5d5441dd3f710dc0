use api_types::TeamDto;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::loading::Loading;
use crate::hooks::{Remote, use_remote};
use crate::nav;
use crate::text;

#[component]
pub fn Teams() -> Html {
    let navigator = use_navigator();
    let teams = use_remote((), |()| api::teams());
    let body = match &*teams {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="teams-error">{ message.clone() }</Alert>
        },
        Remote::Ready(list) if list.is_empty() => html! {
            <p id="teams-empty" class="empty-state">{ text::NO_TEAMS }</p>
        },
        Remote::Ready(list) => html! {
            <div class="table-wrap">
                <table class="table" id="teams-table">
                    <thead>
                        <tr>
                            <th scope="col">{ text::TEAM_NAME }</th>
                            <th scope="col">{ text::REGION }</th>
                            <th scope="col">{ text::LEADER }</th>
                            <th scope="col" class="numeric">{ text::MEMBER_COUNT }</th>
                        </tr>
                    </thead>
                    <tbody>
                        for team in list {
                            { row(team, &navigator) }
                        }
                    </tbody>
                </table>
            </div>
        },
    };
    html! {
        <>
            <div class="page-header page-header-row">
                <h1>{ text::TEAMS_TITLE }</h1>
                <a id="team-new" class="btn btn-primary" href={Route::TeamNew.to_path()}
                    onclick={nav::follow(&navigator, Route::TeamNew)}>
                    { text::TEAM_NEW }
                </a>
            </div>
            <section class="card">{ body }</section>
        </>
    }
}

fn row(team: &TeamDto, navigator: &Option<Navigator>) -> Html {
    let route = Route::TeamDetail { id: team.id };
    let or_dash = |value: &Option<String>| value.clone().unwrap_or_else(|| text::DASH.to_owned());
    html! {
        <tr data-team-id={team.id.to_string()}>
            <td data-label={text::TEAM_NAME}>
                <a href={route.to_path()} data-team={team.name.clone()} class="link"
                    onclick={nav::follow(navigator, route)}>
                    { team.name.clone() }
                </a>
            </td>
            <td data-label={text::REGION}>{ or_dash(&team.region) }</td>
            <td data-label={text::LEADER}>{ or_dash(&team.leader_name) }</td>
            <td data-label={text::MEMBER_COUNT} class="numeric">{ team.member_count }</td>
        </tr>
    }
}
