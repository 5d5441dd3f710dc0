//! Audit search over a million entries: every filter lands on an index, free text is
//! first resolved to those indexed columns (people, actions, modules, record codes,
//! IPs), and the total is counted only up to a cap.

use api_types::{AUDIT_ACTIONS, AUDIT_MODULES, AUDIT_TOTAL_CAP};
use chrono::{DateTime, Duration, Utc};
use entities::{audit_log, contact, deal, user};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
    sea_query::{Alias, Expr, Query},
};

use crate::{crypto::blind::fold, domain, error::ApiError};

/// The longest free text we look at.
const MAX_TEXT: usize = 100;

/// What the reader asked for, already parsed.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    pub actor: Option<i64>,
    /// Exact action, e.g. `auth.login`.
    pub action: Option<String>,
    pub module: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub text: Option<String>,
}

impl Filters {
    /// `action` may also be a module prefix ending in `.` (`auth.`), and `target` a
    /// `type:id` pair or just a type, as the API has always accepted.
    pub fn parse(raw: RawFilters<'_>) -> Result<Self, ApiError> {
        let mut filters = Self {
            actor: raw.actor,
            module: non_empty(raw.module),
            from: raw.from.map(|t| bound("from", t, false)).transpose()?,
            to: raw.to.map(|t| bound("to", t, true)).transpose()?,
            text: non_empty(raw.q).map(|q| q.chars().take(MAX_TEXT).collect()),
            ..Self::default()
        };
        if let Some(action) = non_empty(raw.action) {
            match action.strip_suffix('.') {
                Some(module) => filters.module = Some(module.to_owned()),
                None => filters.action = Some(action),
            }
        }
        if let Some(target) = non_empty(raw.target) {
            match target.split_once(':') {
                Some((kind, id)) => {
                    filters.target_type = Some(kind.to_owned());
                    filters.target_id = Some(id.to_owned());
                }
                None => filters.target_type = Some(target),
            }
        }
        if let (Some(from), Some(to)) = (filters.from, filters.to)
            && to <= from
        {
            return Err(ApiError::validation("to", "Đến ngày phải sau Từ ngày"));
        }
        Ok(filters)
    }

    /// The SQL condition; free text costs a few small lookups first.
    pub async fn condition(&self, db: &impl ConnectionTrait) -> Result<Condition, DbErr> {
        let mut all = Condition::all();
        if let Some(actor) = self.actor {
            all = all.add(audit_log::Column::ActorId.eq(actor));
        }
        if let Some(action) = &self.action {
            all = all.add(audit_log::Column::Action.eq(action.as_str()));
        }
        if let Some(module) = &self.module {
            all = all.add(audit_log::Column::Module.eq(module.as_str()));
        }
        if let Some(kind) = &self.target_type {
            all = all.add(audit_log::Column::TargetType.eq(kind.as_str()));
        }
        if let Some(id) = &self.target_id {
            all = all.add(audit_log::Column::TargetId.eq(id.as_str()));
        }
        if let Some(from) = self.from {
            all = all.add(audit_log::Column::At.gte(from));
        }
        if let Some(to) = self.to {
            all = all.add(audit_log::Column::At.lt(to));
        }
        if let Some(text) = &self.text {
            all = all.add(free_text(db, text).await?);
        }
        Ok(all)
    }
}

/// The query string as it arrives.
#[derive(Debug, Default, Clone, Copy)]
pub struct RawFilters<'a> {
    pub actor: Option<i64>,
    pub action: Option<&'a str>,
    pub module: Option<&'a str>,
    pub target: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub q: Option<&'a str>,
}

fn non_empty(raw: Option<&str>) -> Option<String> {
    raw.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// An RFC 3339 instant, or a Vietnamese calendar day: `from=2026-12-01` starts at its
/// midnight in Vietnam, `to=2026-12-01` includes that whole day.
fn bound(field: &str, raw: &str, end: bool) -> Result<DateTime<Utc>, ApiError> {
    let raw = raw.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Ok(at.with_timezone(&Utc));
    }
    let label = if end { "Đến ngày" } else { "Từ ngày" };
    let day = domain::date(field, raw, label).map_err(|_| {
        ApiError::validation(
            field,
            format!("{label} phải là ngày YYYY-MM-DD hoặc thời điểm RFC 3339"),
        )
    })?;
    let day = if end { day + Duration::days(1) } else { day };
    Ok(domain::vietnam_midnight(day))
}

/// Free text matches who acted (name or username, without diacritics), what they did
/// (action code or its Vietnamese label, module label), what it was done to (an id, a
/// contact or deal code) and where from (an IP or its prefix): each an indexed column,
/// so even a rare word never scans the whole trail.
async fn free_text(db: &impl ConnectionTrait, text: &str) -> Result<Condition, DbErr> {
    let needle = fold(text);
    let mut any = Condition::any();

    let people: Vec<(i64, String, String)> = user::Entity::find()
        .select_only()
        .columns([
            user::Column::Id,
            user::Column::FullName,
            user::Column::Username,
        ])
        .into_tuple()
        .all(db)
        .await?;
    let actors: Vec<i64> = people
        .into_iter()
        .filter(|(_, name, username)| {
            fold(name).contains(&needle) || fold(username).contains(&needle)
        })
        .map(|(id, ..)| id)
        .collect();
    if !actors.is_empty() {
        any = any.add(audit_log::Column::ActorId.is_in(actors));
    }

    let matches = |(code, label): &&(&str, &str)| {
        code.contains(needle.as_str()) || fold(label).contains(&needle)
    };
    let modules: Vec<&str> = AUDIT_MODULES
        .iter()
        .filter(matches)
        .map(|(code, _)| *code)
        .collect();
    let actions: Vec<&str> = AUDIT_ACTIONS
        .iter()
        .filter(matches)
        .map(|(code, _)| *code)
        .filter(|code| !modules.iter().any(|m| code.split('.').next() == Some(m)))
        .collect();
    if !modules.is_empty() {
        any = any.add(audit_log::Column::Module.is_in(modules));
    }
    if !actions.is_empty() {
        any = any.add(audit_log::Column::Action.is_in(actions));
    }

    let text = text.trim();
    if text.chars().all(|c| c.is_ascii_digit()) {
        any = any.add(audit_log::Column::TargetId.eq(text));
    }
    let code = text.to_uppercase();
    let contact_id: Option<i64> = contact::Entity::find()
        .select_only()
        .column(contact::Column::Id)
        .filter(contact::Column::Code.eq(code.as_str()))
        .into_tuple()
        .one(db)
        .await?;
    if let Some(id) = contact_id {
        any = any.add(target("contact", id));
    }
    let deal_id: Option<i64> = deal::Entity::find()
        .select_only()
        .column(deal::Column::Id)
        .filter(deal::Column::Code.eq(code.as_str()))
        .into_tuple()
        .one(db)
        .await?;
    if let Some(id) = deal_id {
        any = any.add(target("deal", id));
    }

    if text.parse::<std::net::IpAddr>().is_ok() {
        // Equality keeps the (ip, at) index in time order: no sort, however many
        // entries came from the office's address.
        any = any.add(audit_log::Column::Ip.eq(text));
    } else if looks_like_ip(text) {
        // A prefix as a range, which an index answers on every database.
        let upper = format!("{text}\u{10FFFF}");
        any = any.add(
            Condition::all()
                .add(audit_log::Column::Ip.gte(text))
                .add(audit_log::Column::Ip.lt(upper)),
        );
    }

    if any.is_empty() {
        // Nothing the words could mean: match nothing rather than everything.
        return Ok(Condition::all().add(audit_log::Column::Id.lt(0)));
    }
    Ok(any)
}

fn target(kind: &str, id: i64) -> Condition {
    Condition::all()
        .add(audit_log::Column::TargetType.eq(kind))
        .add(audit_log::Column::TargetId.eq(id.to_string()))
}

fn looks_like_ip(text: &str) -> bool {
    text.len() >= 3
        && (text.contains('.') || text.contains(':'))
        && text
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == '.' || c == ':')
}

/// One page, newest first.
pub async fn page(
    db: &impl ConnectionTrait,
    condition: Condition,
    offset: u64,
    limit: u64,
) -> Result<Vec<audit_log::Model>, DbErr> {
    audit_log::Entity::find()
        .filter(condition)
        .order_by_desc(audit_log::Column::At)
        .order_by_desc(audit_log::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await
}

/// How many entries match, counting no further than the cap: `(total, exact)`.
pub async fn count(db: &impl ConnectionTrait, condition: Condition) -> Result<(u64, bool), DbErr> {
    let capped = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Id)
        .filter(condition)
        .limit(AUDIT_TOTAL_CAP + 1)
        .into_query();
    let select = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from_subquery(capped, Alias::new("capped"))
        .to_owned();
    let row = db
        .query_one_raw(db.get_database_backend().build(&select))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit count".into()))?;
    let n: i64 = row.try_get("", "n")?;
    let n = u64::try_from(n).unwrap_or(0);
    Ok((n.min(AUDIT_TOTAL_CAP), n <= AUDIT_TOTAL_CAP))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_vietnamese_and_the_end_day_is_included() {
        let from = bound("from", "2026-12-01", false).expect("valid");
        let to = bound("to", "2026-12-01", true).expect("valid");
        assert_eq!(from.to_rfc3339(), "2026-11-30T17:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-12-01T17:00:00+00:00");
        let instant = bound("from", "2026-12-01T08:00:00+07:00", false).expect("valid");
        assert_eq!(instant.to_rfc3339(), "2026-12-01T01:00:00+00:00");
        assert!(bound("to", "01/12/2026", true).is_err());
    }

    #[test]
    fn module_prefixes_and_typed_targets_keep_their_old_meaning() {
        let filters = Filters::parse(RawFilters {
            action: Some("auth."),
            target: Some("user:3"),
            ..RawFilters::default()
        })
        .expect("valid");
        assert_eq!(filters.module.as_deref(), Some("auth"));
        assert_eq!(filters.action, None);
        assert_eq!(filters.target_type.as_deref(), Some("user"));
        assert_eq!(filters.target_id.as_deref(), Some("3"));
    }

    #[test]
    fn an_empty_range_is_refused_on_the_to_field() {
        let err = Filters::parse(RawFilters {
            from: Some("2026-12-02"),
            to: Some("2026-12-01"),
            ..RawFilters::default()
        })
        .expect_err("refused");
        assert!(format!("{err:?}").contains("\"to\""), "{err:?}");
    }

    #[test]
    fn only_ip_shaped_text_searches_addresses() {
        assert!(looks_like_ip("10.0.3"));
        assert!(looks_like_ip("2001:db8::1"));
        assert!(!looks_like_ip("nguyen"));
        assert!(!looks_like_ip("12"));
    }
}
