//! A notification rule being written: the form's state, its checks before sending,
//! and the request it becomes. Kept free of the page so it can be tested natively.

use std::collections::{BTreeMap, BTreeSet};

use api_types::{
    NotificationRuleDto, NotificationRuleRequest, PLACEHOLDERS, RuleConditions, ZaloRuleMessage,
    ZaloTemplateDto, is_customer_channel,
};

use crate::form::FormError;
use crate::text;

/// The lists a rule's conditions hold, by the name the server's errors use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Roles,
    Teams,
    Users,
    ServiceTypes,
    Sources,
    Statuses,
}

impl List {
    /// The server's `field` for this list.
    pub fn field(self) -> &'static str {
        match self {
            Self::Roles => "conditions.role_ids",
            Self::Teams => "conditions.team_ids",
            Self::Users => "conditions.user_ids",
            Self::ServiceTypes => "conditions.service_type_ids",
            Self::Sources => "conditions.sources",
            Self::Statuses => "conditions.statuses",
        }
    }
}

/// Every field the form can show a server error beside.
pub const FIELDS: &[&str] = &[
    "name",
    "trigger",
    "channels",
    "template_title",
    "template_body",
    "conditions.role_ids",
    "conditions.team_ids",
    "conditions.user_ids",
    "conditions.service_type_ids",
    "conditions.sources",
    "conditions.statuses",
    "zalo.template_id",
    ZALO_PARAMS_FIELD,
    "facebook_text",
];

/// Where the form shows the server's refusal of any one ZNS parameter
/// (`zalo.params.{name}`; the message names the parameter).
pub const ZALO_PARAMS_FIELD: &str = "zalo.params";

/// The form's field for a server `field`: each ZNS parameter's refusal shows under the
/// mapping.
pub fn form_field(server_field: &str) -> &str {
    if server_field.starts_with("zalo.params.") {
        ZALO_PARAMS_FIELD
    } else {
        server_field
    }
}

/// What one ZNS parameter takes: a placeholder, or fixed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamSource {
    Placeholder(&'static str),
    Text,
}

impl ParamSource {
    /// Read back from a stored value: exactly one known placeholder, or text.
    pub fn of(value: &str) -> Self {
        let inner = value
            .trim()
            .strip_prefix("{{")
            .and_then(|v| v.strip_suffix("}}"))
            .map(str::trim);
        inner
            .and_then(|name| PLACEHOLDERS.iter().find(|(p, _)| *p == name))
            .map_or(Self::Text, |(p, _)| Self::Placeholder(p))
    }

    /// The `<select>`'s value: the placeholder's name, or `text`.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Placeholder(p) => p,
            Self::Text => PARAM_TEXT,
        }
    }
}

/// The `<select>` value of "fixed text".
pub const PARAM_TEXT: &str = "text";

#[derive(Debug, Clone, PartialEq)]
pub struct RuleDraft {
    pub name: String,
    pub trigger: String,
    pub conditions: RuleConditions,
    pub channels: BTreeSet<String>,
    pub template_title: String,
    pub template_body: String,
    pub enabled: bool,
    /// The `zalo` channel's template (our id) and parameter values.
    pub zalo_template_id: Option<i64>,
    pub zalo_params: BTreeMap<String, String>,
    pub facebook_text: String,
}

impl Default for RuleDraft {
    /// A new rule starts as the most common one: new contacts, in the app.
    fn default() -> Self {
        Self {
            name: String::new(),
            trigger: "contact.created".to_owned(),
            conditions: RuleConditions::default(),
            channels: BTreeSet::from(["in_app".to_owned()]),
            template_title: text::RULE_DEFAULT_TITLE.to_owned(),
            template_body: text::RULE_DEFAULT_BODY.to_owned(),
            enabled: true,
            zalo_template_id: None,
            zalo_params: BTreeMap::new(),
            facebook_text: String::new(),
        }
    }
}

impl From<&NotificationRuleDto> for RuleDraft {
    fn from(rule: &NotificationRuleDto) -> Self {
        Self {
            name: rule.name.clone(),
            trigger: rule.trigger.clone(),
            conditions: rule.conditions.clone(),
            channels: rule.channels.iter().cloned().collect(),
            template_title: rule.template_title.clone(),
            template_body: rule.template_body.clone(),
            enabled: rule.enabled,
            zalo_template_id: rule.zalo.as_ref().map(|z| z.template_id),
            zalo_params: rule
                .zalo
                .as_ref()
                .map(|z| z.params.clone())
                .unwrap_or_default(),
            facebook_text: rule.facebook_text.clone().unwrap_or_default(),
        }
    }
}

impl RuleDraft {
    /// Whether staff hear of it (a channel other than the customer ones is ticked):
    /// only then are the title and body needed.
    pub fn to_staff(&self) -> bool {
        self.channels.iter().any(|c| !is_customer_channel(c))
    }

    /// Picks a ZNS template: each of its parameters starts on the placeholder its name
    /// suggests (a `name`/`ten` word → the contact's name, `code`/`ma` → its code),
    /// else empty text.
    pub fn pick_zalo_template(&mut self, template: Option<&ZaloTemplateDto>) {
        self.zalo_template_id = template.map(|t| t.id);
        self.zalo_params = template
            .map(|t| {
                t.params
                    .iter()
                    .map(|p| {
                        let name = p.name.to_lowercase();
                        let has = |words: &[&str]| name.split('_').any(|w| words.contains(&w));
                        let value = if has(&["name", "ten"]) {
                            "{{contact.name}}"
                        } else if has(&["code", "ma"]) {
                            "{{contact.code}}"
                        } else {
                            ""
                        };
                        (p.name.clone(), value.to_owned())
                    })
                    .collect()
            })
            .unwrap_or_default();
    }

    /// The `zalo` message, when the channel is ticked.
    fn zalo_message(&self) -> Result<Option<ZaloRuleMessage>, FormError> {
        if !self.channels.contains("zalo") {
            return Ok(None);
        }
        let Some(template_id) = self.zalo_template_id else {
            return Err(FormError::field(
                "zalo.template_id",
                text::RULE_ZALO_TEMPLATE_REQUIRED,
            ));
        };
        if self.zalo_params.values().any(|v| v.trim().is_empty()) {
            return Err(FormError::field(
                ZALO_PARAMS_FIELD,
                text::RULE_ZALO_PARAM_REQUIRED,
            ));
        }
        Ok(Some(ZaloRuleMessage {
            template_id,
            params: self.zalo_params.clone(),
        }))
    }
    /// The ticked values of a list, as the checkboxes name them.
    pub fn selected(&self, list: List) -> BTreeSet<String> {
        let c = &self.conditions;
        let ids = |ids: &[i64]| ids.iter().map(i64::to_string).collect();
        match list {
            List::Roles => ids(&c.role_ids),
            List::Teams => ids(&c.team_ids),
            List::Users => ids(&c.user_ids),
            List::ServiceTypes => ids(&c.service_type_ids),
            List::Sources => c.sources.iter().cloned().collect(),
            List::Statuses => c.statuses.iter().cloned().collect(),
        }
    }

    pub fn toggle(&mut self, list: List, value: &str, checked: bool) {
        let c = &mut self.conditions;
        match list {
            List::Roles => toggle_id(&mut c.role_ids, value, checked),
            List::Teams => toggle_id(&mut c.team_ids, value, checked),
            List::Users => toggle_id(&mut c.user_ids, value, checked),
            List::ServiceTypes => toggle_id(&mut c.service_type_ids, value, checked),
            List::Sources => toggle_text(&mut c.sources, value, checked),
            List::Statuses => toggle_text(&mut c.statuses, value, checked),
        }
    }

    pub fn toggle_channel(&mut self, channel: &str, checked: bool) {
        if checked {
            self.channels.insert(channel.to_owned());
        } else {
            self.channels.remove(channel);
        }
    }

    /// The request, or the first missing field named as the server would.
    pub fn request(&self) -> Result<NotificationRuleRequest, FormError> {
        if self.name.trim().is_empty() {
            return Err(FormError::field("name", text::RULE_NAME_REQUIRED));
        }
        if self.channels.is_empty() {
            return Err(FormError::field("channels", text::RULE_CHANNEL_REQUIRED));
        }
        if self.to_staff() && self.template_title.trim().is_empty() {
            return Err(FormError::field(
                "template_title",
                text::RULE_TITLE_REQUIRED,
            ));
        }
        if self.to_staff() && self.template_body.trim().is_empty() {
            return Err(FormError::field("template_body", text::RULE_BODY_REQUIRED));
        }
        let zalo = self.zalo_message()?;
        let facebook_text = if self.channels.contains("facebook") {
            if self.facebook_text.trim().is_empty() {
                return Err(FormError::field(
                    "facebook_text",
                    text::RULE_FACEBOOK_TEXT_REQUIRED,
                ));
            }
            Some(self.facebook_text.clone())
        } else {
            None
        };
        Ok(NotificationRuleRequest {
            name: self.name.trim().to_owned(),
            trigger: self.trigger.clone(),
            conditions: self.conditions.clone(),
            channels: self.channels.iter().cloned().collect(),
            template_title: self.template_title.clone(),
            template_body: self.template_body.clone(),
            enabled: self.enabled,
            zalo,
            facebook_text,
        })
    }
}

/// The request that saves `rule` as it is, switched on or off.
pub fn switched(rule: &NotificationRuleDto, enabled: bool) -> NotificationRuleRequest {
    NotificationRuleRequest {
        name: rule.name.clone(),
        trigger: rule.trigger.clone(),
        conditions: rule.conditions.clone(),
        channels: rule.channels.clone(),
        template_title: rule.template_title.clone(),
        template_body: rule.template_body.clone(),
        enabled,
        zalo: rule.zalo.clone(),
        facebook_text: rule.facebook_text.clone(),
    }
}

fn toggle_id(ids: &mut Vec<i64>, value: &str, checked: bool) {
    let Ok(id) = value.parse::<i64>() else {
        return;
    };
    ids.retain(|other| *other != id);
    if checked {
        ids.push(id);
        ids.sort_unstable();
    }
}

fn toggle_text(values: &mut Vec<String>, value: &str, checked: bool) {
    values.retain(|other| other != value);
    if checked {
        values.push(value.to_owned());
        values.sort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticking_and_unticking_keeps_each_list_sorted_and_unique() {
        let mut draft = RuleDraft::default();
        draft.toggle(List::Teams, "7", true);
        draft.toggle(List::Teams, "3", true);
        draft.toggle(List::Teams, "7", true);
        draft.toggle(List::Sources, "google", true);
        assert_eq!(draft.conditions.team_ids, vec![3, 7]);
        draft.toggle(List::Teams, "3", false);
        assert_eq!(
            draft.selected(List::Teams),
            BTreeSet::from(["7".to_owned()])
        );
        assert_eq!(draft.conditions.sources, vec!["google".to_owned()]);
        draft.toggle(List::Roles, "not a number", true);
        assert!(draft.conditions.role_ids.is_empty());
    }

    #[test]
    fn missing_fields_are_named_before_sending() {
        let mut draft = RuleDraft::default();
        assert_eq!(draft.request().err().and_then(|e| e.field), Some("name"));
        draft.name = "  Khách mới  ".into();
        draft.toggle_channel("in_app", false);
        assert_eq!(
            draft.request().err().and_then(|e| e.field),
            Some("channels")
        );
        draft.toggle_channel("in_app", true);
        let request = draft.request().expect("complete");
        assert_eq!(request.name, "Khách mới");
        assert_eq!(request.channels, vec!["in_app".to_owned()]);
        assert_eq!(request.trigger, "contact.created");
        assert_eq!(request.zalo, None);
    }

    #[test]
    fn a_zalo_rule_needs_a_template_and_every_parameter_but_no_staff_text() {
        let mut draft = RuleDraft {
            name: "Chào khách mới".into(),
            template_title: String::new(),
            template_body: String::new(),
            ..RuleDraft::default()
        };
        draft.toggle_channel("in_app", false);
        draft.toggle_channel("zalo", true);
        assert_eq!(
            draft.request().err().and_then(|e| e.field),
            Some("zalo.template_id")
        );
        let template = ZaloTemplateDto {
            id: 4,
            zalo_template_id: "231677".into(),
            name: "Chào mừng".into(),
            params: vec![
                api_types::ZaloTemplateParam {
                    name: "customer_name".into(),
                    sample: String::new(),
                },
                api_types::ZaloTemplateParam {
                    name: "hotline".into(),
                    sample: String::new(),
                },
            ],
            enabled: true,
            updated_at: String::new(),
        };
        draft.pick_zalo_template(Some(&template));
        assert_eq!(draft.zalo_params["customer_name"], "{{contact.name}}");
        assert_eq!(
            draft.request().err().and_then(|e| e.field),
            Some(ZALO_PARAMS_FIELD)
        );
        draft
            .zalo_params
            .insert("hotline".into(), "1900 6868".into());
        let request = draft.request().expect("complete");
        let zalo = request.zalo.expect("zalo");
        assert_eq!(zalo.template_id, 4);
        assert_eq!(zalo.params["hotline"], "1900 6868");
        assert_eq!(
            ParamSource::of("{{ contact.name }}"),
            ParamSource::Placeholder("contact.name")
        );
        assert_eq!(
            ParamSource::of("Xin chào {{contact.name}}"),
            ParamSource::Text
        );
        assert_eq!(form_field("zalo.params.hotline"), ZALO_PARAMS_FIELD);
    }
}
