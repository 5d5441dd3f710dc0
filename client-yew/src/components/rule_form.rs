use api_types::{
    CHANNELS, CUSTOMER_CHANNELS, DELIVERING_CHANNELS, NotificationRuleDto, RuleFormOptions,
    SOURCES, STATUSES, TRIGGERS, ZaloRuleMessage, is_customer_channel,
};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::alert::{Alert, AlertKind};
use crate::components::choice_group::{Choice, ChoiceGroup};
use crate::components::form_field::FormField;
use crate::components::rule_preview::RulePreview;
use crate::components::select_field::SelectField;
use crate::components::submit_button::SubmitButton;
use crate::components::template_field::TemplateField;
use crate::components::zns_mapping::ZnsMapping;
use crate::form::{FormError, field_message, general_message};
use crate::live::use_offline;
use crate::rule_draft::{FIELDS, List, RuleDraft, form_field};
use crate::state::use_session_guard;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct RuleFormProps {
    /// The rule being edited; `None` creates one.
    #[prop_or_default]
    pub existing: Option<NotificationRuleDto>,
    pub options: RuleFormOptions,
}

/// Creates or edits a notification rule beside its live preview, then goes back to the
/// list: `#rule-name`, `#rule-trigger`, the condition groups (`#rule-roles`,
/// `#rule-teams`, `#rule-users`, `#rule-service-types`, `#rule-sources`,
/// `#rule-statuses`), `#rule-channels`, `#rule-title`, `#rule-body`, `#rule-enabled`,
/// `#rule-submit`. The customer channels the server offers (`zalo`, `facebook`) show
/// their message when ticked: the ZNS template and mapping (`#rule-zalo`, see
/// `ZnsMapping`) and the Messenger text (`#rule-facebook-text`). The server's refusals
/// sit beside the field they name; others in `#rule-error`.
#[component]
pub fn RuleForm(props: &RuleFormProps) -> Html {
    let draft = use_state(|| {
        props
            .existing
            .as_ref()
            .map(RuleDraft::from)
            .unwrap_or_default()
    });
    let busy = use_state(|| false);
    let error = use_state(|| None::<FormError>);
    let offline = use_offline();
    let guard = use_session_guard();
    let navigator = use_navigator();

    // Every edit goes through here: a copy of the draft, changed, stored.
    let edit = |change: fn(&mut RuleDraft, String)| {
        let draft = draft.clone();
        Callback::from(move |value: String| {
            let mut next = (*draft).clone();
            change(&mut next, value);
            draft.set(next);
        })
    };
    let toggle = |list: List| {
        let draft = draft.clone();
        Callback::from(move |(value, checked): (String, bool)| {
            let mut next = (*draft).clone();
            next.toggle(list, &value, checked);
            draft.set(next);
        })
    };
    let on_channel = {
        let draft = draft.clone();
        Callback::from(move |(value, checked): (String, bool)| {
            let mut next = (*draft).clone();
            next.toggle_channel(&value, checked);
            draft.set(next);
        })
    };
    let on_enabled = {
        let draft = draft.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let mut next = (*draft).clone();
            next.enabled = input.checked();
            draft.set(next);
        })
    };
    let onsubmit = {
        let (draft, busy, error) = (draft.clone(), busy.clone(), error.clone());
        let id = props.existing.as_ref().map(|r| r.id);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *busy {
                return;
            }
            let request = match draft.request() {
                Ok(request) => request,
                Err(problem) => {
                    error.set(Some(problem));
                    return;
                }
            };
            error.set(None);
            busy.set(true);
            let (busy, error, guard, navigator) = (
                busy.clone(),
                error.clone(),
                guard.clone(),
                navigator.clone(),
            );
            spawn_local(async move {
                let saved = match id {
                    None => api::create_notification_rule(&request).await,
                    Some(id) => api::update_notification_rule(id, &request).await,
                };
                busy.set(false);
                match saved {
                    Ok(_) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::NotificationRules);
                        }
                    }
                    Err(e) => {
                        if let Some(e) = guard.check(e) {
                            let mut problem = FormError::from_api(&e, FIELDS);
                            let field = e.body.field.as_deref().map(form_field);
                            problem.field =
                                field.and_then(|f| FIELDS.iter().copied().find(|k| *k == f));
                            error.set(Some(problem));
                        }
                    }
                }
            });
        })
    };

    let options = &props.options;
    let group = |id: &'static str, legend: &'static str, list: List, choices: Vec<Choice>| {
        html! {
            <ChoiceGroup {id} {legend} {choices} selected={draft.selected(list)}
                on_toggle={toggle(list)} error={field_message(&error, list.field())} />
        }
    };
    let named = |items: &[api_types::RuleOption]| -> Vec<Choice> {
        items
            .iter()
            .map(|o| Choice::new(o.id.to_string(), o.name.clone()))
            .collect()
    };
    let listed = |items: &[(&'static str, &'static str)]| -> Vec<Choice> {
        items
            .iter()
            .map(|(code, name)| Choice::new(*code, *name))
            .collect()
    };
    let people: Vec<Choice> = options
        .users
        .iter()
        .map(|p| Choice {
            note: p.team_name.clone().map(AttrValue::from),
            ..Choice::new(p.id.to_string(), p.full_name.clone())
        })
        .collect();
    // Customer channels are offered only once the server is set up for them (a rule
    // already naming one keeps showing it, so it can be unticked).
    let customer_offered = |code: &str| {
        options.customer_channels.iter().any(|c| c == code) || draft.channels.contains(code)
    };
    let channels: Vec<Choice> = CHANNELS
        .iter()
        .filter(|(code, _)| !is_customer_channel(code))
        .map(|(code, name)| {
            let soon = !DELIVERING_CHANNELS.contains(code);
            Choice {
                note: soon.then_some(AttrValue::Static(text::RULE_CHANNEL_SOON)),
                disabled: soon,
                ..Choice::new(*code, *name)
            }
        })
        .chain(
            CUSTOMER_CHANNELS
                .iter()
                .filter(|(code, _)| customer_offered(code))
                .map(|(code, name)| Choice::new(*code, *name)),
        )
        .collect();
    let on_zalo_template = {
        let (draft, templates) = (draft.clone(), options.zalo_templates.clone());
        Callback::from(move |id: Option<i64>| {
            let mut next = (*draft).clone();
            next.pick_zalo_template(id.and_then(|id| templates.iter().find(|t| t.id == id)));
            draft.set(next);
        })
    };
    let on_zalo_param = {
        let draft = draft.clone();
        Callback::from(move |(name, value): (String, String)| {
            let mut next = (*draft).clone();
            next.zalo_params.insert(name, value);
            draft.set(next);
        })
    };
    let wants_zalo = draft.channels.contains("zalo");
    let wants_facebook = draft.channels.contains("facebook");
    let preview_zalo = wants_zalo
        .then_some(draft.zalo_template_id)
        .flatten()
        .map(|template_id| ZaloRuleMessage {
            template_id,
            params: draft.zalo_params.clone(),
        });
    let preview_facebook = wants_facebook.then(|| AttrValue::from(draft.facebook_text.clone()));
    let triggers: Vec<(AttrValue, AttrValue)> = TRIGGERS
        .iter()
        .map(|(code, name)| (AttrValue::Static(code), AttrValue::Static(name)))
        .collect();
    let submit = if props.existing.is_some() {
        text::SAVE_CHANGES
    } else {
        text::RULE_CREATE_SUBMIT
    };

    html! {
        <div class="rule-layout">
            <form class="form rule-form card" {onsubmit} novalidate=true>
                if let Some(message) = general_message(&error) {
                    <Alert kind={AlertKind::Error} id="rule-error">{ message }</Alert>
                }
                <FormField id="rule-name" label={text::RULE_NAME} value={draft.name.clone()}
                    oninput={edit(|d, v| d.name = v)} autocomplete="off" hint={text::RULE_NAME_HINT}
                    error={field_message(&error, "name")} />

                <h2 class="rule-section">{ text::RULE_SECTION_WHEN }</h2>
                <SelectField id="rule-trigger" label={text::RULE_TRIGGER} value={draft.trigger.clone()}
                    options={triggers} onchange={edit(|d, v| d.trigger = v)}
                    error={field_message(&error, "trigger")} />

                <h2 class="rule-section">{ text::RULE_SECTION_WHO }</h2>
                <p class="field-hint">{ text::RULE_SECTION_WHO_HINT }</p>
                <div class="rule-groups">
                    { group("rule-roles", text::RULE_ROLES, List::Roles, named(&options.roles)) }
                    { group("rule-teams", text::RULE_TEAMS, List::Teams, named(&options.teams)) }
                </div>
                <ChoiceGroup id="rule-users" legend={text::RULE_USERS} choices={people}
                    selected={draft.selected(List::Users)} on_toggle={toggle(List::Users)}
                    filter_label={text::RULE_USERS_FILTER}
                    error={field_message(&error, List::Users.field())} />

                <h2 class="rule-section">{ text::RULE_SECTION_FILTER }</h2>
                <p class="field-hint">{ text::RULE_SECTION_FILTER_HINT }</p>
                <div class="rule-groups">
                    { group("rule-service-types", text::RULE_SERVICE_TYPES, List::ServiceTypes, named(&options.service_types)) }
                    { group("rule-sources", text::RULE_SOURCES, List::Sources, listed(SOURCES)) }
                    { group("rule-statuses", text::RULE_STATUSES, List::Statuses, listed(STATUSES)) }
                </div>

                <h2 class="rule-section">{ text::RULE_SECTION_HOW }</h2>
                <ChoiceGroup id="rule-channels" legend={text::RULE_CHANNELS} choices={channels}
                    selected={draft.channels.clone()} on_toggle={on_channel}
                    error={field_message(&error, "channels")} />

                if wants_zalo || wants_facebook {
                    <h2 class="rule-section">{ text::RULE_SECTION_CUSTOMER }</h2>
                    <p class="field-hint">{ text::RULE_SECTION_CUSTOMER_HINT }</p>
                }
                if wants_zalo {
                    <ZnsMapping templates={options.zalo_templates.clone()}
                        template_id={draft.zalo_template_id} params={draft.zalo_params.clone()}
                        on_template={on_zalo_template} on_param={on_zalo_param}
                        template_error={field_message(&error, "zalo.template_id")}
                        params_error={field_message(&error, crate::rule_draft::ZALO_PARAMS_FIELD)} />
                }
                if wants_facebook {
                    <TemplateField id="rule-facebook-text" label={text::RULE_FACEBOOK_TEXT} multiline=true
                        value={draft.facebook_text.clone()} oninput={edit(|d, v| d.facebook_text = v)}
                        error={field_message(&error, "facebook_text")} />
                }

                <h2 class="rule-section">{ text::RULE_SECTION_WHAT }</h2>
                if !draft.to_staff() {
                    <p id="rule-staff-optional" class="field-hint">{ text::RULE_STAFF_TEXT_OPTIONAL }</p>
                }
                <TemplateField id="rule-title" label={text::RULE_TEMPLATE_TITLE}
                    value={draft.template_title.clone()} oninput={edit(|d, v| d.template_title = v)}
                    error={field_message(&error, "template_title")} />
                <TemplateField id="rule-body" label={text::RULE_TEMPLATE_BODY} multiline=true
                    value={draft.template_body.clone()} oninput={edit(|d, v| d.template_body = v)}
                    error={field_message(&error, "template_body")} />

                <div class="field field-checkbox">
                    <label class="checkbox" for="rule-enabled">
                        <input id="rule-enabled" type="checkbox" checked={draft.enabled} onchange={on_enabled} />
                        { text::RULE_ENABLED_LABEL }
                    </label>
                </div>
                <SubmitButton id="rule-submit" label={submit} busy_label={text::SAVING} busy={*busy} {offline} />
            </form>
            <RulePreview trigger={draft.trigger.clone()} conditions={draft.conditions.clone()}
                template_title={draft.template_title.clone()} template_body={draft.template_body.clone()}
                zalo={preview_zalo} facebook_text={preview_facebook} />
        </div>
    }
}
