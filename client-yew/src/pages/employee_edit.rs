use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::employee_form::EmployeeForm;
use crate::components::loading::Loading;
use crate::hooks::{Remote, use_remote};
use crate::text;

#[derive(Properties, PartialEq)]
pub struct EmployeeEditProps {
    pub id: i64,
}

#[component]
pub fn EmployeeEdit(props: &EmployeeEditProps) -> Html {
    let options = use_remote((), |()| api::employee_form_options());
    let detail = use_remote(props.id, api::employee);
    let body = match (&*options, &*detail) {
        (Remote::Failed(message), _) | (_, Remote::Failed(message)) => html! {
            <Alert kind={AlertKind::Error} id="employee-error">{ message.clone() }</Alert>
        },
        (Remote::Ready(options), Remote::Ready(detail)) => html! {
            // Keyed so another employee's page starts from that employee's values.
            <EmployeeForm key={detail.employee.id} existing={detail.employee.clone()}
                roles={options.roles.clone()} teams={options.teams.clone()} />
        },
        _ => html! { <Loading /> },
    };
    let back = Route::EmployeeDetail { id: props.id };
    html! {
        <>
            <div class="page-header">
                <Link<Route> to={back} classes="link back-link">{ text::BACK }</Link<Route>>
                <h1>{ text::EMPLOYEE_EDIT_TITLE }</h1>
            </div>
            <section class="card">{ body }</section>
        </>
    }
}
