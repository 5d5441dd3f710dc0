use api_types::{CreateDealRequest, DealDto, ProductDto, UpdateDealRequest};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::deal_lines::DealLines;
use crate::components::deal_totals::DealTotals;
use crate::components::form_field::FormField;
use crate::components::select_field::SelectField;
use crate::components::submit_button::SubmitButton;
use crate::components::text_area_field::TextAreaField;
use crate::coupon_input::value_label;
use crate::deal_draft::{CouponChoice, DealDraft, DealError, DraftAction, ErrorAt, field_error};
use crate::format;
use crate::live::use_offline;
use crate::state::use_session_guard;
use crate::text;

/// Payment statuses a new deal may start with (it cannot start refunded).
const STARTING_PAYMENTS: &[&str] = &["pending", "partial", "paid"];

enum Save {
    Create(CreateDealRequest),
    Update(i64, UpdateDealRequest),
}

#[derive(Properties, PartialEq)]
pub struct DealFormProps {
    /// The contact being closed (create) or the deal's contact (edit).
    pub contact_id: i64,
    /// The deal being edited; `None` creates one.
    #[prop_or_default]
    pub existing: Option<DealDto>,
    pub products: Vec<ProductDto>,
    /// The coupons the closer may apply (plus an edited deal's own).
    pub coupons: Vec<CouponChoice>,
}

/// Closes a contact with its deal, or edits a deal, then opens the deal's page. The
/// total below the lines follows every keystroke; the server prices it the same way.
/// Inputs: the lines (`DealLines`), `#deal-coupon`, `#deal-payment` (create only),
/// `#deal-closed-on`, `#deal-note`; `#deal-submit`; general errors in `#deal-error`.
#[component]
pub fn DealForm(props: &DealFormProps) -> Html {
    let draft = {
        let existing = props.existing.clone();
        use_reducer(move || match &existing {
            Some(deal) => DealDraft::from_deal(deal, format::today()),
            None => DealDraft::new(format::today()),
        })
    };
    let busy = use_state(|| false);
    let offline = use_offline();
    let error = use_state(|| None::<DealError>);
    let guard = use_session_guard();
    let navigator = use_navigator();

    let dispatch = {
        let dispatcher = draft.dispatcher();
        Callback::from(move |action| dispatcher.dispatch(action))
    };
    let onsubmit = {
        let (draft, busy, error) = (draft.clone(), busy.clone(), error.clone());
        let (contact_id, editing) = (props.contact_id, props.existing.as_ref().map(|d| d.id));
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let sent = (*draft).clone();
            let request = match editing {
                None => sent.create_request(contact_id).map(Save::Create),
                Some(id) => sent.update_request().map(|update| Save::Update(id, update)),
            };
            let request = match request {
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
                let saved = match &request {
                    Save::Create(create) => api::create_deal(create).await,
                    Save::Update(id, update) => api::update_deal(*id, update).await,
                };
                busy.set(false);
                match saved {
                    Ok(deal) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::DealDetail { id: deal.id });
                        }
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            error.set(Some(DealError::from_api(&e, &sent)));
                        }
                    }
                }
            });
        })
    };

    let creating = props.existing.is_none();
    let kept: Vec<i64> = props
        .existing
        .iter()
        .flat_map(|deal| deal.lines.iter().map(|line| line.product_id))
        .collect();
    let chosen = props
        .coupons
        .iter()
        .find(|c| !draft.coupon_code.is_empty() && c.code == draft.coupon_code);
    let coupon = chosen.map(|c| {
        (
            AttrValue::from(c.code.clone()),
            AttrValue::from(value_label(&c.kind, c.value)),
        )
    });
    let pending = draft.lines.iter().any(|line| line.total().is_none());
    let general = (*error)
        .as_ref()
        .filter(|e| e.at == ErrorAt::Form)
        .map(|e| e.message.clone());
    let submit_label = if creating {
        text::DEAL_CREATE_SUBMIT
    } else {
        text::SAVE_CHANGES
    };

    html! {
        <form class="form deal-form" {onsubmit} novalidate=true>
            if let Some(message) = general {
                <Alert kind={AlertKind::Error} id="deal-error">{ message }</Alert>
            }
            <DealLines lines={draft.lines.clone()} products={props.products.clone()} {kept}
                error={(*error).clone()} dispatch={dispatch.clone()} />
            <div class="form-grid">
                <SelectField id="deal-coupon" label={text::COUPON} value={draft.coupon_code.clone()}
                    options={coupon_options(&props.coupons)}
                    onchange={dispatch.reform(DraftAction::Coupon)}
                    error={field_error(&error, "coupon_code")} />
                if creating {
                    <SelectField id="deal-payment" label={text::PAYMENT_STATUS} value={draft.payment_status.clone()}
                        options={payment_options()} onchange={dispatch.reform(DraftAction::Payment)}
                        error={field_error(&error, "payment_status")} />
                }
                <FormField id="deal-closed-on" label={text::DEAL_CLOSED_ON} kind="date"
                    value={draft.closed_on.clone()} oninput={dispatch.reform(DraftAction::ClosedOn)}
                    error={field_error(&error, "closed_on")} />
                <div class="form-wide">
                    <TextAreaField id="deal-note" label={text::NOTE} value={draft.note.clone()}
                        oninput={dispatch.reform(DraftAction::Note)} error={field_error(&error, "note")} />
                </div>
            </div>
            <DealTotals pricing={draft.pricing(&props.coupons)} {coupon} {pending} />
            <div class="form-actions">
                <SubmitButton id="deal-submit" label={submit_label} busy_label={text::SAVING} busy={*busy} {offline} />
            </div>
        </form>
    }
}

fn coupon_options(coupons: &[CouponChoice]) -> Vec<(AttrValue, AttrValue)> {
    let mut options = vec![(AttrValue::Static(""), AttrValue::Static(text::NO_COUPON))];
    options.extend(coupons.iter().map(|c| {
        let label = text::coupon_choice(&c.code, &value_label(&c.kind, c.value));
        (AttrValue::from(c.code.clone()), AttrValue::from(label))
    }));
    options
}

fn payment_options() -> Vec<(AttrValue, AttrValue)> {
    STARTING_PAYMENTS
        .iter()
        .map(|code| {
            (
                AttrValue::Static(code),
                AttrValue::from(text::payment_label(code).to_owned()),
            )
        })
        .collect()
}
