use std::collections::BTreeMap;

use api_types::{PermissionDto, PermissionOverride, SetOverridesRequest};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::catalogue;
use crate::components::alert::{Alert, AlertKind};
use crate::components::loading::Loading;
use crate::hooks::{Remote, use_remote};
use crate::state::use_session_guard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct OverridesEditorProps {
    pub employee_id: i64,
    pub overrides: Vec<PermissionOverride>,
    /// The employee's effective permission codes, listed under the editor.
    pub effective: Vec<String>,
    /// Called after saving, to reload what the overrides add up to.
    pub on_saved: Callback<()>,
}

/// code → granted (`true`) or denied (`false`); a code that is absent follows the roles.
type Choices = BTreeMap<String, bool>;

fn choices_of(overrides: &[PermissionOverride]) -> Choices {
    overrides
        .iter()
        .map(|o| (o.code.clone(), o.granted))
        .collect()
}

/// Per-employee grants and denies, one 3-way select per permission
/// (`select[data-override="<code>"]`), saved with `#overrides-save`.
#[component]
pub fn OverridesEditor(props: &OverridesEditorProps) -> Html {
    let catalogue = use_remote((), |()| api::permissions());
    let choices = use_state(|| choices_of(&props.overrides));
    let busy = use_state(|| false);
    let result = use_state(|| None::<(AlertKind, AttrValue)>);
    let guard = use_session_guard();
    {
        // A reload after saving brings the server's view; start from it again.
        let choices = choices.clone();
        use_effect_with(props.overrides.clone(), move |overrides| {
            choices.set(choices_of(overrides));
        });
    }

    let on_choice = {
        let choices = choices.clone();
        Callback::from(move |(code, value): (String, String)| {
            let mut next = (*choices).clone();
            match value.as_str() {
                "grant" => next.insert(code, true),
                "deny" => next.insert(code, false),
                _ => next.remove(&code),
            };
            choices.set(next);
        })
    };
    let save = {
        let (choices, busy, result) = (choices.clone(), busy.clone(), result.clone());
        let (id, on_saved) = (props.employee_id, props.on_saved.clone());
        Callback::from(move |_: MouseEvent| {
            let request = SetOverridesRequest {
                overrides: choices
                    .iter()
                    .map(|(code, granted)| PermissionOverride {
                        code: code.clone(),
                        granted: *granted,
                    })
                    .collect(),
            };
            busy.set(true);
            result.set(None);
            let (busy, result) = (busy.clone(), result.clone());
            let (guard, on_saved) = (guard.clone(), on_saved.clone());
            spawn_local(async move {
                match api::set_overrides(id, &request).await {
                    Ok(_) => {
                        result.set(Some((AlertKind::Success, text::OVERRIDES_SAVED.into())));
                        on_saved.emit(());
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            result.set(Some((AlertKind::Error, e.message().into())));
                        }
                    }
                }
                busy.set(false);
            });
        })
    };

    let list = match &*catalogue {
        Remote::Loading => return html! { <Loading /> },
        Remote::Failed(message) => {
            return html! { <Alert kind={AlertKind::Error} id="overrides-result">{ message.clone() }</Alert> };
        }
        Remote::Ready(list) => list,
    };
    let saved = choices_of(&props.overrides);
    html! {
        <div class="overrides">
            <p class="muted">{ text::OVERRIDES_INTRO }</p>
            if let Some((kind, message)) = &*result {
                <Alert kind={*kind} id="overrides-result">{ message.clone() }</Alert>
            }
            for group in catalogue::by_module(list) {
                <fieldset class="override-group" data-module={group.module.to_owned()}>
                    <legend>{ group.label.to_owned() }</legend>
                    for permission in group.permissions {
                        { row(permission, choices.get(&permission.code).copied(),
                            saved.get(&permission.code).copied(), &on_choice) }
                    }
                </fieldset>
            }
            <button type="button" id="overrides-save" class="btn btn-primary" disabled={*busy}
                aria-busy={busy.to_string()} onclick={save}>
                { if *busy { text::SAVING } else { text::OVERRIDES_SAVE } }
            </button>
            <h3 class="subsection-title">{ text::EFFECTIVE_PERMISSIONS }</h3>
            <ul id="effective-permissions" class="chips">
                for permission in list.iter().filter(|p| props.effective.contains(&p.code)) {
                    <li class="chip" data-permission={permission.code.clone()} title={permission.code.clone()}>
                        { permission.label.clone() }
                    </li>
                }
            </ul>
        </div>
    }
}

fn row(
    permission: &PermissionDto,
    choice: Option<bool>,
    saved: Option<bool>,
    on_choice: &Callback<(String, String)>,
) -> Html {
    let code = permission.code.clone();
    let onchange = on_choice.reform(move |event: Event| {
        let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
        (code.clone(), select.value())
    });
    let id = format!("override-{}", permission.code);
    let options = [
        ("", text::OVERRIDE_INHERIT, None),
        ("grant", text::OVERRIDE_GRANT, Some(true)),
        ("deny", text::OVERRIDE_DENY, Some(false)),
    ];
    html! {
        <div class={classes!("override-row", (choice != saved).then_some("changed"))}>
            <label for={id.clone()}>
                { permission.label.clone() }
                <code class="override-code">{ permission.code.clone() }</code>
            </label>
            <select {id} class={classes!("input", "input-compact", choice.map(|g| if g { "grant" } else { "deny" }))}
                data-override={permission.code.clone()} {onchange}>
                for (value, label, option) in options {
                    <option {value} selected={choice == option}>{ label }</option>
                }
            </select>
        </div>
    }
}
