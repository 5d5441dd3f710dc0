use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::text;

/// Shown in the app shell to a signed-in user who opens a page their rights do not cover.
#[component]
pub fn Forbidden() -> Html {
    html! {
        <section class="card notice-card" id="forbidden">
            <h1 class="card-title">{ text::FORBIDDEN_TITLE }</h1>
            <p class="muted">{ text::FORBIDDEN_BODY }</p>
            <Link<Route> to={Route::Home} classes="btn btn-primary">{ text::BACK_HOME }</Link<Route>>
        </section>
    }
}
