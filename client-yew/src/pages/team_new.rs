use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::team_form::TeamForm;
use crate::text;

#[component]
pub fn TeamNew() -> Html {
    html! {
        <>
            <div class="page-header">
                <Link<Route> to={Route::Teams} classes="link back-link">{ text::BACK_TO_TEAMS }</Link<Route>>
                <h1>{ text::TEAM_NEW_TITLE }</h1>
            </div>
            <section class="card"><TeamForm /></section>
        </>
    }
}
