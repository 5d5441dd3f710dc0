//! A notification rule as stored and as the API shows it, and the checks a rule passes
//! before it is saved: each refusal is a Vietnamese `422` naming its field.

use std::collections::BTreeSet;

use api_types::{
    CHANNELS, CONTACT_TRIGGERS, DELIVERING_CHANNELS, NotificationRuleDto, NotificationRuleRequest,
    RuleConditions, SOURCES, STATUSES, TRIGGERS, ZaloRuleMessage, is_customer_channel, label,
};
use chrono::SecondsFormat;
use entities::{notification_rule, role, service_type, team, user, zalo_template};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use super::{channels, template};
use crate::{domain::clean_text, error::ApiError, zalo::templates};

const TITLE_MAX: usize = 200;
const BODY_MAX: usize = 2000;
/// A ZNS parameter's mapping; Zalo's own limits per parameter are lower still.
const ZNS_VALUE_MAX: usize = 400;

/// What a rule's customer channels send, as stored in `customer_messages`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerMessages {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zalo: Option<ZaloRuleMessage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facebook_text: Option<String>,
}

impl CustomerMessages {
    /// The column's value: NULL when the rule names no customer channel.
    pub fn json(&self) -> Option<String> {
        (self.zalo.is_some() || self.facebook_text.is_some()).then(|| json_of(self))
    }
}

/// A rule's fields, checked, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub name: String,
    pub trigger: String,
    pub conditions: RuleConditions,
    pub channels: Vec<String>,
    pub template_title: String,
    pub template_body: String,
    pub enabled: bool,
    pub customer: CustomerMessages,
}

impl Input {
    pub fn conditions_json(&self) -> String {
        json_of(&self.conditions)
    }

    pub fn channels_json(&self) -> String {
        json_of(&self.channels)
    }
}

fn json_of(value: &impl serde::Serialize) -> String {
    // Lists of numbers and strings always serialise.
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// The checks that need no database.
pub fn check(body: &NotificationRuleRequest) -> Result<Input, ApiError> {
    let name = clean_text("name", &body.name, 160, "Tên quy tắc")?;
    if name.is_empty() {
        return Err(ApiError::validation("name", "Vui lòng nhập tên quy tắc"));
    }
    let trigger = check_trigger(&body.trigger)?;
    let channels = channels(&body.channels)?;
    // The title and body go to staff: a rule that only messages customers needs none.
    let to_staff = channels.iter().any(|c| !is_customer_channel(c));
    let template_title = text(
        "template_title",
        &body.template_title,
        TITLE_MAX,
        "Tiêu đề",
        to_staff,
    )?;
    let template_body = text(
        "template_body",
        &body.template_body,
        BODY_MAX,
        "Nội dung thông báo",
        to_staff,
    )?;
    let customer = customer_messages(body, trigger, &channels)?;
    let conditions = &body.conditions;
    for source in &conditions.sources {
        if !SOURCES.iter().any(|(code, _)| *code == source.as_str()) {
            return Err(ApiError::validation(
                "conditions.sources",
                format!("Nguồn khách hàng \"{source}\" không tồn tại"),
            ));
        }
    }
    for status in &conditions.statuses {
        if !STATUSES.iter().any(|(code, _)| *code == status.as_str()) {
            return Err(ApiError::validation(
                "conditions.statuses",
                format!("Trạng thái \"{status}\" không tồn tại"),
            ));
        }
    }
    Ok(Input {
        name,
        trigger: trigger.to_owned(),
        conditions: RuleConditions {
            role_ids: sorted(&conditions.role_ids),
            team_ids: sorted(&conditions.team_ids),
            user_ids: sorted(&conditions.user_ids),
            service_type_ids: sorted(&conditions.service_type_ids),
            sources: sorted(&conditions.sources),
            statuses: sorted(&conditions.statuses),
        },
        channels,
        template_title,
        template_body,
        enabled: body.enabled,
        customer,
    })
}

/// The customer channels' messages, checked (syntax only; see
/// [`check_customer_references`]). Messages for channels the rule does not name are
/// dropped.
fn customer_messages(
    body: &NotificationRuleRequest,
    trigger: &str,
    channels: &[String],
) -> Result<CustomerMessages, ApiError> {
    let names = |channel: &str| channels.iter().any(|c| c == channel);
    if channels.iter().any(|c| is_customer_channel(c)) && !CONTACT_TRIGGERS.contains(&trigger) {
        return Err(ApiError::validation(
            "channels",
            "Sự kiện này không gắn với một khách hàng: không gửi tin tới khách hàng được",
        ));
    }
    let zalo = if names(channels::zalo::NAME) {
        let Some(message) = &body.zalo else {
            return Err(ApiError::validation(
                "zalo.template_id",
                "Vui lòng chọn mẫu tin ZNS gửi khách hàng",
            ));
        };
        let mut params = std::collections::BTreeMap::new();
        for (name, value) in &message.params {
            let field = format!("zalo.params.{name}");
            let value = clean_text(&field, value, ZNS_VALUE_MAX, "Giá trị tham số")?;
            template::check(&field, &value)?;
            params.insert(name.clone(), value);
        }
        Some(ZaloRuleMessage {
            template_id: message.template_id,
            params,
        })
    } else {
        None
    };
    let facebook_text = if names(channels::facebook::NAME) {
        let raw = body.facebook_text.as_deref().unwrap_or_default();
        Some(text(
            "facebook_text",
            raw,
            channels::facebook::MAX_TEXT_CHARS,
            "Nội dung tin nhắn Messenger",
            true,
        )?)
    } else {
        None
    };
    Ok(CustomerMessages {
        zalo,
        facebook_text,
    })
}

/// The ZNS template a rule names must exist, be on, and have each of its parameters
/// mapped — and no others.
pub async fn check_customer_references(
    conn: &impl ConnectionTrait,
    customer: &CustomerMessages,
) -> Result<(), ApiError> {
    let Some(message) = &customer.zalo else {
        return Ok(());
    };
    let Some(row) = zalo_template::Entity::find_by_id(message.template_id)
        .one(conn)
        .await?
    else {
        return Err(ApiError::validation(
            "zalo.template_id",
            "Mẫu tin ZNS đã chọn không tồn tại",
        ));
    };
    if !row.enabled {
        return Err(ApiError::validation(
            "zalo.template_id",
            format!(
                "Mẫu tin ZNS «{}» đang tắt: bật mẫu trên trang Zalo OA hoặc chọn mẫu khác",
                row.name
            ),
        ));
    }
    let wanted = templates::params_of(&row);
    for param in &wanted {
        let mapped = message
            .params
            .get(&param.name)
            .is_some_and(|v| !v.is_empty());
        if !mapped {
            return Err(ApiError::validation(
                &format!("zalo.params.{}", param.name),
                format!(
                    "Chưa chọn giá trị cho tham số \"{}\" của mẫu ZNS",
                    param.name
                ),
            ));
        }
    }
    if let Some(extra) = message
        .params
        .keys()
        .find(|name| !wanted.iter().any(|p| &p.name == *name))
    {
        return Err(ApiError::validation(
            &format!("zalo.params.{extra}"),
            format!("Mẫu ZNS «{}» không có tham số \"{extra}\"", row.name),
        ));
    }
    Ok(())
}

/// The trigger, trimmed, when it is one of [`TRIGGERS`].
pub fn check_trigger(raw: &str) -> Result<&str, ApiError> {
    let trigger = raw.trim();
    if TRIGGERS.iter().any(|(code, _)| *code == trigger) {
        return Ok(trigger);
    }
    Err(ApiError::validation(
        "trigger",
        format!(
            "Sự kiện kích hoạt không hợp lệ. Chọn một trong: {}",
            TRIGGERS
                .iter()
                .map(|(_, l)| *l)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

fn sorted<T: Ord + Clone>(items: &[T]) -> Vec<T> {
    items
        .iter()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Only channels that deliver today are accepted: a rule must never promise a message
/// nobody sends.
fn channels(requested: &[String]) -> Result<Vec<String>, ApiError> {
    if requested.is_empty() {
        return Err(ApiError::validation(
            "channels",
            "Vui lòng chọn ít nhất một kênh gửi",
        ));
    }
    let delivering = || {
        DELIVERING_CHANNELS
            .iter()
            .map(|c| label(CHANNELS, c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for channel in requested {
        if DELIVERING_CHANNELS.contains(&channel.as_str()) {
            continue;
        }
        let message = match CHANNELS.iter().find(|(code, _)| *code == channel.as_str()) {
            Some((_, name)) => format!(
                "Kênh \"{name}\" chưa được hỗ trợ. Hiện chỉ gửi được qua: {}",
                delivering()
            ),
            None => format!(
                "Kênh \"{channel}\" không tồn tại. Hiện chỉ gửi được qua: {}",
                delivering()
            ),
        };
        return Err(ApiError::validation("channels", message));
    }
    Ok(sorted(requested))
}

fn text(
    field: &str,
    raw: &str,
    max: usize,
    name: &str,
    required: bool,
) -> Result<String, ApiError> {
    // Line breaks are welcome in a body; other control characters are not.
    let mut cleaned = String::new();
    for (i, line) in raw.trim().lines().enumerate() {
        if i > 0 {
            cleaned.push('\n');
        }
        cleaned.push_str(&clean_text(field, line, max, name)?);
    }
    if cleaned.is_empty() && required {
        return Err(ApiError::validation(
            field,
            format!("Vui lòng nhập {}", name.to_lowercase()),
        ));
    }
    if cleaned.chars().count() > max {
        return Err(ApiError::validation(
            field,
            format!("{name} không được dài quá {max} ký tự"),
        ));
    }
    template::check(field, &cleaned)?;
    Ok(cleaned)
}

/// The checks against the database: every role, team, employee and service type a
/// condition names must exist.
pub async fn check_references(
    conn: &impl ConnectionTrait,
    conditions: &RuleConditions,
) -> Result<(), ApiError> {
    missing(
        conn,
        role::Entity::find().filter(role::Column::Id.is_in(conditions.role_ids.clone())),
        &conditions.role_ids,
        "conditions.role_ids",
        "vai trò",
    )
    .await?;
    missing(
        conn,
        team::Entity::find().filter(team::Column::Id.is_in(conditions.team_ids.clone())),
        &conditions.team_ids,
        "conditions.team_ids",
        "nhóm",
    )
    .await?;
    missing(
        conn,
        user::Entity::find().filter(user::Column::Id.is_in(conditions.user_ids.clone())),
        &conditions.user_ids,
        "conditions.user_ids",
        "nhân viên",
    )
    .await?;
    missing(
        conn,
        service_type::Entity::find()
            .filter(service_type::Column::Id.is_in(conditions.service_type_ids.clone())),
        &conditions.service_type_ids,
        "conditions.service_type_ids",
        "loại dịch vụ",
    )
    .await
}

async fn missing<E: EntityTrait>(
    conn: &impl ConnectionTrait,
    found: sea_orm::Select<E>,
    ids: &[i64],
    field: &str,
    what: &str,
) -> Result<(), ApiError>
where
    E::Model: Sync,
{
    if ids.is_empty() {
        return Ok(());
    }
    let count = found.count(conn).await?;
    if count < ids.len() as u64 {
        return Err(ApiError::validation(
            field,
            format!("Có {what} trong điều kiện không tồn tại"),
        ));
    }
    Ok(())
}

/// A stored rule's lists, read back; a damaged value reads as empty (and is logged).
pub fn conditions_of(row: &notification_rule::Model) -> RuleConditions {
    serde_json::from_str(&row.conditions).unwrap_or_else(|err| {
        tracing::error!(rule_id = row.id, %err, "unreadable rule conditions");
        RuleConditions::default()
    })
}

pub fn channels_of(row: &notification_rule::Model) -> Vec<String> {
    serde_json::from_str(&row.channels).unwrap_or_else(|err| {
        tracing::error!(rule_id = row.id, %err, "unreadable rule channels");
        Vec::new()
    })
}

/// A stored rule's customer messages; a damaged value reads as none (and is logged).
pub fn customer_of(row: &notification_rule::Model) -> CustomerMessages {
    let Some(raw) = &row.customer_messages else {
        return CustomerMessages::default();
    };
    serde_json::from_str(raw).unwrap_or_else(|err| {
        tracing::error!(rule_id = row.id, %err, "unreadable rule customer messages");
        CustomerMessages::default()
    })
}

pub fn dto(row: &notification_rule::Model) -> NotificationRuleDto {
    let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let customer = customer_of(row);
    NotificationRuleDto {
        id: row.id,
        name: row.name.clone(),
        trigger: row.trigger.clone(),
        conditions: conditions_of(row),
        channels: channels_of(row),
        template_title: row.template_title.clone(),
        template_body: row.template_body.clone(),
        enabled: row.enabled,
        created_by: row.created_by,
        created_at: time(row.created_at),
        updated_at: time(row.updated_at),
        zalo: customer.zalo,
        facebook_text: customer.facebook_text,
    }
}

/// Enabled rules, the matcher's working set.
pub async fn enabled(conn: &impl ConnectionTrait) -> Result<Vec<notification_rule::Model>, DbErr> {
    notification_rule::Entity::find()
        .filter(notification_rule::Column::Enabled.eq(true))
        .all(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> NotificationRuleRequest {
        NotificationRuleRequest {
            name: "Khách mới cho Sale".into(),
            trigger: "contact.created".into(),
            conditions: RuleConditions {
                role_ids: vec![3, 3, 2],
                sources: vec!["ladi_zalo".into()],
                ..RuleConditions::default()
            },
            channels: vec!["in_app".into()],
            template_title: "Khách mới {{contact.code}}".into(),
            template_body: "{{contact.name}}\n{{contact.service_type}}".into(),
            enabled: true,
            zalo: None,
            facebook_text: None,
        }
    }

    fn refused_field(body: &NotificationRuleRequest) -> String {
        match check(body) {
            Err(ApiError::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_good_rule_is_normalised() {
        let input = check(&request()).expect("valid");
        assert_eq!(input.conditions.role_ids, vec![2, 3]);
        assert_eq!(
            input.template_body,
            "{{contact.name}}\n{{contact.service_type}}"
        );
        assert_eq!(input.channels_json(), r#"["in_app"]"#);
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut body = request();
        body.name = "  ".into();
        assert_eq!(refused_field(&body), "name");
        let mut body = request();
        body.trigger = "contact.deleted".into();
        assert_eq!(refused_field(&body), "trigger");
        let mut body = request();
        body.channels = vec![];
        assert_eq!(refused_field(&body), "channels");
        let mut body = request();
        body.template_body = "{{contact.phone}}".into();
        assert_eq!(refused_field(&body), "template_body");
        let mut body = request();
        body.template_title = String::new();
        assert_eq!(refused_field(&body), "template_title");
        let mut body = request();
        body.conditions.statuses = vec!["lost".into()];
        assert_eq!(refused_field(&body), "conditions.statuses");
    }

    #[test]
    fn unknown_channels_are_refused_by_name() {
        let mut body = request();
        body.channels = vec!["in_app".into(), "sms".into()];
        match check(&body) {
            Err(ApiError::Validation { field, message }) => {
                assert_eq!(field, "channels");
                assert!(message.contains("\"sms\""), "{message}");
                assert!(message.contains("Trong ứng dụng"), "{message}");
            }
            other => panic!("expected refusal, got {other:?}"),
        }
    }

    #[test]
    fn customer_channels_need_their_message_and_nothing_for_staff() {
        let mut body = request();
        body.channels = vec!["zalo".into()];
        assert_eq!(refused_field(&body), "zalo.template_id");
        body.zalo = Some(ZaloRuleMessage {
            template_id: 1,
            params: [("customer_name".to_owned(), "{{contact.phone}}".to_owned())].into(),
        });
        assert_eq!(refused_field(&body), "zalo.params.customer_name");
        body.zalo = Some(ZaloRuleMessage {
            template_id: 1,
            params: [("customer_name".to_owned(), " {{contact.name}} ".to_owned())].into(),
        });
        // Only the customer hears of it: no staff title or body is needed.
        body.template_title = String::new();
        body.template_body = String::new();
        body.facebook_text = Some("ignored: the rule does not name facebook".into());
        let input = check(&body).expect("valid");
        assert_eq!(
            input.customer.json().as_deref(),
            Some(r#"{"zalo":{"template_id":1,"params":{"customer_name":"{{contact.name}}"}}}"#)
        );
        body.channels = vec!["facebook".into()];
        body.facebook_text = Some("  ".into());
        assert_eq!(refused_field(&body), "facebook_text");
        body.channels = vec!["facebook".into(), "in_app".into()];
        body.facebook_text = Some("Chào {{contact.name}}".into());
        assert_eq!(refused_field(&body), "template_title");
    }
}
