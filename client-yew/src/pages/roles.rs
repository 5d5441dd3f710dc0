use std::collections::BTreeSet;

use api_types::{PermissionDto, RoleDto, RoleRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::loading::Loading;
use crate::components::permission_matrix::{Edits, PermissionMatrix, RoleAction};
use crate::components::role_dialog::{RoleDialog, RoleDialogMode};
use crate::hooks::{Remote, use_remote};
use crate::state::use_session_guard;
use crate::text;

/// The dialog on top of the matrix, if any.
#[derive(Debug, Clone, PartialEq)]
enum Open {
    Name(RoleDialogMode),
    Delete(RoleDto),
}

/// Roles whose edited permissions differ from the saved ones, with the full new list in
/// catalogue order (what `PUT /api/roles/{id}` wants).
fn changes(
    roles: &[RoleDto],
    catalogue: &[PermissionDto],
    edits: &Edits,
) -> Vec<(RoleDto, Vec<String>)> {
    roles
        .iter()
        .filter(|role| !role.locked_permissions)
        .filter_map(|role| {
            let edited = edits.get(&role.id)?;
            let saved: BTreeSet<String> = role.permissions.iter().cloned().collect();
            (edited != &saved).then(|| {
                let list = catalogue.iter().filter(|p| edited.contains(&p.code));
                (role.clone(), list.map(|p| p.code.clone()).collect())
            })
        })
        .collect()
}

#[component]
pub fn Roles() -> Html {
    let reload = use_state(|| 0_u32);
    let catalogue = use_remote((), |()| api::permissions());
    let roles = use_remote(*reload, |_| api::roles());
    let edits = use_state(Edits::new);
    let open = use_state(|| None::<Open>);
    let saving = use_state(|| false);
    let result = use_state(|| None::<(AlertKind, AttrValue)>);
    let action_error = use_state(|| None::<AttrValue>);
    let guard = use_session_guard();

    let (Remote::Ready(catalogue), Remote::Ready(roles)) = (&*catalogue, &*roles) else {
        let failed = match (&*catalogue, &*roles) {
            (Remote::Failed(message), _) | (_, Remote::Failed(message)) => Some(message.clone()),
            _ => None,
        };
        return page(match failed {
            Some(message) => {
                html! { <Alert kind={AlertKind::Error} id="roles-error">{ message }</Alert> }
            }
            None => html! { <Loading /> },
        });
    };
    let pending = changes(roles, catalogue, &edits);

    let refresh = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };
    let on_toggle = {
        let (edits, roles) = (edits.clone(), roles.clone());
        Callback::from(move |(role_id, code, checked): (i64, String, bool)| {
            let Some(role) = roles.iter().find(|r| r.id == role_id) else {
                return;
            };
            let mut next = (*edits).clone();
            let set = next
                .entry(role_id)
                .or_insert_with(|| role.permissions.iter().cloned().collect());
            if checked {
                set.insert(code);
            } else {
                set.remove(&code);
            }
            edits.set(next);
        })
    };
    let on_action = {
        let (open, action_error) = (open.clone(), action_error.clone());
        Callback::from(move |action: RoleAction| {
            action_error.set(None);
            open.set(Some(match action {
                RoleAction::Clone(role) => Open::Name(RoleDialogMode::Clone(role)),
                RoleAction::Rename(role) => Open::Name(RoleDialogMode::Rename(role)),
                RoleAction::Delete(role) => Open::Delete(role),
            }));
        })
    };
    let on_new = {
        let (open, action_error) = (open.clone(), action_error.clone());
        Callback::from(move |_: MouseEvent| {
            action_error.set(None);
            open.set(Some(Open::Name(RoleDialogMode::New)));
        })
    };
    let close = {
        let open = open.clone();
        Callback::from(move |()| open.set(None))
    };
    let done = {
        let (close, refresh) = (close.clone(), refresh.clone());
        Callback::from(move |()| {
            close.emit(());
            refresh.emit(());
        })
    };
    let save = {
        let (edits, saving, result) = (edits.clone(), saving.clone(), result.clone());
        let (pending, refresh, guard) = (pending.clone(), refresh.clone(), guard.clone());
        Callback::from(move |_: MouseEvent| {
            saving.set(true);
            result.set(None);
            let (edits, saving, result) = (edits.clone(), saving.clone(), result.clone());
            let (pending, refresh, guard) = (pending.clone(), refresh.clone(), guard.clone());
            spawn_local(async move {
                let mut failures = Vec::new();
                let mut left = (*edits).clone();
                for (role, permissions) in &pending {
                    let request = RoleRequest {
                        name: role.name.clone(),
                        description: role.description.clone(),
                        permissions: permissions.clone(),
                        // The matrix edits permissions only; the role keeps its switch.
                        require_two_factor: None,
                    };
                    match api::update_role(role.id, &request).await {
                        Ok(_) => {
                            left.remove(&role.id);
                        }
                        Err(e) => match guard.check(e) {
                            Some(e) => failures.push(format!("{}: {}", role.name, e.message())),
                            None => return,
                        },
                    }
                }
                // Failed roles keep their edits so nothing typed is lost.
                edits.set(left);
                result.set(Some(if failures.is_empty() {
                    (AlertKind::Success, text::roles_saved(pending.len()).into())
                } else {
                    (AlertKind::Error, failures.join(" · ").into())
                }));
                saving.set(false);
                refresh.emit(());
            });
        })
    };
    let delete = {
        let (open, action_error, refresh, guard) = (
            open.clone(),
            action_error.clone(),
            refresh.clone(),
            guard.clone(),
        );
        let (saving, target) = (saving.clone(), (*open).clone());
        Callback::from(move |()| {
            let Some(Open::Delete(role)) = target.clone() else {
                return;
            };
            saving.set(true);
            let (open, action_error, refresh, guard, saving) = (
                open.clone(),
                action_error.clone(),
                refresh.clone(),
                guard.clone(),
                saving.clone(),
            );
            spawn_local(async move {
                let result = api::delete_role(role.id).await;
                saving.set(false);
                open.set(None);
                match result {
                    Ok(()) => refresh.emit(()),
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            action_error.set(Some(e.message().into()));
                        }
                    }
                }
            });
        })
    };

    page(html! {
        <>
            <div class="matrix-toolbar">
                <button type="button" id="role-new" class="btn btn-outline" onclick={on_new}>{ text::ROLE_NEW }</button>
                <button type="button" id="matrix-save" class="btn btn-primary"
                    disabled={pending.is_empty() || *saving} aria-busy={saving.to_string()} onclick={save}>
                    { if *saving { text::SAVING } else { text::SAVE_CHANGES } }
                </button>
            </div>
            if let Some(message) = &*action_error {
                <Alert kind={AlertKind::Error} id="role-action-error">{ message.clone() }</Alert>
            }
            if let Some((kind, message)) = &*result {
                <Alert kind={*kind} id="matrix-result">{ message.clone() }</Alert>
            }
            <PermissionMatrix catalogue={catalogue.clone()} roles={roles.clone()} edits={(*edits).clone()}
                {on_toggle} {on_action} />
            { dialog((*open).clone(), *saving, done, close, delete) }
        </>
    })
}

fn dialog(
    open: Option<Open>,
    busy: bool,
    done: Callback<()>,
    close: Callback<()>,
    delete: Callback<()>,
) -> Html {
    match open {
        None => Html::default(),
        Some(Open::Name(mode)) => html! { <RoleDialog {mode} on_done={done} on_close={close} /> },
        Some(Open::Delete(role)) => html! {
            <ConfirmDialog title={text::DELETE_ROLE_TITLE} message={text::delete_role_question(&role.name)}
                confirm_label={text::DELETE} {busy} on_confirm={delete} on_cancel={close} />
        },
    }
}

fn page(body: Html) -> Html {
    html! {
        <>
            <div class="page-header">
                <h1>{ text::ROLES_PAGE_TITLE }</h1>
                <p class="muted">{ text::ROLES_INTRO }</p>
            </div>
            <section class="card card-flush">{ body }</section>
        </>
    }
}
