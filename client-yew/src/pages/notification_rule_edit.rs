use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::loading::Loading;
use crate::components::rule_form::RuleForm;
use crate::hooks::{Remote, use_remote};
use crate::text;

#[derive(Properties, PartialEq)]
pub struct NotificationRuleEditProps {
    pub id: i64,
}

#[component]
pub fn NotificationRuleEdit(props: &NotificationRuleEditProps) -> Html {
    let rule = use_remote(props.id, api::notification_rule);
    let options = use_remote((), |()| api::notification_rule_options());
    let body = match (&*rule, &*options) {
        (Remote::Failed(message), _) | (_, Remote::Failed(message)) => html! {
            <Alert kind={AlertKind::Error} id="rule-load-error">{ message.clone() }</Alert>
        },
        (Remote::Ready(rule), Remote::Ready(options)) => html! {
            <RuleForm key={rule.id} existing={rule.clone()} options={options.clone()} />
        },
        _ => html! { <Loading /> },
    };
    html! {
        <>
            <div class="page-header">
                <Link<Route> to={Route::NotificationRules} classes="link back-link">{ text::BACK_TO_RULES }</Link<Route>>
                <h1>{ text::RULE_EDIT_TITLE }</h1>
            </div>
            { body }
        </>
    }
}
