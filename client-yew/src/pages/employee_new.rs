use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::employee_form::EmployeeForm;
use crate::components::loading::Loading;
use crate::hooks::{Remote, use_remote};
use crate::text;

#[component]
pub fn EmployeeNew() -> Html {
    let options = use_remote((), |()| api::employee_form_options());
    let body = match &*options {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="employee-error">{ message.clone() }</Alert>
        },
        Remote::Ready(options) => html! {
            <EmployeeForm roles={options.roles.clone()} teams={options.teams.clone()} />
        },
    };
    html! {
        <>
            <div class="page-header">
                <Link<Route> to={Route::Employees} classes="link back-link">
                    { text::BACK_TO_EMPLOYEES }
                </Link<Route>>
                <h1>{ text::EMPLOYEE_NEW_TITLE }</h1>
            </div>
            <section class="card">{ body }</section>
        </>
    }
}
