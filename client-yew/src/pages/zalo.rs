//! `/zalo`: the Zalo OA connection (the consent text — scopes, purpose, retention — is
//! shown before the connect button, policy 000 §13) and the ZNS templates.

use api_types::{
    ZALO_SCOPES, ZALO_STATUS_CONNECTED, ZALO_STATUS_NEEDS_RECONNECT, ZaloConnectionDto,
    ZaloTemplateDto, ZaloTemplateParam, ZaloTemplateRequest,
};
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::loading::Loading;
use crate::hooks::{Remote, use_remote};
use crate::text;

#[component]
pub fn Zalo() -> Html {
    let reload = use_state(|| 0_u32);
    let connection = use_remote(*reload, |_| api::zalo_connection());
    let templates = use_remote(*reload, |_| api::zalo_templates());
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let refresh = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };

    let on_connect = {
        let (error, busy) = (error.clone(), busy.clone());
        Callback::from(move |_: MouseEvent| {
            let (error, busy) = (error.clone(), busy.clone());
            busy.set(true);
            spawn_local(async move {
                match api::zalo_connect().await {
                    Ok(auth) => {
                        if let Some(window) = web_sys::window() {
                            let _ = window.location().set_href(&auth.authorization_url);
                        }
                    }
                    Err(err) => {
                        error.set(Some(err.message()));
                        busy.set(false);
                    }
                }
            });
        })
    };
    let on_disconnect = {
        let (error, refresh) = (error.clone(), refresh.clone());
        Callback::from(move |_: MouseEvent| {
            let (error, refresh) = (error.clone(), refresh.clone());
            spawn_local(async move {
                match api::zalo_disconnect().await {
                    Ok(()) => refresh.emit(()),
                    Err(err) => error.set(Some(err.message())),
                }
            });
        })
    };

    // Turns a template on or off, keeping everything else as it is.
    let on_toggle = {
        let (error, refresh) = (error.clone(), refresh.clone());
        Callback::from(move |t: ZaloTemplateDto| {
            let (error, refresh) = (error.clone(), refresh.clone());
            let body = ZaloTemplateRequest {
                zalo_template_id: t.zalo_template_id.clone(),
                name: t.name.clone(),
                params: t.params.clone(),
                enabled: !t.enabled,
            };
            spawn_local(async move {
                match api::zalo_template_update(t.id, &body).await {
                    Ok(_) => refresh.emit(()),
                    Err(err) => error.set(Some(err.message())),
                }
            });
        })
    };
    let card = match &*connection {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="zalo-error">{ message.clone() }</Alert>
        },
        Remote::Ready(c) => connection_card(c, *busy, on_connect, on_disconnect),
    };
    let list = match &*templates {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error}>{ message.clone() }</Alert>
        },
        Remote::Ready(list) => template_table(list, &on_toggle),
    };
    html! {
        <>
            <div class="page-header"><h1>{ text::ZALO_TITLE }</h1></div>
            if let Some(message) = &*error {
                <Alert kind={AlertKind::Error} id="zalo-action-error">{ message.clone() }</Alert>
            }
            <section class="card" id="zalo-connection">{ card }</section>
            <section class="card" id="zalo-templates">
                <h2>{ text::ZALO_TEMPLATES_TITLE }</h2>
                { list }
                <TemplateForm on_done={refresh} />
            </section>
        </>
    }
}

fn connection_card(
    c: &ZaloConnectionDto,
    busy: bool,
    on_connect: Callback<MouseEvent>,
    on_disconnect: Callback<MouseEvent>,
) -> Html {
    let (status, badge) = match c.status.as_str() {
        ZALO_STATUS_CONNECTED => (text::ZALO_CONNECTED, "badge-active"),
        ZALO_STATUS_NEEDS_RECONNECT => (text::ZALO_NEEDS_RECONNECT, "badge-warning"),
        _ => (text::ZALO_NOT_CONNECTED, "badge-muted"),
    };
    let connect_label =
        if c.status == ZALO_STATUS_CONNECTED || c.status == ZALO_STATUS_NEEDS_RECONNECT {
            text::ZALO_RECONNECT
        } else {
            text::ZALO_CONNECT
        };
    html! {
        <>
            <h2>{ text::ZALO_CONNECTION_TITLE }</h2>
            <p>
                { text::ZALO_STATUS_LABEL }{ ": " }
                <span id="zalo-status" class={classes!("badge", badge)} data-status={c.status.clone()}>
                    { status }
                </span>
            </p>
            if c.status == ZALO_STATUS_NEEDS_RECONNECT {
                <Alert kind={AlertKind::Error} id="zalo-reconnect-help">{ text::ZALO_RECONNECT_HELP }</Alert>
            }
            if let Some(name) = &c.oa_name {
                <p>{ text::ZALO_OA_NAME }{ ": " }<strong id="zalo-oa-name">{ name.clone() }</strong></p>
            }
            if !c.scopes.is_empty() {
                <p class="muted" id="zalo-scopes">{ text::ZALO_SCOPES_LABEL }{ ": " }{ c.scopes.join(", ") }</p>
            }
            if let Some(expires) = &c.access_expires_at {
                <p class="muted">{ text::ZALO_EXPIRES }{ ": " }{ expires.clone() }</p>
            }
            if let Some(by) = &c.connected_by {
                <p class="muted">
                    { text::ZALO_CONNECTED_BY }{ ": " }{ by.clone() }
                    { " — " }{ c.connected_at.clone().unwrap_or_default() }
                </p>
            }
            <div id="zalo-consent" class="consent">
                <p>{ text::ZALO_CONSENT_INTRO }</p>
                <ul>
                    for (code, purpose) in ZALO_SCOPES.iter() {
                        <li data-scope={*code}><code>{ *code }</code>{ " — " }{ *purpose }</li>
                    }
                </ul>
                <p>{ text::ZALO_CONSENT_PURPOSE }</p>
                <p>{ text::ZALO_CONSENT_RETENTION }</p>
            </div>
            if !c.configured {
                <p id="zalo-not-configured" class="muted">{ text::ZALO_NOT_CONFIGURED }</p>
            }
            <div class="actions">
                <button type="button" id="zalo-connect" class="btn btn-primary"
                    disabled={busy || !c.configured} onclick={on_connect}>
                    { if busy { text::ZALO_WORKING } else { connect_label } }
                </button>
                if c.status != api_types::ZALO_STATUS_NOT_CONNECTED {
                    <button type="button" id="zalo-disconnect" class="btn btn-outline" onclick={on_disconnect}>
                        { text::ZALO_DISCONNECT }
                    </button>
                }
            </div>
        </>
    }
}

fn template_table(list: &[ZaloTemplateDto], on_toggle: &Callback<ZaloTemplateDto>) -> Html {
    if list.is_empty() {
        return html! { <p id="zalo-templates-empty" class="empty-state">{ text::ZALO_NO_TEMPLATES }</p> };
    }
    html! {
        <div class="table-wrap">
            <table class="table" id="zalo-templates-table">
                <thead>
                    <tr>
                        <th scope="col">{ text::ZALO_TEMPLATE_NAME }</th>
                        <th scope="col">{ text::ZALO_TEMPLATE_ID }</th>
                        <th scope="col">{ text::ZALO_TEMPLATE_PARAMS }</th>
                        <th scope="col">{ text::ZALO_STATUS_LABEL }</th>
                        <th scope="col">{ text::ACTIONS }</th>
                    </tr>
                </thead>
                <tbody>
                    for t in list {
                        <tr data-zalo-template={t.zalo_template_id.clone()}>
                            <td data-label={text::ZALO_TEMPLATE_NAME}>{ t.name.clone() }</td>
                            <td data-label={text::ZALO_TEMPLATE_ID}><code>{ t.zalo_template_id.clone() }</code></td>
                            <td data-label={text::ZALO_TEMPLATE_PARAMS}>
                                { t.params.iter().map(|p| format!("{}={}", p.name, p.sample)).collect::<Vec<_>>().join(", ") }
                            </td>
                            <td data-label={text::ZALO_STATUS_LABEL}>
                                { if t.enabled { text::ZALO_TEMPLATE_ENABLED } else { text::ZALO_TEMPLATE_DISABLED } }
                            </td>
                            <td data-label={text::ACTIONS}>
                                <button type="button" class="btn btn-outline btn-small"
                                    data-toggle-zalo-template={t.zalo_template_id.clone()}
                                    onclick={ { let t = t.clone(); on_toggle.reform(move |_: MouseEvent| t.clone()) } }>
                                    { if t.enabled { text::ZALO_TEMPLATE_TURN_OFF } else { text::ZALO_TEMPLATE_TURN_ON } }
                                </button>
                            </td>
                        </tr>
                    }
                </tbody>
            </table>
        </div>
    }
}

/// `name=sample` per line.
fn parse_params(lines: &str) -> Vec<ZaloTemplateParam> {
    lines
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (name, sample) = l.split_once('=').unwrap_or((l, ""));
            ZaloTemplateParam {
                name: name.trim().to_owned(),
                sample: sample.trim().to_owned(),
            }
        })
        .collect()
}

#[derive(Properties, PartialEq)]
struct TemplateFormProps {
    on_done: Callback<()>,
}

#[component]
fn TemplateForm(props: &TemplateFormProps) -> Html {
    let zalo_id = use_state(String::new);
    let name = use_state(String::new);
    let params = use_state(String::new);
    let error = use_state(|| None::<String>);
    let input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            state.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_params = {
        let params = params.clone();
        Callback::from(move |e: InputEvent| {
            params.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_submit = {
        let (zalo_id, name, params, error) =
            (zalo_id.clone(), name.clone(), params.clone(), error.clone());
        let on_done = props.on_done.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = ZaloTemplateRequest {
                zalo_template_id: (*zalo_id).clone(),
                name: (*name).clone(),
                params: parse_params(&params),
                enabled: true,
            };
            let (zalo_id, name, params, error, on_done) = (
                zalo_id.clone(),
                name.clone(),
                params.clone(),
                error.clone(),
                on_done.clone(),
            );
            spawn_local(async move {
                match api::zalo_template_create(&body).await {
                    Ok(_) => {
                        zalo_id.set(String::new());
                        name.set(String::new());
                        params.set(String::new());
                        error.set(None);
                        on_done.emit(());
                    }
                    Err(err) => error.set(Some(err.message())),
                }
            });
        })
    };
    html! {
        <form id="zalo-template-form" class="form" onsubmit={on_submit}>
            if let Some(message) = &*error {
                <Alert kind={AlertKind::Error} id="zalo-template-error">{ message.clone() }</Alert>
            }
            <label>{ text::ZALO_TEMPLATE_ID }
                <input id="zalo-template-id" value={(*zalo_id).clone()} oninput={input(&zalo_id)} />
            </label>
            <label>{ text::ZALO_TEMPLATE_NAME }
                <input id="zalo-template-name" value={(*name).clone()} oninput={input(&name)} />
            </label>
            <label>{ text::ZALO_TEMPLATE_PARAMS }
                <textarea id="zalo-template-params" rows="3" value={(*params).clone()} oninput={on_params} />
            </label>
            <button type="submit" class="btn btn-primary">{ text::ZALO_TEMPLATE_ADD }</button>
        </form>
    }
}
