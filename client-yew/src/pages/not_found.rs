use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::auth_card::AuthCard;
use crate::text;

#[component]
pub fn NotFound() -> Html {
    html! {
        <AuthCard title={text::NOT_FOUND_TITLE} intro={text::NOT_FOUND_BODY}>
            <Link<Route> to={Route::Home} classes="btn btn-primary btn-block">
                { text::BACK_HOME }
            </Link<Route>>
        </AuthCard>
    }
}
