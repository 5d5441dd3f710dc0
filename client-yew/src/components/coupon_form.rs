use std::collections::BTreeSet;

use api_types::{COUPON_KINDS, CouponDto, PersonRef};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::assignee_picker::AssigneePicker;
use crate::components::form_field::FormField;
use crate::components::select_field::SelectField;
use crate::components::submit_button::SubmitButton;
use crate::components::text_area_field::TextAreaField;
use crate::coupon_input::{CouponInput, value_input};
use crate::form::{FormError, field_message, general_message, setter};
use crate::live::use_offline;
use crate::state::use_session_guard;
use crate::{money, text};

const FIELDS: &[&str] = &[
    "code",
    "description",
    "kind",
    "value",
    "expires_on",
    "max_uses",
    "assignee_ids",
];

#[derive(Properties, PartialEq)]
pub struct CouponFormProps {
    /// The coupon being edited; `None` creates one.
    #[prop_or_default]
    pub existing: Option<CouponDto>,
    /// Active employees it may be assigned to.
    pub people: Vec<PersonRef>,
}

/// Creates or edits a coupon, then goes back to the list: `#coupon-code`,
/// `#coupon-description`, `#coupon-kind`, `#coupon-value`, `#coupon-expires`,
/// `#coupon-max-uses`, `#coupon-active`, the assignees (`AssigneePicker`),
/// `#coupon-submit`; general errors in `#coupon-error`.
#[component]
pub fn CouponForm(props: &CouponFormProps) -> Html {
    let existing = props.existing.as_ref();
    let code = use_state(|| existing.map(|c| c.code.clone()).unwrap_or_default());
    let description = use_state(|| {
        existing
            .and_then(|c| c.description.clone())
            .unwrap_or_default()
    });
    let kind = use_state(|| existing.map_or_else(|| "percent".to_owned(), |c| c.kind.clone()));
    let value = use_state(|| existing.map(value_input).unwrap_or_default());
    let expires_on = use_state(|| existing.map(|c| c.expires_on.clone()).unwrap_or_default());
    let max_uses = use_state(|| {
        existing
            .and_then(|c| c.max_uses)
            .map(|n| n.to_string())
            .unwrap_or_default()
    });
    let active = use_state(|| existing.is_none_or(|c| c.active));
    // Someone locked (or stripped of `coupons.use`) since cannot stay an assignee: the
    // server would refuse them, so they start unticked and leave on save.
    let assignees = use_state(|| {
        let assignable = |id: &i64| props.people.iter().any(|p| p.id == *id);
        existing
            .map(|c| {
                c.assignees
                    .iter()
                    .map(|p| p.id)
                    .filter(assignable)
                    .collect::<BTreeSet<i64>>()
            })
            .unwrap_or_default()
    });
    let busy = use_state(|| false);
    let offline = use_offline();
    let error = use_state(|| None::<FormError>);
    let guard = use_session_guard();
    let navigator = use_navigator();

    let on_code = {
        let code = code.clone();
        Callback::from(move |typed: String| code.set(typed.to_uppercase()))
    };
    let on_active = {
        let active = active.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            active.set(input.checked());
        })
    };
    let on_toggle = {
        let assignees = assignees.clone();
        Callback::from(move |(id, checked): (i64, bool)| {
            let mut chosen = (*assignees).clone();
            if checked {
                chosen.insert(id);
            } else {
                chosen.remove(&id);
            }
            assignees.set(chosen);
        })
    };
    let onsubmit = {
        let texts = (
            code.clone(),
            description.clone(),
            kind.clone(),
            value.clone(),
        );
        let limits = (
            expires_on.clone(),
            max_uses.clone(),
            active.clone(),
            assignees.clone(),
        );
        let (busy, error) = (busy.clone(), error.clone());
        let id = existing.map(|c| c.id);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let (code, description, kind, value) = &texts;
            let (expires_on, max_uses, active, assignees) = &limits;
            let input = CouponInput {
                code,
                description,
                kind,
                value,
                expires_on,
                max_uses,
                active: **active,
                assignee_ids: assignees,
            };
            let request = match input.request() {
                Ok(request) => request,
                Err(problem) => {
                    error.set(Some(problem));
                    return;
                }
            };
            error.set(None);
            busy.set(true);
            let (busy, error, guard, navigator) = (
                busy.clone(),
                error.clone(),
                guard.clone(),
                navigator.clone(),
            );
            spawn_local(async move {
                let saved = match id {
                    None => api::create_coupon(&request).await,
                    Some(id) => api::update_coupon(id, &request).await,
                };
                busy.set(false);
                match saved {
                    Ok(_) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Coupons);
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

    let kinds: Vec<(AttrValue, AttrValue)> = COUPON_KINDS
        .iter()
        .map(|(code, name)| (AttrValue::Static(code), AttrValue::Static(name)))
        .collect();
    let value_hint = match (kind.as_str(), money::echo(&value)) {
        ("percent", _) => AttrValue::Static(text::PERCENT_HINT),
        (_, Some(amount)) => AttrValue::from(amount),
        (_, None) => AttrValue::Static(text::FIXED_HINT),
    };
    let submit_label = if existing.is_none() {
        text::COUPON_CREATE_SUBMIT
    } else {
        text::SAVE_CHANGES
    };
    html! {
        <form class="form form-grid" {onsubmit} novalidate=true>
            if let Some(message) = general_message(&error) {
                <div class="form-wide">
                    <Alert kind={AlertKind::Error} id="coupon-error">{ message }</Alert>
                </div>
            }
            <FormField id="coupon-code" label={text::COUPON_CODE} value={(*code).clone()} oninput={on_code}
                autocomplete="off" hint={text::COUPON_CODE_HINT} error={field_message(&error, "code")} />
            <SelectField id="coupon-kind" label={text::COUPON_KIND} value={(*kind).clone()} options={kinds}
                onchange={setter(&kind)} error={field_message(&error, "kind")} />
            <FormField id="coupon-value" label={text::COUPON_VALUE} value={(*value).clone()}
                oninput={setter(&value)} autocomplete="off" hint={value_hint}
                error={field_message(&error, "value")} />
            <FormField id="coupon-expires" label={text::COUPON_EXPIRES_LABEL} kind="date"
                value={(*expires_on).clone()} oninput={setter(&expires_on)}
                error={field_message(&error, "expires_on")} />
            <FormField id="coupon-max-uses" label={text::COUPON_MAX_USES} kind="number"
                value={(*max_uses).clone()} oninput={setter(&max_uses)} hint={text::COUPON_MAX_USES_HINT}
                error={field_message(&error, "max_uses")} />
            <div class="field field-checkbox">
                <label class="checkbox" for="coupon-active">
                    <input id="coupon-active" type="checkbox" checked={*active} onchange={on_active} />
                    { text::COUPON_ACTIVE_LABEL }
                </label>
            </div>
            <div class="form-wide">
                <TextAreaField id="coupon-description" label={text::DESCRIPTION} value={(*description).clone()}
                    oninput={setter(&description)} error={field_message(&error, "description")} />
            </div>
            <div class="form-wide">
                <AssigneePicker people={props.people.clone()} selected={(*assignees).clone()} {on_toggle}
                    error={field_message(&error, "assignee_ids")} />
            </div>
            <div class="form-wide form-actions">
                <SubmitButton id="coupon-submit" label={submit_label} busy_label={text::SAVING} busy={*busy} {offline} />
            </div>
        </form>
    }
}
