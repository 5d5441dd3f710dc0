use api_types::NotificationRuleDto;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::loading::Loading;
use crate::components::rule_table::RuleTable;
use crate::hooks::{Remote, use_remote};
use crate::nav;
use crate::rule_draft::switched;
use crate::state::use_session_guard;
use crate::text;

/// Notification rules (`notifications.manage`): "Thêm quy tắc" (`#rule-new`) and each
/// rule's switch, edit and delete; outcomes in `#rule-result` or `#rule-action-error`.
#[component]
pub fn NotificationRules() -> Html {
    let reload = use_state(|| 0_u32);
    let list = use_remote(*reload, |_| api::notification_rules());
    let options = use_remote((), |()| api::notification_rule_options());
    let asking = use_state(|| None::<NotificationRuleDto>);
    let deleting = use_state(|| false);
    let switching = use_state(|| None::<i64>);
    let outcome = use_state(|| None::<(AlertKind, String)>);
    let guard = use_session_guard();
    let navigator = use_navigator();

    let done = {
        let (outcome, reload, guard) = (outcome.clone(), reload.clone(), guard.clone());
        move |result: Result<String, api::ApiError>| match result {
            Ok(message) => {
                outcome.set(Some((AlertKind::Success, message)));
                reload.set(*reload + 1);
            }
            Err(e) => {
                if let Some(e) = guard.check(e) {
                    outcome.set(Some((AlertKind::Error, e.message())));
                }
            }
        }
    };
    let on_switch = {
        let (switching, done) = (switching.clone(), done.clone());
        Callback::from(move |(rule, enabled): (NotificationRuleDto, bool)| {
            switching.set(Some(rule.id));
            let (switching, done) = (switching.clone(), done.clone());
            spawn_local(async move {
                let saved = api::update_notification_rule(rule.id, &switched(&rule, enabled)).await;
                switching.set(None);
                done(saved.map(|r| text::rule_switched(&r.name, r.enabled)));
            });
        })
    };
    let ask = {
        let (asking, outcome) = (asking.clone(), outcome.clone());
        Callback::from(move |rule: NotificationRuleDto| {
            outcome.set(None);
            asking.set(Some(rule));
        })
    };
    let cancel = {
        let asking = asking.clone();
        Callback::from(move |()| asking.set(None))
    };
    let delete = {
        let (asking, deleting) = (asking.clone(), deleting.clone());
        Callback::from(move |()| {
            let Some(rule) = (*asking).clone() else {
                return;
            };
            deleting.set(true);
            let (asking, deleting, done) = (asking.clone(), deleting.clone(), done.clone());
            spawn_local(async move {
                let result = api::delete_notification_rule(rule.id).await;
                deleting.set(false);
                asking.set(None);
                done(result.map(|()| text::rule_deleted(&rule.name)));
            });
        })
    };

    let body = match (&*list, &*options) {
        (Remote::Failed(message), _) | (_, Remote::Failed(message)) => html! {
            <Alert kind={AlertKind::Error} id="rules-error">{ message.clone() }</Alert>
        },
        (Remote::Ready(list), Remote::Ready(_)) if list.is_empty() => html! {
            <p id="rules-empty" class="empty-state">{ text::RULES_EMPTY }</p>
        },
        (Remote::Ready(list), Remote::Ready(options)) => html! {
            <RuleTable items={list.clone()} options={options.clone()} {on_switch}
                on_delete={ask} busy_id={*switching} />
        },
        _ => html! { <Loading /> },
    };
    let result = (*outcome).clone().map(|(kind, message)| {
        let id = match kind {
            AlertKind::Success => "rule-result",
            AlertKind::Error => "rule-action-error",
        };
        html! { <Alert {kind} {id}>{ message }</Alert> }
    });
    html! {
        <>
            <div class="page-header page-header-row">
                <div>
                    <h1>{ text::RULES_TITLE }</h1>
                    <p class="muted">{ text::RULES_INTRO }</p>
                </div>
                <a id="rule-new" class="btn btn-primary" href={Route::NotificationRuleNew.to_path()}
                    onclick={nav::follow(&navigator, Route::NotificationRuleNew)}>
                    { text::RULE_NEW }
                </a>
            </div>
            { result }
            <section class="card">{ body }</section>
            if let Some(rule) = &*asking {
                <ConfirmDialog title={text::RULE_DELETE_TITLE} message={text::rule_delete_question(&rule.name)}
                    confirm_label={text::DELETE} busy={*deleting} on_confirm={delete} on_cancel={cancel} />
            }
        </>
    }
}
