use api_types::ServiceTypeDto;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::loading::Loading;
use crate::components::service_type_dialog::ServiceTypeDialog;
use crate::hooks::{Remote, use_remote};
use crate::text;

/// The dialog on top of the list, if any.
#[derive(Debug, Clone, PartialEq)]
enum Open {
    New,
    Edit(ServiceTypeDto),
}

/// Service types with their daily pick limits; "Thêm loại dịch vụ" (`#st-new`) and each
/// row's "Sửa" (`button[data-edit-service-type="<code>"]`) open the dialog.
#[component]
pub fn ServiceTypes() -> Html {
    let reload = use_state(|| 0_u32);
    let list = use_remote(*reload, |_| api::service_types());
    let open = use_state(|| None::<Open>);

    let on_new = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(Some(Open::New)))
    };
    let on_edit = {
        let open = open.clone();
        Callback::from(move |st: ServiceTypeDto| open.set(Some(Open::Edit(st))))
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
    let body = match &*list {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="service-types-error">{ message.clone() }</Alert>
        },
        Remote::Ready(list) if list.is_empty() => html! {
            <p id="service-types-empty" class="empty-state">{ text::NO_SERVICE_TYPES }</p>
        },
        Remote::Ready(list) => table(list, &on_edit),
    };
    let dialog = match (*open).clone() {
        None => Html::default(),
        Some(Open::New) => html! { <ServiceTypeDialog on_done={done} on_close={close} /> },
        Some(Open::Edit(st)) => html! {
            <ServiceTypeDialog key={st.id} existing={st.clone()} on_done={done} on_close={close} />
        },
    };
    html! {
        <>
            <div class="page-header page-header-row">
                <h1>{ text::SERVICE_TYPES_TITLE }</h1>
                <button type="button" id="st-new" class="btn btn-primary" onclick={on_new}>
                    { text::SERVICE_TYPE_NEW }
                </button>
            </div>
            <p class="muted">{ text::SERVICE_TYPES_INTRO }</p>
            <section class="card">{ body }</section>
            { dialog }
        </>
    }
}

fn table(list: &[ServiceTypeDto], on_edit: &Callback<ServiceTypeDto>) -> Html {
    html! {
        <div class="table-wrap">
            <table class="table" id="service-types-table">
                <thead>
                    <tr>
                        <th scope="col">{ text::ST_CODE }</th>
                        <th scope="col">{ text::ST_NAME }</th>
                        <th scope="col">{ text::DESCRIPTION }</th>
                        <th scope="col" class="numeric">{ text::ST_LIMIT }</th>
                        <th scope="col" class="numeric">{ text::ST_ORDER }</th>
                        <th scope="col">{ text::ST_VISIBLE }</th>
                        <th scope="col">{ text::ACTIONS }</th>
                    </tr>
                </thead>
                <tbody>
                    for st in list {
                        { row(st, on_edit) }
                    }
                </tbody>
            </table>
        </div>
    }
}

fn row(st: &ServiceTypeDto, on_edit: &Callback<ServiceTypeDto>) -> Html {
    let (badge, shown) = if st.active {
        ("badge-active", text::ST_SHOWN)
    } else {
        ("badge-muted", text::ST_HIDDEN)
    };
    let edited = st.clone();
    html! {
        <tr data-service-type={st.code.clone()}>
            <td data-label={text::ST_CODE}><code>{ st.code.clone() }</code></td>
            <td data-label={text::ST_NAME}>{ st.name.clone() }</td>
            <td data-label={text::DESCRIPTION}>
                { st.description.clone().unwrap_or_else(|| text::DASH.to_owned()) }
            </td>
            <td data-label={text::ST_LIMIT} class="numeric">{ st.daily_pick_limit }</td>
            <td data-label={text::ST_ORDER} class="numeric">{ st.sort_order }</td>
            <td data-label={text::ST_VISIBLE}><span class={classes!("badge", badge)}>{ shown }</span></td>
            <td data-label={text::ACTIONS}>
                <button type="button" class="btn btn-outline btn-small" data-edit-service-type={st.code.clone()}
                    onclick={on_edit.reform(move |_: MouseEvent| edited.clone())}>
                    { text::EDIT }
                </button>
            </td>
        </tr>
    }
}
