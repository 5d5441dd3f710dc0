use std::collections::BTreeSet;

use api_types::{CreateUserRequest, EmployeeDto, RoleRef, TeamRef, UpdateUserRequest};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::form_field::FormField;
use crate::components::role_checkboxes::RoleCheckboxes;
use crate::components::select_field::SelectField;
use crate::components::submit_button::SubmitButton;
use crate::form::{FormError, check_new_password, field_message, general_message, setter};
use crate::state::use_session_guard;
use crate::text;

const FIELDS: &[&str] = &[
    "username",
    "password",
    "full_name",
    "email",
    "phone",
    "position",
    "team_id",
    "role_ids",
];

#[derive(Properties, PartialEq)]
pub struct EmployeeFormProps {
    /// The employee being edited; `None` creates one.
    #[prop_or_default]
    pub existing: Option<EmployeeDto>,
    pub roles: Vec<RoleRef>,
    pub teams: Vec<TeamRef>,
}

/// Creates or edits an employee, then opens their detail page.
#[component]
pub fn EmployeeForm(props: &EmployeeFormProps) -> Html {
    let existing = props.existing.as_ref();
    let text_of =
        |get: fn(&EmployeeDto) -> Option<String>| existing.and_then(get).unwrap_or_default();
    let username = use_state(|| text_of(|e| Some(e.username.clone())));
    let password = use_state(String::new);
    let full_name = use_state(|| text_of(|e| Some(e.full_name.clone())));
    let email = use_state(|| text_of(|e| e.email.clone()));
    let phone = use_state(|| text_of(|e| e.phone.clone()));
    let position = use_state(|| text_of(|e| e.position.clone()));
    let team = use_state(|| text_of(|e| e.team_id.map(|id| id.to_string())));
    let role_ids = use_state(|| {
        existing.map_or_else(BTreeSet::new, |e| e.roles.iter().map(|r| r.id).collect())
    });
    let busy = use_state(|| false);
    let error = use_state(|| None::<FormError>);
    let guard = use_session_guard();
    let navigator = use_navigator();

    let on_toggle_role = {
        let role_ids = role_ids.clone();
        Callback::from(move |(id, checked): (i64, bool)| {
            let mut next = (*role_ids).clone();
            if checked {
                next.insert(id);
            } else {
                next.remove(&id);
            }
            role_ids.set(next);
        })
    };

    let onsubmit = {
        let fields = (username.clone(), password.clone(), full_name.clone());
        let more = (email.clone(), phone.clone(), position.clone(), team.clone());
        let (role_ids, busy, error) = (role_ids.clone(), busy.clone(), error.clone());
        let editing = props.existing.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let (username, password, full_name) = &fields;
            let (email, phone, position, team) = &more;
            let problem = if editing.is_none() && username.trim().is_empty() {
                Some(FormError::field("username", text::USERNAME_REQUIRED))
            } else if editing.is_none() && check_new_password(password, password).is_some() {
                Some(FormError::field("password", text::PASSWORD_POLICY))
            } else if full_name.trim().is_empty() {
                Some(FormError::field("full_name", text::FULL_NAME_REQUIRED))
            } else if role_ids.is_empty() {
                Some(FormError::field("role_ids", text::ROLES_REQUIRED))
            } else {
                None
            };
            if problem.is_some() {
                error.set(problem);
                return;
            }
            let optional = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
            let (email, phone, position) = (optional(email), optional(phone), optional(position));
            let team_id = team.parse::<i64>().ok();
            let role_ids: Vec<i64> = role_ids.iter().copied().collect();
            let full_name = full_name.trim().to_owned();
            let create = CreateUserRequest {
                username: username.trim().to_owned(),
                password: (**password).clone(),
                full_name,
                email,
                phone,
                team_id,
                position,
                role_ids,
            };
            error.set(None);
            busy.set(true);
            let (busy, error, guard) = (busy.clone(), error.clone(), guard.clone());
            let (navigator, editing) = (navigator.clone(), editing.clone());
            spawn_local(async move {
                let saved = match &editing {
                    None => api::create_employee(&create).await,
                    Some(employee) => {
                        api::update_employee(employee.id, &update_of(create, employee)).await
                    }
                };
                busy.set(false);
                match saved {
                    Ok(employee) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::EmployeeDetail { id: employee.id });
                        }
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(FormError::from_api(&e, FIELDS)));
                        }
                    }
                }
            });
        })
    };

    let mut team_options = vec![(AttrValue::Static(""), AttrValue::Static(text::NO_TEAM))];
    team_options.extend(props.teams.iter().map(|t| {
        (
            AttrValue::from(t.id.to_string()),
            AttrValue::from(t.name.clone()),
        )
    }));
    let creating = existing.is_none();
    let submit_label = if creating {
        text::EMPLOYEE_CREATE_SUBMIT
    } else {
        text::SAVE_CHANGES
    };

    html! {
        <form class="form form-grid" {onsubmit} novalidate=true>
            if let Some(message) = general_message(&error) {
                <div class="form-wide">
                    <Alert kind={AlertKind::Error} id="employee-error">{ message }</Alert>
                </div>
            }
            <FormField id="employee-username" label={text::USERNAME_LABEL} value={(*username).clone()}
                oninput={setter(&username)} autocomplete="off" disabled={!creating}
                hint={(!creating).then_some(AttrValue::Static(text::USERNAME_IMMUTABLE))}
                error={field_message(&error, "username")} />
            if creating {
                <FormField id="employee-password" label={text::PASSWORD_LABEL} kind="password"
                    value={(*password).clone()} oninput={setter(&password)} autocomplete="new-password"
                    hint={text::PASSWORD_POLICY_HINT} error={field_message(&error, "password")} />
            }
            <FormField id="employee-full-name" label={text::FULL_NAME} value={(*full_name).clone()}
                oninput={setter(&full_name)} autocomplete="off" error={field_message(&error, "full_name")} />
            <FormField id="employee-email" label={text::EMAIL} kind="email" value={(*email).clone()}
                oninput={setter(&email)} autocomplete="off" error={field_message(&error, "email")} />
            <FormField id="employee-phone" label={text::PHONE} kind="tel" value={(*phone).clone()}
                oninput={setter(&phone)} autocomplete="off" error={field_message(&error, "phone")} />
            <FormField id="employee-position" label={text::POSITION} value={(*position).clone()}
                oninput={setter(&position)} autocomplete="off" error={field_message(&error, "position")} />
            <SelectField id="employee-team" label={text::TEAM} value={(*team).clone()}
                options={team_options} onchange={setter(&team)} error={field_message(&error, "team_id")} />
            <div class="form-wide">
                <RoleCheckboxes roles={props.roles.clone()} selected={(*role_ids).clone()}
                    on_toggle={on_toggle_role} error={field_message(&error, "role_ids")} />
            </div>
            <div class="form-wide form-actions">
                <SubmitButton id="employee-submit" label={submit_label} busy_label={text::SAVING} busy={*busy} />
            </div>
        </form>
    }
}

/// The edit request: the same fields, with the username sent back unchanged (the server
/// refuses any other value).
fn update_of(create: CreateUserRequest, employee: &EmployeeDto) -> UpdateUserRequest {
    UpdateUserRequest {
        full_name: create.full_name,
        email: create.email,
        phone: create.phone,
        team_id: create.team_id,
        position: create.position,
        role_ids: create.role_ids,
        username: Some(employee.username.clone()),
    }
}
