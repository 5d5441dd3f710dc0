use api_types::{PRODUCT_STATUSES, ProductDto};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::loading::Loading;
use crate::components::product_dialog::ProductDialog;
use crate::components::product_table::ProductTable;
use crate::components::select_field::SelectField;
use crate::form::setter;
use crate::hooks::{Remote, use_remote};
use crate::product_input::stopped;
use crate::state::use_session_guard;
use crate::text;

/// What is open on top of the list, if anything.
#[derive(Debug, Clone, PartialEq)]
enum Open {
    New,
    Edit(ProductDto),
    Delete(ProductDto),
}

/// What the last delete (or stop) said.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Done(String),
    Failed(String),
    /// Deals use it: it can only stop selling, which is offered.
    InUse(String, Box<ProductDto>),
}

/// The product catalogue (`products.manage`): "Thêm sản phẩm" (`#product-new`), each
/// row's edit and delete, a status filter (`#product-filter-status`). A product deals
/// already use cannot be deleted; the refusal offers to stop selling it
/// (`#product-stop`).
#[component]
pub fn Products() -> Html {
    let status = use_state(String::new);
    let reload = use_state(|| 0_u32);
    let list = use_remote(((*status).clone(), *reload), |(status, _)| async move {
        api::products(&status).await
    });
    let open = use_state(|| None::<Open>);
    let busy = use_state(|| false);
    let outcome = use_state(|| None::<Outcome>);
    let guard = use_session_guard();

    let show = |make: fn(ProductDto) -> Open| {
        let (open, outcome) = (open.clone(), outcome.clone());
        Callback::from(move |product: ProductDto| {
            outcome.set(None);
            open.set(Some(make(product)));
        })
    };
    let on_new = {
        let (open, outcome) = (open.clone(), outcome.clone());
        Callback::from(move |_: MouseEvent| {
            outcome.set(None);
            open.set(Some(Open::New));
        })
    };
    let close = {
        let open = open.clone();
        Callback::from(move |()| open.set(None))
    };
    let done = {
        let (close, reload) = (close.clone(), reload.clone());
        Callback::from(move |()| {
            close.emit(());
            reload.set(*reload + 1);
        })
    };
    let delete = {
        let (open, busy, outcome, reload) =
            (open.clone(), busy.clone(), outcome.clone(), reload.clone());
        let guard = guard.clone();
        Callback::from(move |()| {
            let Some(Open::Delete(product)) = (*open).clone() else {
                return;
            };
            busy.set(true);
            let (open, busy, outcome, reload, guard) = (
                open.clone(),
                busy.clone(),
                outcome.clone(),
                reload.clone(),
                guard.clone(),
            );
            spawn_local(async move {
                let result = api::delete_product(product.id).await;
                busy.set(false);
                open.set(None);
                match result {
                    Ok(()) => {
                        outcome.set(Some(Outcome::Done(text::product_deleted(&product.code))));
                        reload.set(*reload + 1);
                    }
                    Err(e) => {
                        let Some(e) = guard.check(e) else { return };
                        outcome.set(Some(if e.body.error == "product_in_use" {
                            Outcome::InUse(e.message(), Box::new(product))
                        } else {
                            Outcome::Failed(e.message())
                        }));
                    }
                }
            });
        })
    };
    let stop = {
        let (busy, outcome, reload) = (busy.clone(), outcome.clone(), reload.clone());
        Callback::from(move |product: ProductDto| {
            busy.set(true);
            let (busy, outcome, reload, guard) =
                (busy.clone(), outcome.clone(), reload.clone(), guard.clone());
            spawn_local(async move {
                let result = api::update_product(product.id, &stopped(&product)).await;
                busy.set(false);
                match result {
                    Ok(saved) => {
                        outcome.set(Some(Outcome::Done(text::product_stopped(&saved.code))));
                        reload.set(*reload + 1);
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            outcome.set(Some(Outcome::Failed(e.message())));
                        }
                    }
                }
            });
        })
    };

    let body = match &*list {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="products-error">{ message.clone() }</Alert>
        },
        Remote::Ready(list) if list.is_empty() => html! {
            <p id="products-empty" class="empty-state">{ text::NO_PRODUCTS }</p>
        },
        Remote::Ready(list) => html! {
            <ProductTable items={list.clone()} on_edit={show(Open::Edit)} on_delete={show(Open::Delete)} />
        },
    };
    let dialog = match (*open).clone() {
        None => Html::default(),
        Some(Open::New) => html! { <ProductDialog on_done={done} on_close={close} /> },
        Some(Open::Edit(product)) => html! {
            <ProductDialog key={product.id} existing={product.clone()} on_done={done} on_close={close} />
        },
        Some(Open::Delete(product)) => html! {
            <ConfirmDialog title={text::PRODUCT_DELETE_TITLE}
                message={text::product_delete_question(&product.code, &product.name)}
                confirm_label={text::DELETE} busy={*busy} on_confirm={delete} on_cancel={close} />
        },
    };
    let mut statuses = vec![(
        AttrValue::Static(""),
        AttrValue::Static(text::ALL_PRODUCT_STATUSES),
    )];
    statuses.extend(
        PRODUCT_STATUSES
            .iter()
            .map(|(code, name)| (AttrValue::Static(code), AttrValue::Static(name))),
    );
    html! {
        <>
            <div class="page-header page-header-row">
                <h1>{ text::PRODUCTS_TITLE }</h1>
                <button type="button" id="product-new" class="btn btn-primary" onclick={on_new}>
                    { text::PRODUCT_NEW }
                </button>
            </div>
            <p class="muted">{ text::PRODUCTS_INTRO }</p>
            { outcome_alert(&outcome, *busy, &stop) }
            <section class="card">
                <div class="toolbar toolbar-narrow">
                    <SelectField id="product-filter-status" label={text::STATUS} value={(*status).clone()}
                        options={statuses} onchange={setter(&status)} />
                </div>
                { body }
            </section>
            { dialog }
        </>
    }
}

fn outcome_alert(outcome: &Option<Outcome>, busy: bool, stop: &Callback<ProductDto>) -> Html {
    match outcome {
        None => Html::default(),
        Some(Outcome::Done(message)) => html! {
            <Alert kind={AlertKind::Success} id="product-result">{ message.clone() }</Alert>
        },
        Some(Outcome::Failed(message)) => html! {
            <Alert kind={AlertKind::Error} id="product-delete-error">{ message.clone() }</Alert>
        },
        Some(Outcome::InUse(message, product)) => {
            let product = (**product).clone();
            html! {
                <Alert kind={AlertKind::Error} id="product-delete-error">
                    <p class="warning-text">{ message.clone() }</p>
                    <p class="warning-hint">{ text::STOP_SELLING_HINT }</p>
                    if product.status == "selling" {
                        <button type="button" id="product-stop" class="btn btn-outline btn-small" disabled={busy}
                            onclick={stop.reform(move |_: MouseEvent| product.clone())}>
                            { text::STOP_SELLING }
                        </button>
                    }
                </Alert>
            }
        }
    }
}
