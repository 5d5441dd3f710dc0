use api_types::{RuleConditions, TemplatePreview, TemplatePreviewRequest, ZaloRuleMessage};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::hooks::{SEARCH_DELAY, use_debounced};
use crate::state::use_session_guard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct RulePreviewProps {
    pub trigger: AttrValue,
    pub conditions: RuleConditions,
    pub template_title: AttrValue,
    pub template_body: AttrValue,
    /// The ZNS message to the contact, when the rule sends one.
    #[prop_or_default]
    pub zalo: Option<ZaloRuleMessage>,
    /// The Messenger text to the contact, when the rule sends one.
    #[prop_or_default]
    pub facebook_text: Option<AttrValue>,
}

/// The rule form's live preview (`#rule-preview`): the title and body rendered with
/// sample values (`#rule-preview-title`, `#rule-preview-body`) and who the rule would
/// reach now (`#rule-preview-recipients`, `li[data-username]`), and the messages to the
/// customer with the sample contact filled in (`#rule-preview-zalo` with
/// `dd[data-param]`, `#rule-preview-facebook`), asked of the server once typing
/// pauses, so it is exactly what the worker would do.
#[component]
pub fn RulePreview(props: &RulePreviewProps) -> Html {
    let shown = use_state(|| None::<Result<TemplatePreview, String>>);
    let waiting = use_state(|| true);
    // The newest request wins: an older answer arriving late is dropped.
    let latest = use_mut_ref(|| 0_u64);
    let guard = use_session_guard();
    let request = TemplatePreviewRequest {
        template_title: props.template_title.to_string(),
        template_body: props.template_body.to_string(),
        contact_id: None,
        trigger: Some(props.trigger.to_string()),
        conditions: Some(props.conditions.clone()),
        zalo: props.zalo.clone(),
        facebook_text: props.facebook_text.as_ref().map(ToString::to_string),
    };
    // The request as text is what the debounce compares: any change restarts the wait.
    let key = serde_json::to_string(&request).unwrap_or_default();
    {
        let waiting = waiting.clone();
        use_effect_with(key.clone(), move |_| waiting.set(true));
    }
    let on_settled = {
        let (shown, waiting) = (shown.clone(), waiting.clone());
        Callback::from(move |settled: String| {
            let Ok(request) = serde_json::from_str::<TemplatePreviewRequest>(&settled) else {
                return;
            };
            let number = {
                let mut latest = latest.borrow_mut();
                *latest += 1;
                *latest
            };
            let (shown, waiting, latest, guard) = (
                shown.clone(),
                waiting.clone(),
                latest.clone(),
                guard.clone(),
            );
            spawn_local(async move {
                let answer = api::preview_notification_rule(&request).await;
                if *latest.borrow() != number {
                    return;
                }
                waiting.set(false);
                match answer {
                    Ok(preview) => shown.set(Some(Ok(preview))),
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            shown.set(Some(Err(e.message())));
                        }
                    }
                }
            });
        })
    };
    use_debounced(key, SEARCH_DELAY, on_settled);

    let body = match &*shown {
        None => html! {},
        Some(Err(message)) => html! {
            <p id="rule-preview-error" class="field-error" role="alert">{ message.clone() }</p>
        },
        Some(Ok(preview)) => html! {
            <>
                <div class="preview-message">
                    <p id="rule-preview-title" class="preview-title">{ preview.title.clone() }</p>
                    <p id="rule-preview-body" class="preview-body">{ preview.body.clone() }</p>
                </div>
                if let Some(zns) = &preview.zalo {
                    <h3 class="preview-subtitle">{ text::PREVIEW_ZALO }</h3>
                    <div id="rule-preview-zalo" class="preview-message">
                        <p class="preview-title">{ zns.template_name.clone() }</p>
                        <dl class="preview-params">
                            for param in &zns.params {
                                <dt>{ param.name.clone() }</dt>
                                <dd data-param={param.name.clone()}>{ param.value.clone() }</dd>
                            }
                        </dl>
                    </div>
                }
                if let Some(message) = &preview.facebook {
                    <h3 class="preview-subtitle">{ text::PREVIEW_FACEBOOK }</h3>
                    <div id="rule-preview-facebook" class="preview-message">
                        <p class="preview-body">{ message.clone() }</p>
                    </div>
                }
                if let Some(reach) = &preview.recipients {
                    <h3 class="preview-subtitle">
                        { text::PREVIEW_RECIPIENTS }
                        <span id="rule-preview-count" class="choice-count">
                            { text::preview_recipient_count(reach.people.len()) }
                        </span>
                    </h3>
                    if reach.people.is_empty() {
                        <p id="rule-preview-nobody" class="muted-small">{ text::PREVIEW_NOBODY }</p>
                    } else {
                        <ul id="rule-preview-recipients" class="preview-people">
                            for person in &reach.people {
                                <li data-username={person.username.clone()}>
                                    { person.full_name.clone() }
                                    if let Some(team) = &person.team_name {
                                        <span class="choice-note">{ team.clone() }</span>
                                    }
                                </li>
                            }
                        </ul>
                    }
                    if reach.per_contact {
                        <p id="rule-preview-per-contact" class="field-hint">{ text::PREVIEW_PER_CONTACT }</p>
                    }
                }
            </>
        },
    };
    html! {
        <aside id="rule-preview" class="card rule-preview" aria-live="polite" aria-busy={waiting.to_string()}>
            <h2 class="preview-heading">{ text::PREVIEW_TITLE }</h2>
            <p class="muted-small">
                { if *waiting { text::PREVIEW_UPDATING } else { text::PREVIEW_INTRO } }
            </p>
            { body }
        </aside>
    }
}
