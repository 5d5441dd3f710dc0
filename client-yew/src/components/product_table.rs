use api_types::{ProductDto, format_vnd};
use yew::prelude::*;

use crate::text;

#[derive(Properties, PartialEq)]
pub struct ProductTableProps {
    pub items: Vec<ProductDto>,
    pub on_edit: Callback<ProductDto>,
    pub on_delete: Callback<ProductDto>,
}

/// The catalogue (`#products-table`, rows `tr[data-product="<code>"]`), each with "Sửa"
/// (`button[data-edit-product]`) and "Xoá" (`button[data-delete-product]`).
#[component]
pub fn ProductTable(props: &ProductTableProps) -> Html {
    html! {
        <div class="table-wrap">
            <table class="table" id="products-table">
                <thead>
                    <tr>
                        <th scope="col">{ text::CODE }</th>
                        <th scope="col">{ text::PRODUCT_NAME }</th>
                        <th scope="col" class="numeric">{ text::BASE_PRICE_SHORT }</th>
                        <th scope="col" class="numeric">{ text::FLOOR_PRICE_SHORT }</th>
                        <th scope="col">{ text::WORKFLOW_TYPE }</th>
                        <th scope="col">{ text::STATUS }</th>
                        <th scope="col" class="numeric">{ text::DEAL_LINES_USED }</th>
                        <th scope="col">{ text::ACTIONS }</th>
                    </tr>
                </thead>
                <tbody>
                    for product in &props.items {
                        { row(product, props) }
                    }
                </tbody>
            </table>
        </div>
    }
}

fn row(product: &ProductDto, props: &ProductTableProps) -> Html {
    let selling = product.status == "selling";
    let badge = if selling {
        "badge-active"
    } else {
        "badge-muted"
    };
    let (edited, deleted) = (product.clone(), product.clone());
    html! {
        <tr data-product={product.code.clone()}>
            <td data-label={text::CODE}><code>{ product.code.clone() }</code></td>
            <td data-label={text::PRODUCT_NAME}>
                <span class="pick-name">{ product.name.clone() }</span>
                if let Some(description) = &product.description {
                    <span class="masked-hint">{ description.clone() }</span>
                }
            </td>
            <td data-label={text::BASE_PRICE_SHORT} class="numeric money">{ format_vnd(product.base_price) }</td>
            <td data-label={text::FLOOR_PRICE_SHORT} class="numeric money">{ format_vnd(product.floor_price()) }</td>
            <td data-label={text::WORKFLOW_TYPE}>
                { product.workflow_type.clone().unwrap_or_else(|| text::DASH.to_owned()) }
            </td>
            <td data-label={text::STATUS}>
                <span class={classes!("badge", badge)} data-product-status={product.status.clone()}>
                    { text::product_status_label(&product.status).to_owned() }
                </span>
            </td>
            <td data-label={text::DEAL_LINES_USED} class="numeric">{ product.deal_lines }</td>
            <td data-label={text::ACTIONS} class="row-actions">
                <div class="button-row">
                    <button type="button" class="btn btn-outline btn-small" data-edit-product={product.code.clone()}
                        onclick={props.on_edit.reform(move |_: MouseEvent| edited.clone())}>
                        { text::EDIT }
                    </button>
                    <button type="button" class="btn btn-danger-outline btn-small" data-delete-product={product.code.clone()}
                        onclick={props.on_delete.reform(move |_: MouseEvent| deleted.clone())}>
                        { text::DELETE }
                    </button>
                </div>
            </td>
        </tr>
    }
}
