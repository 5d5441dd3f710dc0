use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::alert::{Alert, AlertKind};
use crate::components::loading::Loading;
use crate::hooks::{Remote, use_remote};
use crate::text;

/// The retention periods in force, the last run, and "Chạy ngay" (`#retention-run`).
#[component]
pub fn RetentionCard() -> Html {
    let reload = use_state(|| 0_u32);
    let policy = use_remote(*reload, |_| api::retention_policy());
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let on_run = {
        let (reload, busy, error) = (reload.clone(), busy.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let (reload, busy, error) = (reload.clone(), busy.clone(), error.clone());
            busy.set(true);
            spawn_local(async move {
                match api::retention_run().await {
                    Ok(_) => error.set(None),
                    Err(e) => error.set(Some(e.message())),
                }
                busy.set(false);
                reload.set(*reload + 1);
            });
        })
    };
    let body = match &*policy {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error}>{ message.clone() }</Alert>
        },
        Remote::Ready(p) => html! {
            <>
                <dl class="retention-rules" id="retention-rules">
                    for (what, rule) in text::retention_rules(p) {
                        <div><dt>{ what }</dt><dd>{ rule }</dd></div>
                    }
                </dl>
                <p class="muted">
                    { match p.interval_hours {
                        Some(h) => text::retention_schedule(h),
                        None => text::RETENTION_ON_REQUEST.to_owned(),
                    } }
                </p>
                <p id="retention-last">
                    { p.last_run.as_ref().map_or_else(|| text::RETENTION_NEVER.to_owned(), text::retention_last_run) }
                </p>
            </>
        },
    };
    html! {
        <section class="card" id="retention-card">
            <h2 class="card-title">{ text::RETENTION_TITLE }</h2>
            <p class="muted">{ text::RETENTION_INTRO }</p>
            { body }
            if let Some(message) = &*error {
                <Alert kind={AlertKind::Error} id="retention-error">{ message.clone() }</Alert>
            }
            <button type="button" id="retention-run" class="btn btn-outline" disabled={*busy} onclick={on_run}>
                { if *busy { text::RETENTION_RUNNING } else { text::RETENTION_RUN } }
            </button>
        </section>
    }
}
