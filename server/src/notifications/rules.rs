//! A notification rule as stored and as the API shows it, and the checks a rule passes
//! before it is saved: each refusal is a Vietnamese `422` naming its field.

use std::collections::BTreeSet;

use api_types::{
    CHANNELS, DELIVERING_CHANNELS, NotificationRuleDto, NotificationRuleRequest, RuleConditions,
    SOURCES, STATUSES, TRIGGERS, label,
};
use chrono::SecondsFormat;
use entities::{notification_rule, role, service_type, team, user};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};

use super::template;
use crate::{domain::clean_text, error::ApiError};

const TITLE_MAX: usize = 200;
const BODY_MAX: usize = 2000;

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
    let template_title = text("template_title", &body.template_title, TITLE_MAX, "Tiêu đề")?;
    let template_body = text(
        "template_body",
        &body.template_body,
        BODY_MAX,
        "Nội dung thông báo",
    )?;
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
    })
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

fn text(field: &str, raw: &str, max: usize, name: &str) -> Result<String, ApiError> {
    // Line breaks are welcome in a body; other control characters are not.
    let mut cleaned = String::new();
    for (i, line) in raw.trim().lines().enumerate() {
        if i > 0 {
            cleaned.push('\n');
        }
        cleaned.push_str(&clean_text(field, line, max, name)?);
    }
    if cleaned.is_empty() {
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

pub fn dto(row: &notification_rule::Model) -> NotificationRuleDto {
    let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
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
    fn channels_that_do_not_deliver_yet_are_refused_by_name() {
        let mut body = request();
        body.channels = vec!["in_app".into(), "zalo".into()];
        match check(&body) {
            Err(ApiError::Validation { field, message }) => {
                assert_eq!(field, "channels");
                assert!(message.contains("Zalo OA"), "{message}");
                assert!(message.contains("Trong ứng dụng"), "{message}");
            }
            other => panic!("expected refusal, got {other:?}"),
        }
    }
}
