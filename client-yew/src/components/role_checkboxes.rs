use std::collections::BTreeSet;

use api_types::RoleRef;
use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct RoleCheckboxesProps {
    pub roles: Vec<RoleRef>,
    pub selected: BTreeSet<i64>,
    /// `(role id, checked)`.
    pub on_toggle: Callback<(i64, bool)>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// The employee form's roles, one checkbox each (`input[data-role-option="<name>"]`);
/// the error is `#employee-roles-error`.
#[component]
pub fn RoleCheckboxes(props: &RoleCheckboxesProps) -> Html {
    let note_id = if props.error.is_some() {
        "employee-roles-error"
    } else {
        "employee-roles-hint"
    };
    html! {
        <fieldset id="employee-roles" aria-describedby={note_id}
            class={classes!("field", "fieldset", props.error.is_some().then_some("field-invalid"))}>
            <legend>{ text::ROLES }</legend>
            <div class="checkbox-grid">
                for role in &props.roles {
                    { checkbox(role, props.selected.contains(&role.id), &props.on_toggle) }
                }
            </div>
            if let Some(error) = &props.error {
                <p id={note_id} class="field-error">{ error.clone() }</p>
            } else {
                <p id={note_id} class="field-hint">{ text::ROLES_HINT }</p>
            }
        </fieldset>
    }
}

fn checkbox(role: &RoleRef, checked: bool, on_toggle: &Callback<(i64, bool)>) -> Html {
    let id = role.id;
    let onchange = on_toggle.reform(move |event: Event| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        (id, input.checked())
    });
    html! {
        <label class="checkbox">
            <input type="checkbox" data-role-option={role.name.clone()} value={id.to_string()}
                {checked} {onchange} />
            <span>{ role.name.clone() }</span>
        </label>
    }
}
