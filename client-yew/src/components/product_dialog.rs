use api_types::{PRODUCT_STATUSES, ProductDto};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::dialog::Dialog;
use crate::components::form_field::FormField;
use crate::components::select_field::SelectField;
use crate::components::text_area_field::TextAreaField;
use crate::form::{FormError, field_message, general_message, setter};
use crate::money;
use crate::product_input::ProductInput;
use crate::state::use_session_guard;
use crate::text;

const FIELDS: &[&str] = &[
    "code",
    "name",
    "description",
    "base_price",
    "min_price",
    "workflow_type",
    "status",
];

#[derive(Properties, PartialEq)]
pub struct ProductDialogProps {
    /// The product being edited; `None` creates one.
    #[prop_or_default]
    pub existing: Option<ProductDto>,
    /// Called after the server accepted the change.
    pub on_done: Callback<()>,
    pub on_close: Callback<()>,
}

/// Creates or edits a product (`#product-dialog`: `#product-code`, `#product-name`,
/// `#product-description`, `#product-base-price`, `#product-min-price`,
/// `#product-workflow`, `#product-status`, `#product-submit`, `#product-error`). Prices
/// take dots ("1.500.000") and echo what will be saved.
#[component]
pub fn ProductDialog(props: &ProductDialogProps) -> Html {
    let existing = props.existing.as_ref();
    let text_of =
        |read: fn(&ProductDto) -> Option<String>| existing.and_then(read).unwrap_or_default();
    let code = use_state(|| text_of(|p| Some(p.code.clone())));
    let name = use_state(|| text_of(|p| Some(p.name.clone())));
    let description = use_state(|| text_of(|p| p.description.clone()));
    let base_price = use_state(|| text_of(|p| Some(money::grouped(p.base_price))));
    let min_price = use_state(|| text_of(|p| p.min_price.map(money::grouped)));
    let workflow = use_state(|| text_of(|p| p.workflow_type.clone()));
    let status = use_state(|| existing.map_or_else(|| "selling".to_owned(), |p| p.status.clone()));
    let busy = use_state(|| false);
    let error = use_state(|| None::<FormError>);
    let guard = use_session_guard();

    // Codes are upper case on the server; typing them so shows what will be saved.
    let on_code = {
        let code = code.clone();
        Callback::from(move |value: String| code.set(value.to_uppercase()))
    };
    let onsubmit = {
        let texts = (
            code.clone(),
            name.clone(),
            description.clone(),
            workflow.clone(),
        );
        let prices = (base_price.clone(), min_price.clone(), status.clone());
        let (busy, error) = (busy.clone(), error.clone());
        let (id, on_done) = (existing.map(|p| p.id), props.on_done.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let (code, name, description, workflow) = &texts;
            let (base_price, min_price, status) = &prices;
            let input = ProductInput {
                code,
                name,
                description,
                base_price,
                min_price,
                workflow_type: workflow,
                status,
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
            let (busy, error, guard, on_done) =
                (busy.clone(), error.clone(), guard.clone(), on_done.clone());
            spawn_local(async move {
                let result = match id {
                    None => api::create_product(&request).await,
                    Some(id) => api::update_product(id, &request).await,
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
        None => (text::PRODUCT_NEW, text::CREATE),
        Some(_) => (text::PRODUCT_EDIT, text::SAVE_CHANGES),
    };
    let statuses: Vec<(AttrValue, AttrValue)> = PRODUCT_STATUSES
        .iter()
        .map(|(code, name)| (AttrValue::Static(code), AttrValue::Static(name)))
        .collect();
    let price_hint = |typed: &str, fallback: &'static str| {
        Some(money::echo(typed).map_or(AttrValue::Static(fallback), AttrValue::from))
    };
    html! {
        <Dialog id="product-dialog" {title} on_close={props.on_close.clone()}>
            <form class="form" {onsubmit} novalidate=true>
                if let Some(message) = general_message(&error) {
                    <Alert kind={AlertKind::Error} id="product-error">{ message }</Alert>
                }
                <FormField id="product-code" label={text::PRODUCT_CODE} value={(*code).clone()} oninput={on_code}
                    autocomplete="off" hint={text::PRODUCT_CODE_HINT} error={field_message(&error, "code")} />
                <FormField id="product-name" label={text::PRODUCT_NAME} value={(*name).clone()}
                    oninput={setter(&name)} autocomplete="off" error={field_message(&error, "name")} />
                <TextAreaField id="product-description" label={text::DESCRIPTION} value={(*description).clone()}
                    oninput={setter(&description)} error={field_message(&error, "description")} />
                <FormField id="product-base-price" label={text::BASE_PRICE} value={(*base_price).clone()}
                    oninput={setter(&base_price)} autocomplete="off" hint={price_hint(&base_price, text::AMOUNT_HINT)}
                    error={field_message(&error, "base_price")} />
                <FormField id="product-min-price" label={text::FLOOR_PRICE} value={(*min_price).clone()}
                    oninput={setter(&min_price)} autocomplete="off"
                    hint={price_hint(&min_price, text::FLOOR_PRICE_HINT)}
                    error={field_message(&error, "min_price")} />
                <FormField id="product-workflow" label={text::WORKFLOW_TYPE} value={(*workflow).clone()}
                    oninput={setter(&workflow)} autocomplete="off" hint={text::WORKFLOW_HINT}
                    error={field_message(&error, "workflow_type")} />
                <SelectField id="product-status" label={text::STATUS} value={(*status).clone()}
                    options={statuses} onchange={setter(&status)} error={field_message(&error, "status")} />
                <div class="dialog-actions">
                    <button type="button" class="btn btn-outline" disabled={*busy}
                        onclick={props.on_close.reform(|_: MouseEvent| ())}>{ text::CANCEL }</button>
                    <button type="submit" id="product-submit" class="btn btn-primary" disabled={*busy}
                        aria-busy={busy.to_string()}>
                        { if *busy { text::SAVING } else { submit } }
                    </button>
                </div>
            </form>
        </Dialog>
    }
}
