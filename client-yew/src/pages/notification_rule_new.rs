use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::loading::Loading;
use crate::components::rule_form::RuleForm;
use crate::hooks::{Remote, use_remote};
use crate::text;

#[component]
pub fn NotificationRuleNew() -> Html {
    let options = use_remote((), |()| api::notification_rule_options());
    let body = match &*options {
        Remote::Loading => html! { <Loading /> },
        Remote::Failed(message) => html! {
            <Alert kind={AlertKind::Error} id="rule-load-error">{ message.clone() }</Alert>
        },
        Remote::Ready(options) => html! { <RuleForm options={options.clone()} /> },
    };
    html! {
        <>
            <div class="page-header">
                <Link<Route> to={Route::NotificationRules} classes="link back-link">{ text::BACK_TO_RULES }</Link<Route>>
                <h1>{ text::RULE_NEW_TITLE }</h1>
            </div>
            { body }
        </>
    }
}
