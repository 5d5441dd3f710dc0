use api_types::{
    CHANNELS, CUSTOMER_CHANNELS, NotificationRuleDto, RuleFormOptions, RuleOption, SOURCES,
    STATUSES, TRIGGERS, is_customer_channel, label,
};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::nav;
use crate::text;

#[derive(Properties, PartialEq)]
pub struct RuleTableProps {
    pub items: Vec<NotificationRuleDto>,
    /// Names for the ids the conditions hold.
    pub options: RuleFormOptions,
    /// `(rule, enabled)`.
    pub on_switch: Callback<(NotificationRuleDto, bool)>,
    pub on_delete: Callback<NotificationRuleDto>,
    /// The rule whose switch is being saved.
    #[prop_or_default]
    pub busy_id: Option<i64>,
}

/// The rules (`#rule-table`, rows `tr[data-rule-id]`): name, trigger, who receives it
/// and for which contacts, channels, an on/off switch (`input.rule-switch`), and links
/// to edit it, see its deliveries, or delete it (`button.rule-delete`).
#[component]
pub fn RuleTable(props: &RuleTableProps) -> Html {
    let navigator = use_navigator();
    html! {
        <div class="table-wrap">
            <table class="table" id="rule-table">
                <thead>
                    <tr>
                        <th scope="col">{ text::RULE_NAME }</th>
                        <th scope="col">{ text::RULE_TRIGGER }</th>
                        <th scope="col">{ text::RULE_AUDIENCE }</th>
                        <th scope="col">{ text::RULE_CHANNELS }</th>
                        <th scope="col">{ text::RULE_ENABLED }</th>
                        <th scope="col">{ text::RULE_ACTIONS }</th>
                    </tr>
                </thead>
                <tbody>
                    for rule in &props.items {
                        { row(rule, props, &navigator) }
                    }
                </tbody>
            </table>
        </div>
    }
}

fn row(rule: &NotificationRuleDto, props: &RuleTableProps, navigator: &Option<Navigator>) -> Html {
    let edit = Route::NotificationRuleEdit { id: rule.id };
    let enabled = rule.enabled;
    let on_switch = {
        let (rule, on_switch) = (rule.clone(), props.on_switch.clone());
        Callback::from(move |_: Event| on_switch.emit((rule.clone(), !enabled)))
    };
    let on_delete = {
        let (rule, on_delete) = (rule.clone(), props.on_delete.clone());
        Callback::from(move |_: MouseEvent| on_delete.emit(rule.clone()))
    };
    let deliveries = format!("/notification-deliveries?rule_id={}", rule.id);
    let open_deliveries = {
        let (navigator, link) = (navigator.clone(), deliveries.clone());
        Callback::from(move |event: MouseEvent| {
            if event.ctrl_key() || event.meta_key() || event.shift_key() {
                return;
            }
            event.prevent_default();
            if let Some(navigator) = &navigator {
                nav::open_link(navigator, &link);
            }
        })
    };
    let channels = rule
        .channels
        .iter()
        .map(|c| {
            if is_customer_channel(c) {
                label(CUSTOMER_CHANNELS, c)
            } else {
                label(CHANNELS, c)
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let filters = filters(rule, &props.options);
    html! {
        <tr data-rule-id={rule.id.to_string()} class={classes!((!enabled).then_some("row-muted"))}>
            <td data-label={text::RULE_NAME}><strong>{ rule.name.clone() }</strong></td>
            <td data-label={text::RULE_TRIGGER}>{ label(TRIGGERS, &rule.trigger) }</td>
            <td data-label={text::RULE_AUDIENCE} class="rule-audience">
                { audience(rule, &props.options) }
                if !filters.is_empty() {
                    <span class="muted-small rule-filters">{ filters }</span>
                }
            </td>
            <td data-label={text::RULE_CHANNELS}>{ channels }</td>
            <td data-label={text::RULE_ENABLED}>
                <label class="switch">
                    <input type="checkbox" class="rule-switch" role="switch" checked={enabled}
                        disabled={props.busy_id == Some(rule.id)}
                        aria-label={text::rule_toggle_label(&rule.name)} onchange={on_switch} />
                    <span class="switch-track" aria-hidden="true"></span>
                </label>
            </td>
            <td data-label={text::RULE_ACTIONS} class="row-actions">
                <a class="btn btn-outline btn-small rule-edit" href={edit.to_path()}
                    onclick={nav::follow(navigator, edit.clone())}>{ text::RULE_EDIT }</a>
                <a class="btn-link rule-deliveries" href={deliveries} onclick={open_deliveries}>
                    { text::DELIVERIES_OF_RULE }
                </a>
                <button type="button" class="btn-link btn-link-danger rule-delete" onclick={on_delete}>
                    { text::RULE_DELETE }
                </button>
            </td>
        </tr>
    }
}

/// "Sale · Hà Nội", or everyone who may see the contact when no list is given.
fn audience(rule: &NotificationRuleDto, options: &RuleFormOptions) -> String {
    let c = &rule.conditions;
    let users: Vec<String> = c
        .user_ids
        .iter()
        .map(|id| {
            options
                .users
                .iter()
                .find(|p| p.id == *id)
                .map_or_else(|| format!("#{id}"), |p| p.full_name.clone())
        })
        .collect();
    let parts: Vec<String> = [
        names(&c.role_ids, &options.roles),
        names(&c.team_ids, &options.teams),
        users.join(", "),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect();
    if parts.is_empty() {
        text::AUDIENCE_EVERYONE.to_owned()
    } else {
        parts.join(" · ")
    }
}

/// The contact filters, e.g. "Thành lập doanh nghiệp · Google".
fn filters(rule: &NotificationRuleDto, options: &RuleFormOptions) -> String {
    let c = &rule.conditions;
    let codes = |codes: &[String], table: &[(&str, &str)]| {
        codes
            .iter()
            .map(|code| label(table, code))
            .collect::<Vec<_>>()
            .join(", ")
    };
    [
        names(&c.service_type_ids, &options.service_types),
        codes(&c.sources, SOURCES),
        codes(&c.statuses, STATUSES),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(" · ")
}

fn names(ids: &[i64], known: &[RuleOption]) -> String {
    ids.iter()
        .map(|id| {
            known
                .iter()
                .find(|o| o.id == *id)
                .map_or_else(|| format!("#{id}"), |o| o.name.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}
