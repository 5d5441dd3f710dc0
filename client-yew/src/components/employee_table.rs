use api_types::EmployeeDto;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::status_badge::StatusBadge;
use crate::nav;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct EmployeeTableProps {
    pub items: Vec<EmployeeDto>,
}

/// One page of employees; each name links to the detail page (`a[data-employee]`).
#[component]
pub fn EmployeeTable(props: &EmployeeTableProps) -> Html {
    let navigator = use_navigator();
    html! {
        <div class="table-wrap">
            <table class="table" id="employees-table">
                <thead>
                    <tr>
                        <th scope="col">{ text::FULL_NAME }</th>
                        <th scope="col">{ text::USERNAME_LABEL }</th>
                        <th scope="col">{ text::EMAIL }</th>
                        <th scope="col">{ text::PHONE }</th>
                        <th scope="col">{ text::TEAM }</th>
                        <th scope="col">{ text::ROLES }</th>
                        <th scope="col">{ text::STATUS }</th>
                    </tr>
                </thead>
                <tbody>
                    for employee in &props.items {
                        { row(employee, &navigator) }
                    }
                </tbody>
            </table>
        </div>
    }
}

fn row(employee: &EmployeeDto, navigator: &Option<Navigator>) -> Html {
    let route = Route::EmployeeDetail { id: employee.id };
    let or_dash = |value: &Option<String>| value.clone().unwrap_or_else(|| text::DASH.to_owned());
    html! {
        <tr data-employee-id={employee.id.to_string()}>
            <td data-label={text::FULL_NAME}>
                <a href={route.to_path()} data-employee={employee.username.clone()} class="link"
                    onclick={nav::follow(navigator, route)}>
                    { employee.full_name.clone() }
                </a>
            </td>
            <td data-label={text::USERNAME_LABEL}><code>{ employee.username.clone() }</code></td>
            <td data-label={text::EMAIL}>{ or_dash(&employee.email) }</td>
            <td data-label={text::PHONE}>{ or_dash(&employee.phone) }</td>
            <td data-label={text::TEAM}>{ or_dash(&employee.team_name) }</td>
            <td data-label={text::ROLES}>
                <ul class="chips">
                    for role in &employee.roles {
                        <li class="chip chip-gold">{ role.name.clone() }</li>
                    }
                </ul>
            </td>
            <td data-label={text::STATUS}>
                <StatusBadge status={employee.status.clone()} />
            </td>
        </tr>
    }
}
