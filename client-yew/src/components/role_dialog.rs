use api_types::{CloneRoleRequest, RoleDto, RoleRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::dialog::Dialog;
use crate::components::form_field::FormField;
use crate::components::text_area_field::TextAreaField;
use crate::form::{FormError, field_message, general_message, setter};
use crate::state::use_session_guard;
use crate::text;

const FIELDS: &[&str] = &["name", "description"];

#[derive(Debug, Clone, PartialEq)]
pub enum RoleDialogMode {
    /// A new role without permissions (`#new-role-…`).
    New,
    /// A copy of this role under a new name (`#clone-role-…`).
    Clone(RoleDto),
    /// New name and description for this role (`#rename-role-…`).
    Rename(RoleDto),
}

#[derive(Properties, PartialEq)]
pub struct RoleDialogProps {
    pub mode: RoleDialogMode,
    /// Called after the server accepted the change.
    pub on_done: Callback<()>,
    pub on_close: Callback<()>,
}

/// Names a role: create, clone or rename. Ids start with the mode's prefix
/// (`#<prefix>-name`, `#<prefix>-description`, `#<prefix>-submit`, `#<prefix>-error`).
#[component]
pub fn RoleDialog(props: &RoleDialogProps) -> Html {
    let (prefix, title, submit_label, initial_name, initial_description) = match &props.mode {
        RoleDialogMode::New => (
            "new-role",
            text::NEW_ROLE_TITLE,
            text::CREATE,
            String::new(),
            None,
        ),
        RoleDialogMode::Clone(role) => (
            "clone-role",
            text::CLONE_ROLE_TITLE,
            text::CLONE_ROLE,
            text::clone_name(&role.name),
            None,
        ),
        RoleDialogMode::Rename(role) => (
            "rename-role",
            text::RENAME_ROLE_TITLE,
            text::SAVE_CHANGES,
            role.name.clone(),
            Some(role.description.clone().unwrap_or_default()),
        ),
    };
    let with_description = !matches!(props.mode, RoleDialogMode::Clone(_));
    // A clone copies its source's 2FA requirement on the server; the others set it here.
    let initial_two_factor = match &props.mode {
        RoleDialogMode::Rename(role) => role.require_two_factor,
        _ => false,
    };
    let require_two_factor = use_state(|| initial_two_factor);
    let name = use_state(|| initial_name);
    let description = use_state(|| initial_description.unwrap_or_default());
    let busy = use_state(|| false);
    let error = use_state(|| None::<FormError>);
    let guard = use_session_guard();

    let onsubmit = {
        let (name, description, busy, error) = (
            name.clone(),
            description.clone(),
            busy.clone(),
            error.clone(),
        );
        let require_two_factor = require_two_factor.clone();
        let (mode, on_done) = (props.mode.clone(), props.on_done.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let name = name.trim().to_owned();
            if name.is_empty() {
                error.set(Some(FormError::field("name", text::ROLE_NAME_REQUIRED)));
                return;
            }
            let description = Some(description.trim().to_owned()).filter(|d| !d.is_empty());
            let require_two_factor = Some(*require_two_factor);
            error.set(None);
            busy.set(true);
            let (busy, error, guard) = (busy.clone(), error.clone(), guard.clone());
            let (mode, on_done) = (mode.clone(), on_done.clone());
            spawn_local(async move {
                let result = match &mode {
                    RoleDialogMode::New => {
                        let request = RoleRequest {
                            name,
                            description,
                            permissions: Vec::new(),
                            require_two_factor,
                        };
                        api::create_role(&request).await
                    }
                    RoleDialogMode::Clone(role) => {
                        api::clone_role(role.id, &CloneRoleRequest { name }).await
                    }
                    RoleDialogMode::Rename(role) => {
                        let permissions = role.permissions.clone();
                        let request = RoleRequest {
                            name,
                            description,
                            permissions,
                            require_two_factor,
                        };
                        api::update_role(role.id, &request).await
                    }
                };
                busy.set(false);
                match result {
                    Ok(_) => on_done.emit(()),
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(FormError::from_api(&e, FIELDS)));
                        }
                    }
                }
            });
        })
    };

    let on_two_factor = {
        let require_two_factor = require_two_factor.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            require_two_factor.set(input.checked());
        })
    };
    let id = |suffix: &str| AttrValue::from(format!("{prefix}-{suffix}"));
    html! {
        <Dialog id={id("dialog")} {title} on_close={props.on_close.clone()}>
            <form class="form" {onsubmit} novalidate=true>
                if let Some(message) = general_message(&error) {
                    <Alert kind={AlertKind::Error} id={id("error")}>{ message }</Alert>
                }
                <FormField id={id("name")} label={text::ROLE_NAME} value={(*name).clone()}
                    oninput={setter(&name)} autocomplete="off" error={field_message(&error, "name")} />
                if with_description {
                    <TextAreaField id={id("description")} label={text::DESCRIPTION}
                        value={(*description).clone()} oninput={setter(&description)}
                        error={field_message(&error, "description")} />
                }
                if with_description {
                    <div class="field">
                        <label class="checkbox">
                            <input type="checkbox" id={id("require-two-factor")}
                                checked={*require_two_factor} onchange={on_two_factor} />
                            <span>{ text::ROLE_REQUIRE_TWO_FACTOR }</span>
                        </label>
                        <p class="field-hint">{ text::ROLE_REQUIRE_TWO_FACTOR_HINT }</p>
                    </div>
                }
                if matches!(props.mode, RoleDialogMode::New) {
                    <p class="field-hint">{ text::NEW_ROLE_HINT }</p>
                }
                <div class="dialog-actions">
                    <button type="button" class="btn btn-outline" disabled={*busy}
                        onclick={props.on_close.reform(|_: MouseEvent| ())}>{ text::CANCEL }</button>
                    <button type="submit" id={id("submit")} class="btn btn-primary" disabled={*busy}
                        aria-busy={busy.to_string()}>
                        { if *busy { text::SAVING } else { submit_label } }
                    </button>
                </div>
            </form>
        </Dialog>
    }
}
