use api_types::{ServiceTypeDto, ServiceTypeRequest};
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

const FIELDS: &[&str] = &[
    "code",
    "name",
    "description",
    "daily_pick_limit",
    "sort_order",
];

#[derive(Properties, PartialEq)]
pub struct ServiceTypeDialogProps {
    /// The service type being edited; `None` creates one.
    #[prop_or_default]
    pub existing: Option<ServiceTypeDto>,
    /// Called after the server accepted the change.
    pub on_done: Callback<()>,
    pub on_close: Callback<()>,
}

/// Creates or edits a service type (`#st-dialog`: `#st-code`, `#st-name`,
/// `#st-description`, `#st-limit`, `#st-order`, `#st-active`, `#st-submit`, `#st-error`).
#[component]
pub fn ServiceTypeDialog(props: &ServiceTypeDialogProps) -> Html {
    let existing = props.existing.as_ref();
    let code = use_state(|| existing.map(|st| st.code.clone()).unwrap_or_default());
    let name = use_state(|| existing.map(|st| st.name.clone()).unwrap_or_default());
    let description = use_state(|| {
        existing
            .and_then(|st| st.description.clone())
            .unwrap_or_default()
    });
    let limit = use_state(|| existing.map_or(5, |st| st.daily_pick_limit).to_string());
    let order = use_state(|| existing.map_or(0, |st| st.sort_order).to_string());
    let active = use_state(|| existing.is_none_or(|st| st.active));
    let busy = use_state(|| false);
    let error = use_state(|| None::<FormError>);
    let guard = use_session_guard();

    // Codes are upper case on the server; typing them so shows what will be saved.
    let on_code = {
        let code = code.clone();
        Callback::from(move |value: String| code.set(value.to_uppercase()))
    };
    let on_active = {
        let active = active.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            active.set(input.checked());
        })
    };
    let onsubmit = {
        let texts = (code.clone(), name.clone(), description.clone());
        let numbers = (limit.clone(), order.clone(), active.clone());
        let (busy, error) = (busy.clone(), error.clone());
        let (id, on_done) = (existing.map(|st| st.id), props.on_done.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let (code, name, description) = &texts;
            let (limit, order, active) = &numbers;
            let whole = |value: &str| value.trim().parse::<i32>().ok().filter(|n| *n >= 0);
            let problem = if code.trim().is_empty() {
                Some(FormError::field("code", text::ST_CODE_REQUIRED))
            } else if name.trim().is_empty() {
                Some(FormError::field("name", text::ST_NAME_REQUIRED))
            } else if whole(limit).is_none() {
                Some(FormError::field(
                    "daily_pick_limit",
                    text::WHOLE_NUMBER_REQUIRED,
                ))
            } else if whole(order).is_none() {
                Some(FormError::field("sort_order", text::WHOLE_NUMBER_REQUIRED))
            } else {
                None
            };
            let (Some(daily_pick_limit), Some(sort_order), None) =
                (whole(limit), whole(order), &problem)
            else {
                error.set(problem);
                return;
            };
            let request = ServiceTypeRequest {
                code: code.trim().to_owned(),
                name: name.trim().to_owned(),
                description: Some(description.trim().to_owned()).filter(|d| !d.is_empty()),
                active: **active,
                daily_pick_limit,
                sort_order,
            };
            error.set(None);
            busy.set(true);
            let (busy, error, guard, on_done) =
                (busy.clone(), error.clone(), guard.clone(), on_done.clone());
            spawn_local(async move {
                let result = match id {
                    None => api::create_service_type(&request).await,
                    Some(id) => api::update_service_type(id, &request).await,
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

    let (title, submit) = match existing {
        None => (text::SERVICE_TYPE_NEW, text::CREATE),
        Some(_) => (text::SERVICE_TYPE_EDIT, text::SAVE_CHANGES),
    };
    html! {
        <Dialog id="st-dialog" {title} on_close={props.on_close.clone()}>
            <form class="form" {onsubmit} novalidate=true>
                if let Some(message) = general_message(&error) {
                    <Alert kind={AlertKind::Error} id="st-error">{ message }</Alert>
                }
                <FormField id="st-code" label={text::ST_CODE} value={(*code).clone()} oninput={on_code}
                    autocomplete="off" hint={text::ST_CODE_HINT} error={field_message(&error, "code")} />
                <FormField id="st-name" label={text::ST_NAME} value={(*name).clone()}
                    oninput={setter(&name)} autocomplete="off" error={field_message(&error, "name")} />
                <TextAreaField id="st-description" label={text::DESCRIPTION} value={(*description).clone()}
                    oninput={setter(&description)} error={field_message(&error, "description")} />
                <FormField id="st-limit" label={text::ST_LIMIT_LABEL} kind="number" value={(*limit).clone()}
                    oninput={setter(&limit)} hint={text::ST_LIMIT_HINT}
                    error={field_message(&error, "daily_pick_limit")} />
                <FormField id="st-order" label={text::ST_ORDER} kind="number" value={(*order).clone()}
                    oninput={setter(&order)} hint={text::ST_ORDER_HINT}
                    error={field_message(&error, "sort_order")} />
                <label class="checkbox" for="st-active">
                    <input id="st-active" type="checkbox" checked={*active} onchange={on_active} />
                    { text::ST_ACTIVE_LABEL }
                </label>
                <div class="dialog-actions">
                    <button type="button" class="btn btn-outline" disabled={*busy}
                        onclick={props.on_close.reform(|_: MouseEvent| ())}>{ text::CANCEL }</button>
                    <button type="submit" id="st-submit" class="btn btn-primary" disabled={*busy}
                        aria-busy={busy.to_string()}>
                        { if *busy { text::SAVING } else { submit } }
                    </button>
                </div>
            </form>
        </Dialog>
    }
}
