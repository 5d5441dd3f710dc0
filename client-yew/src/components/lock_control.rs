use api_types::EmployeeDto;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::state::use_session_guard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct LockControlProps {
    pub employee: EmployeeDto,
    /// Called once the account was locked or unlocked.
    pub on_changed: Callback<()>,
}

/// "Khoá tài khoản" (`#employee-lock`) or "Mở khoá" (`#employee-unlock`), each asking
/// first; a refusal (self_change, last_super_admin) shows as `#employee-action-error`.
#[component]
pub fn LockControl(props: &LockControlProps) -> Html {
    let asking = use_state(|| false);
    let busy = use_state(|| false);
    let error = use_state(|| None::<AttrValue>);
    let guard = use_session_guard();
    let lock = props.employee.status != "locked";

    let open = {
        let (asking, error) = (asking.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            asking.set(true);
        })
    };
    let cancel = {
        let asking = asking.clone();
        Callback::from(move |()| asking.set(false))
    };
    let confirm = {
        let (asking, busy, error) = (asking.clone(), busy.clone(), error.clone());
        let (id, on_changed) = (props.employee.id, props.on_changed.clone());
        Callback::from(move |()| {
            busy.set(true);
            let (asking, busy, error) = (asking.clone(), busy.clone(), error.clone());
            let (guard, on_changed) = (guard.clone(), on_changed.clone());
            spawn_local(async move {
                let result = api::set_employee_locked(id, lock).await;
                busy.set(false);
                asking.set(false);
                match result {
                    Ok(_) => on_changed.emit(()),
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(e.message().into()));
                        }
                    }
                }
            });
        })
    };

    let name = &props.employee.full_name;
    let (button_id, label, title, question) = if lock {
        (
            "employee-lock",
            text::LOCK_ACCOUNT,
            text::LOCK_TITLE,
            text::lock_question(name),
        )
    } else {
        (
            "employee-unlock",
            text::UNLOCK_ACCOUNT,
            text::UNLOCK_TITLE,
            text::unlock_question(name),
        )
    };
    html! {
        <>
            <button type="button" id={button_id} onclick={open}
                class={classes!("btn", if lock { "btn-danger-outline" } else { "btn-outline" })}>
                { label }
            </button>
            if *asking {
                <ConfirmDialog {title} message={question} confirm_label={label} busy={*busy}
                    on_confirm={confirm} on_cancel={cancel} />
            }
            if let Some(message) = &*error {
                <div class="action-error">
                    <Alert kind={AlertKind::Error} id="employee-action-error">{ message.clone() }</Alert>
                </div>
            }
        </>
    }
}
