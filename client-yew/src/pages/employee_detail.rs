use api_types::EmployeeDetail;
use api_types::permissions::ROLES_MANAGE;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::admin_password_form::AdminPasswordForm;
use crate::components::alert::{Alert, AlertKind};
use crate::components::cooldown_reset::CooldownReset;
use crate::components::loading::Loading;
use crate::components::lock_control::LockControl;
use crate::components::overrides_editor::OverridesEditor;
use crate::components::status_badge::StatusBadge;
use crate::components::two_factor_reset::TwoFactorReset;
use crate::format;
use crate::hooks::{Remote, use_remote};
use crate::state::{AuthState, use_auth_state};
use crate::text;
use api_types::permissions::CONTACTS_REASSIGN;

#[derive(Properties, PartialEq)]
pub struct EmployeeDetailPageProps {
    pub id: i64,
}

#[component]
pub fn EmployeeDetailPage(props: &EmployeeDetailPageProps) -> Html {
    // Bumped after a change so the page shows the server's new view.
    let reload = use_state(|| 0_u32);
    let detail = use_remote((props.id, *reload), |(id, _)| api::employee(id));
    let viewer = use_auth_state();
    let may_override = matches!(&viewer, AuthState::SignedIn(user) if user.can(ROLES_MANAGE));
    let may_reset_cooldown =
        matches!(&viewer, AuthState::SignedIn(user) if user.can(CONTACTS_REASSIGN));
    let on_changed = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };

    let back = html! {
        <Link<Route> to={Route::Employees} classes="link back-link">{ text::BACK_TO_EMPLOYEES }</Link<Route>>
    };
    let detail = match &*detail {
        Remote::Loading => return html! { <>{ back }<Loading /></> },
        Remote::Failed(message) => {
            return html! {
                <>{ back }<Alert kind={AlertKind::Error} id="employee-error">{ message.clone() }</Alert></>
            };
        }
        Remote::Ready(detail) => detail,
    };
    let employee = &detail.employee;
    html! {
        <>
            <div class="page-header">
                { back }
                <div class="page-header-row">
                    <h1 id="employee-name">{ employee.full_name.clone() }</h1>
                    <StatusBadge status={employee.status.clone()} />
                </div>
                <div class="page-actions">
                    <Link<Route> to={Route::EmployeeEdit { id: employee.id }} classes="btn btn-primary">
                        { text::EDIT }
                    </Link<Route>>
                    <LockControl employee={employee.clone()} on_changed={on_changed.clone()} />
                </div>
            </div>
            <div class="card-grid">
                <section class="card" id="employee-card">
                    <h2 class="card-title">{ text::EMPLOYEE_INFO }</h2>
                    { info(detail) }
                </section>
                <section class="card" id="admin-password-card">
                    <h2 class="card-title">{ text::ADMIN_PASSWORD_TITLE }</h2>
                    <AdminPasswordForm employee_id={employee.id} />
                </section>
                <section class="card" id="two-factor-reset-card">
                    <h2 class="card-title">{ text::RESET_TWO_FACTOR }</h2>
                    <TwoFactorReset employee_id={employee.id} />
                </section>
                if may_reset_cooldown {
                    <section class="card" id="cooldown-card">
                        <h2 class="card-title">{ text::COOLDOWN_TITLE }</h2>
                        <CooldownReset employee_id={employee.id} />
                    </section>
                }
                if may_override {
                    <section class="card card-wide" id="overrides-card">
                        <h2 class="card-title">{ text::OVERRIDES_TITLE }</h2>
                        <OverridesEditor employee_id={employee.id} overrides={detail.overrides.clone()}
                            effective={detail.permissions.clone()} on_saved={on_changed} />
                    </section>
                }
            </div>
        </>
    }
}

fn info(detail: &EmployeeDetail) -> Html {
    let employee = &detail.employee;
    let or_unset =
        |value: &Option<String>| value.clone().unwrap_or_else(|| text::NOT_SET.to_owned());
    html! {
        <dl class="details">
            <dt>{ text::USERNAME_LABEL }</dt>
            <dd id="employee-detail-username"><code>{ employee.username.clone() }</code></dd>
            <dt>{ text::EMAIL }</dt>
            <dd id="employee-detail-email">{ or_unset(&employee.email) }</dd>
            <dt>{ text::PHONE }</dt>
            <dd id="employee-detail-phone">{ or_unset(&employee.phone) }</dd>
            <dt>{ text::POSITION }</dt>
            <dd id="employee-detail-position">{ or_unset(&employee.position) }</dd>
            <dt>{ text::TEAM }</dt>
            <dd id="employee-detail-team">
                { or_unset(&employee.team_name) }
            </dd>
            <dt>{ text::ROLES }</dt>
            <dd id="employee-detail-roles">
                <ul class="chips">
                    for role in &employee.roles {
                        <li class="chip chip-gold" data-role={role.name.clone()}>{ role.name.clone() }</li>
                    }
                </ul>
            </dd>
            <dt>{ text::STATUS }</dt>
            <dd id="employee-detail-status"><StatusBadge status={employee.status.clone()} /></dd>
            <dt>{ text::CREATED_AT }</dt>
            <dd>{ format::datetime(&employee.created_at) }</dd>
        </dl>
    }
}
