use std::collections::{BTreeMap, BTreeSet};

use api_types::{PermissionDto, RoleDto};
use yew::prelude::*;

use crate::catalogue;
use crate::text;

/// What a role column's buttons ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum RoleAction {
    Clone(RoleDto),
    Rename(RoleDto),
    Delete(RoleDto),
}

/// role id → its permissions as edited here, for the roles with unsaved changes.
pub type Edits = BTreeMap<i64, BTreeSet<String>>;

#[derive(Properties, PartialEq)]
pub struct PermissionMatrixProps {
    pub catalogue: Vec<PermissionDto>,
    pub roles: Vec<RoleDto>,
    pub edits: Edits,
    /// `(role id, permission code, checked)`.
    pub on_toggle: Callback<(i64, String, bool)>,
    pub on_action: Callback<RoleAction>,
}

/// PERM-005: one column per role, one row per permission grouped by module; each cell a
/// checkbox `input[data-role-name][data-permission]`, changed cells highlighted.
#[component]
pub fn PermissionMatrix(props: &PermissionMatrixProps) -> Html {
    let columns = props.roles.len() + 1;
    html! {
        <div class="matrix-wrap">
            <table class="matrix" id="permission-matrix">
                <thead>
                    <tr>
                        <th scope="col" class="matrix-corner">{ text::PERMISSION }</th>
                        for role in &props.roles {
                            { header(role, &props.on_action) }
                        }
                    </tr>
                </thead>
                <tbody>
                    for group in catalogue::by_module(&props.catalogue) {
                        <tr class="matrix-module" data-module={group.module.to_owned()}>
                            <th scope="rowgroup" colspan={columns.to_string()}>
                                <span class="matrix-sticky">{ group.label.to_owned() }</span>
                            </th>
                        </tr>
                        for permission in group.permissions {
                            <tr data-permission-row={permission.code.clone()}>
                                <th scope="row" class="matrix-permission">
                                    <span class="matrix-label">{ permission.label.clone() }</span>
                                    <code>{ permission.code.clone() }</code>
                                </th>
                                for role in &props.roles {
                                    { cell(role, permission, props.edits.get(&role.id), &props.on_toggle) }
                                }
                            </tr>
                        }
                    }
                </tbody>
            </table>
        </div>
    }
}

fn header(role: &RoleDto, on_action: &Callback<RoleAction>) -> Html {
    let action = |make: fn(RoleDto) -> RoleAction| {
        let role = role.clone();
        on_action.reform(move |_: MouseEvent| make(role.clone()))
    };
    html! {
        <th scope="col" class="matrix-role" data-role={role.name.clone()}>
            <span class="matrix-role-name">{ role.name.clone() }</span>
            if role.system {
                <span class="matrix-role-note">{ text::SYSTEM_ROLE }</span>
            }
            <span class="matrix-role-note">{ text::user_count(role.user_count) }</span>
            if role.require_two_factor {
                <span class="badge badge-active" data-role-two-factor={role.name.clone()}
                    title={text::ROLE_REQUIRE_TWO_FACTOR}>{ text::ROLE_TWO_FACTOR_BADGE }</span>
            }
            <span class="matrix-role-actions">
                <button type="button" class="btn btn-link" data-clone-role={role.name.clone()}
                    onclick={action(RoleAction::Clone)}>{ text::CLONE_ROLE }</button>
                if !role.system {
                    <button type="button" class="btn btn-link" data-rename-role={role.name.clone()}
                        onclick={action(RoleAction::Rename)}>{ text::RENAME_ROLE }</button>
                    <button type="button" class="btn btn-link btn-link-danger" data-delete-role={role.name.clone()}
                        onclick={action(RoleAction::Delete)}>{ text::DELETE }</button>
                }
            </span>
        </th>
    }
}

fn cell(
    role: &RoleDto,
    permission: &PermissionDto,
    edited: Option<&BTreeSet<String>>,
    on_toggle: &Callback<(i64, String, bool)>,
) -> Html {
    let saved = role.permissions.contains(&permission.code);
    // Super Admin holds everything and cannot change (PERM-006).
    let checked =
        role.locked_permissions || edited.map_or(saved, |set| set.contains(&permission.code));
    let changed = checked != saved && !role.locked_permissions;
    let (id, code) = (role.id, permission.code.clone());
    let onchange = on_toggle.reform(move |event: Event| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        (id, code.clone(), input.checked())
    });
    html! {
        <td class={classes!("matrix-cell", changed.then_some("changed"))}>
            <input type="checkbox" data-role-name={role.name.clone()}
                data-permission={permission.code.clone()} {checked} {onchange}
                disabled={role.locked_permissions}
                aria-label={text::permission_cell(&role.name, &permission.label)} />
        </td>
    }
}
