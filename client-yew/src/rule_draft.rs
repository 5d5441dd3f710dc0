//! A notification rule being written: the form's state, its checks before sending,
//! and the request it becomes. Kept free of the page so it can be tested natively.

use std::collections::BTreeSet;

use api_types::{NotificationRuleDto, NotificationRuleRequest, RuleConditions};

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
];

#[derive(Debug, Clone, PartialEq)]
pub struct RuleDraft {
    pub name: String,
    pub trigger: String,
    pub conditions: RuleConditions,
    pub channels: BTreeSet<String>,
    pub template_title: String,
    pub template_body: String,
    pub enabled: bool,
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
        }
    }
}

impl RuleDraft {
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
        if self.template_title.trim().is_empty() {
            return Err(FormError::field(
                "template_title",
                text::RULE_TITLE_REQUIRED,
            ));
        }
        if self.template_body.trim().is_empty() {
            return Err(FormError::field("template_body", text::RULE_BODY_REQUIRED));
        }
        Ok(NotificationRuleRequest {
            name: self.name.trim().to_owned(),
            trigger: self.trigger.clone(),
            conditions: self.conditions.clone(),
            channels: self.channels.iter().cloned().collect(),
            template_title: self.template_title.clone(),
            template_body: self.template_body.clone(),
            enabled: self.enabled,
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
    }
}
