use api_types::{ProductDto, format_vnd};
use yew::prelude::*;

use crate::components::form_field::FormField;
use crate::components::select_field::SelectField;
use crate::deal_draft::{
    DealError, DraftAction, LineDraft, field_error, line_error, product_choices,
};
use crate::{money, text};

#[derive(Properties, PartialEq)]
pub struct DealLinesProps {
    pub lines: Vec<LineDraft>,
    /// Every product the form knows; lines offer those on sale plus `kept`.
    pub products: Vec<ProductDto>,
    /// Products of the saved deal, offered even once they stopped selling.
    #[prop_or_default]
    pub kept: Vec<i64>,
    pub error: Option<DealError>,
    pub dispatch: Callback<DraftAction>,
}

/// The deal's lines (`div[data-line="<key>"]`), each with product
/// (`#deal-line-<key>-product`), quantity (`-quantity`), unit price (`-price`, with the
/// floor price as hint), closing day (`-closed-at`), its total (`[data-line-total]`) and
/// a remove button (`button[data-remove-line]`); `#deal-add-line` adds one.
#[component]
pub fn DealLines(props: &DealLinesProps) -> Html {
    let choices = product_choices(&props.products, &props.kept);
    let options = product_options(&choices);
    let lines_error = field_error(&props.error, "lines");
    html! {
        <fieldset id="deal-lines" class={classes!("field", "fieldset", lines_error.is_some().then_some("field-invalid"))}>
            <legend>{ text::DEAL_LINES }</legend>
            for (index, line) in props.lines.iter().enumerate() {
                { line_row(index, line, props, &options) }
            }
            if let Some(message) = lines_error {
                <p id="deal-lines-error" class="field-error">{ message }</p>
            }
            <div>
                <button type="button" id="deal-add-line" class="btn btn-outline btn-small"
                    onclick={props.dispatch.reform(|_: MouseEvent| DraftAction::AddLine)}>
                    { "+ " }{ text::ADD_LINE }
                </button>
            </div>
        </fieldset>
    }
}

fn line_row(
    index: usize,
    line: &LineDraft,
    props: &DealLinesProps,
    options: &[(AttrValue, AttrValue)],
) -> Html {
    let key = line.key;
    let id = |field: &str| format!("deal-line-{key}-{field}");
    let dispatch = &props.dispatch;
    let product = line
        .product_id
        .and_then(|id| props.products.iter().find(|p| p.id == id));
    let on_product = {
        let (dispatch, products) = (dispatch.clone(), props.products.clone());
        Callback::from(move |value: String| {
            let chosen = value
                .parse::<i64>()
                .ok()
                .and_then(|id| products.iter().find(|p| p.id == id))
                .map(|p| (p.id, p.base_price));
            dispatch.emit(DraftAction::Product(key, chosen));
        })
    };
    let floor = product.map(ProductDto::floor_price);
    let typed = money::parse(&line.unit_price);
    let price_error = line_error(&props.error, key, "unit_price").or_else(|| {
        let floor = floor?;
        (typed? < floor).then(|| text::below_floor(&format_vnd(floor)).into())
    });
    let price_hint = floor.map(|floor| AttrValue::from(text::floor_hint(&format_vnd(floor))));
    let total = line
        .total()
        .map_or_else(|| text::DASH.to_owned(), format_vnd);
    let selected = AttrValue::from(line.product_id.map(|id| id.to_string()).unwrap_or_default());
    html! {
        <div class="deal-line" key={key} data-line={key.to_string()}>
            <div class="deal-line-head">
                <span class="deal-line-number">{ text::line_number(index + 1) }</span>
                <button type="button" class="btn btn-link btn-link-danger" data-remove-line={key.to_string()}
                    onclick={dispatch.reform(move |_: MouseEvent| DraftAction::RemoveLine(key))}>
                    { text::REMOVE_LINE }
                </button>
            </div>
            <div class="deal-line-fields">
                <div class="deal-line-product">
                    <SelectField id={id("product")} label={text::PRODUCT} value={selected}
                        options={options.to_vec()} onchange={on_product}
                        error={line_error(&props.error, key, "product_id")} />
                </div>
                <FormField id={id("quantity")} label={text::QUANTITY} kind="number" value={line.quantity.clone()}
                    oninput={dispatch.reform(move |v| DraftAction::Quantity(key, v))} autocomplete="off"
                    error={line_error(&props.error, key, "quantity")} />
                <FormField id={id("price")} label={text::UNIT_PRICE} value={line.unit_price.clone()}
                    oninput={dispatch.reform(move |v| DraftAction::UnitPrice(key, v))} autocomplete="off"
                    onblur={dispatch.reform(move |()| DraftAction::TidyPrice(key))}
                    hint={price_hint} error={price_error} />
                <FormField id={id("closed-at")} label={text::LINE_CLOSED_AT} kind="date" value={line.closed_on.clone()}
                    oninput={dispatch.reform(move |v| DraftAction::LineDay(key, v))}
                    error={line_error(&props.error, key, "closed_at")} />
                <div class="field deal-line-total">
                    <span class="field-label">{ text::LINE_TOTAL }</span>
                    <strong class="money" data-line-total={key.to_string()}>{ total }</strong>
                </div>
            </div>
        </div>
    }
}

/// "— Chọn sản phẩm —", then `CODE – Name · price`; stopped products say so.
fn product_options(choices: &[&ProductDto]) -> Vec<(AttrValue, AttrValue)> {
    let mut options = vec![(
        AttrValue::Static(""),
        AttrValue::Static(text::CHOOSE_PRODUCT),
    )];
    options.extend(choices.iter().map(|p| {
        let mut label = format!("{} – {} · {}", p.code, p.name, format_vnd(p.base_price));
        if p.status != "selling" {
            label.push_str(&format!(" ({})", text::STOPPED_MARK));
        }
        (AttrValue::from(p.id.to_string()), AttrValue::from(label))
    }));
    options
}
