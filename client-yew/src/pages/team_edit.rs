use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::loading::Loading;
use crate::components::team_form::TeamForm;
use crate::hooks::{Remote, use_remote};
use crate::text;

#[derive(Properties, PartialEq)]
pub struct TeamEditProps {
    pub id: i64,
}

#[component]
pub fn TeamEdit(props: &TeamEditProps) -> Html {
    let detail = use_remote(props.id, api::team);
    let body = match &*detail {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="team-error">{ message.clone() }</Alert>
        },
        // Keyed so another team's page starts from that team's values.
        Remote::Ready(detail) => html! {
            <TeamForm key={detail.team.id} existing={detail.team.clone()} />
        },
    };
    html! {
        <>
            <div class="page-header">
                <Link<Route> to={Route::TeamDetail { id: props.id }} classes="link back-link">
                    { text::BACK }
                </Link<Route>>
                <h1>{ text::TEAM_EDIT_TITLE }</h1>
            </div>
            <section class="card">{ body }</section>
        </>
    }
}
