//! `/zalo/compose` (`zalo.send`): the CSKH composer. Contacts come from the care queue
//! (what the user may see); each template parameter is either typed once for all, or
//! left empty to be filled from each contact (`…name…` → full name, `…code…` → code,
//! otherwise the template's sample). Sending queues one delivery per contact.

use std::collections::BTreeMap;

use api_types::{ContactDto, ZaloComposeMessage, ZaloComposeRequest, ZaloTemplateDto};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api::{self, ContactQuery};
use crate::components::alert::{Alert, AlertKind};
use crate::components::loading::Loading;
use crate::hooks::{Remote, use_remote};
use crate::text;

/// The value a contact gets for `param` when the user typed none.
pub fn auto_value(param: &str, sample: &str, contact: &ContactDto) -> String {
    let lower = param.to_ascii_lowercase();
    if lower.contains("name") || lower.contains("ten") {
        contact.full_name.clone()
    } else if lower.contains("code") || lower.contains("ma_") {
        contact.code.clone()
    } else {
        sample.to_owned()
    }
}

fn params_for(
    template: &ZaloTemplateDto,
    typed: &BTreeMap<String, String>,
    contact: &ContactDto,
) -> BTreeMap<String, String> {
    template
        .params
        .iter()
        .map(|p| {
            let value = typed
                .get(&p.name)
                .filter(|v| !v.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| auto_value(&p.name, &p.sample, contact));
            (p.name.clone(), value)
        })
        .collect()
}

fn request_id() -> String {
    let now = js_sys::Date::now() as u64;
    let noise = (js_sys::Math::random() * 1e12) as u64;
    format!("{now:x}-{noise:x}")
}

#[component]
pub fn ZaloCompose() -> Html {
    let search = use_state(String::new);
    let contacts = use_remote((*search).clone(), |q| async move {
        let query = ContactQuery {
            q,
            status: text::CARE_STATUSES.to_owned(),
            page: 1,
            per_page: 50,
            ..ContactQuery::default()
        };
        api::contacts(&query).await
    });
    let templates = use_remote((), |()| api::zalo_templates());
    let selected = use_state(Vec::<ContactDto>::new);
    let template_id = use_state(|| None::<i64>);
    let typed = use_state(BTreeMap::<String, String>::new);
    let outcome = use_state(|| None::<Result<String, String>>);

    let enabled: Vec<ZaloTemplateDto> = match &*templates {
        Remote::Ready(list) => list.iter().filter(|t| t.enabled).cloned().collect(),
        _ => Vec::new(),
    };
    let template = enabled.iter().find(|t| Some(t.id) == *template_id).cloned();

    let on_search = {
        let search = search.clone();
        Callback::from(move |e: InputEvent| {
            search.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_template = {
        let (template_id, typed) = (template_id.clone(), typed.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            template_id.set(value.parse().ok());
            typed.set(BTreeMap::new());
        })
    };
    let toggle = |contact: ContactDto| {
        let selected = selected.clone();
        Callback::from(move |_: Event| {
            let mut list = (*selected).clone();
            if let Some(at) = list.iter().position(|c| c.id == contact.id) {
                list.remove(at);
            } else {
                list.push(contact.clone());
            }
            selected.set(list);
        })
    };
    let on_param = |name: String| {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            let mut map = (*typed).clone();
            map.insert(
                name.clone(),
                e.target_unchecked_into::<HtmlInputElement>().value(),
            );
            typed.set(map);
        })
    };
    let on_send = {
        let (selected, typed, outcome, template) = (
            selected.clone(),
            typed.clone(),
            outcome.clone(),
            template.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(template) = template.clone().filter(|_| !selected.is_empty()) else {
                outcome.set(Some(Err(text::ZALO_COMPOSE_NOTHING.to_owned())));
                return;
            };
            let body = ZaloComposeRequest {
                template_id: template.id,
                request_id: request_id(),
                messages: selected
                    .iter()
                    .map(|c| ZaloComposeMessage {
                        contact_id: c.id,
                        params: params_for(&template, &typed, c),
                    })
                    .collect(),
            };
            let outcome = outcome.clone();
            spawn_local(async move {
                outcome.set(Some(match api::zalo_send(&body).await {
                    Ok(done) => Ok(text::zalo_compose_queued(done.queued)),
                    Err(err) => Err(err.message()),
                }));
            });
        })
    };

    let contact_list = match &*contacts {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => {
            html! { <Alert kind={AlertKind::Error}>{ message.clone() }</Alert> }
        }
        Remote::Ready(page) if page.items.is_empty() => html! {
            <p class="empty-state">{ text::ZALO_COMPOSE_NO_CONTACTS }</p>
        },
        Remote::Ready(page) => html! {
            <ul class="pick-list" id="zalo-compose-contacts">
                for c in page.items.iter() {
                    <li>
                        <label>
                            <input type="checkbox" data-contact={c.id.to_string()}
                                checked={selected.iter().any(|s| s.id == c.id)}
                                onchange={toggle(c.clone())} />
                            { format!(" {} — {} ({})", c.code, c.full_name, c.phone) }
                        </label>
                    </li>
                }
            </ul>
        },
    };
    let preview = match &template {
        Some(t) if !selected.is_empty() => html! {
            <ul id="zalo-compose-preview">
                for c in selected.iter() {
                    <li data-preview={c.id.to_string()}>
                        <strong>{ format!("{} — {}: ", c.full_name, t.name) }</strong>
                        { params_for(t, &typed, c).iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; ") }
                    </li>
                }
            </ul>
        },
        _ => Html::default(),
    };
    let result = match &*outcome {
        Some(Ok(message)) => html! {
            <Alert kind={AlertKind::Success} id="zalo-compose-result">{ message.clone() }</Alert>
        },
        Some(Err(message)) => html! {
            <Alert kind={AlertKind::Error} id="zalo-compose-result">{ message.clone() }</Alert>
        },
        None => Html::default(),
    };
    html! {
        <>
            <div class="page-header"><h1>{ text::ZALO_COMPOSE_TITLE }</h1></div>
            <p class="muted">{ text::ZALO_COMPOSE_INTRO }</p>
            { result }
            <section class="card">
                <label>{ text::ZALO_COMPOSE_SEARCH }
                    <input id="zalo-compose-search" value={(*search).clone()} oninput={on_search} />
                </label>
                { contact_list }
            </section>
            <section class="card">
                <label>{ text::ZALO_COMPOSE_TEMPLATE }
                    <select id="zalo-compose-template" onchange={on_template}>
                        <option value="" selected={template_id.is_none()}>{ text::ZALO_COMPOSE_CHOOSE_TEMPLATE }</option>
                        for t in enabled.iter() {
                            <option value={t.id.to_string()} selected={Some(t.id) == *template_id}>{ t.name.clone() }</option>
                        }
                    </select>
                </label>
                if let Some(t) = &template {
                    for p in t.params.iter() {
                        <label>{ p.name.clone() }
                            <input data-param={p.name.clone()} placeholder={text::ZALO_COMPOSE_AUTO}
                                value={typed.get(&p.name).cloned().unwrap_or_default()}
                                oninput={on_param(p.name.clone())} />
                        </label>
                    }
                }
            </section>
            <section class="card">
                <h2>{ text::ZALO_COMPOSE_PREVIEW }</h2>
                { preview }
                <button type="button" id="zalo-compose-send" class="btn btn-primary" onclick={on_send}>
                    { text::ZALO_COMPOSE_SEND }
                </button>
            </section>
        </>
    }
}
