//! Coupon rows as the API shows them, with their assignees.

use std::collections::HashMap;

use api_types::CouponDto;
use chrono::{NaiveDate, SecondsFormat};
use entities::{coupon, coupon_assignee};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::rules;
use crate::users::refs;

/// Coupon id → assignee user ids.
pub async fn assignees_of(
    conn: &impl ConnectionTrait,
    coupon_ids: Vec<i64>,
) -> Result<HashMap<i64, Vec<i64>>, DbErr> {
    let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in coupon_assignee::Entity::find()
        .filter(coupon_assignee::Column::CouponId.is_in(coupon_ids))
        .all(conn)
        .await?
    {
        map.entry(row.coupon_id).or_default().push(row.user_id);
    }
    Ok(map)
}

/// DTOs of `rows`; `only_user` trims each assignee list to that user (a Sale looking
/// at their own coupons does not learn who else holds them).
pub async fn dtos(
    conn: &impl ConnectionTrait,
    rows: Vec<coupon::Model>,
    today: NaiveDate,
    only_user: Option<i64>,
) -> Result<Vec<CouponDto>, DbErr> {
    let assignees = assignees_of(conn, rows.iter().map(|c| c.id).collect()).await?;
    let people = refs::by_id(conn, assignees.values().flatten().copied()).await?;
    let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut holders: Vec<_> = assignees
                .get(&row.id)
                .into_iter()
                .flatten()
                .filter(|id| only_user.is_none_or(|me| me == **id))
                .filter_map(|id| people.get(id).cloned())
                .collect();
            holders.sort_by(|a, b| a.full_name.cmp(&b.full_name));
            CouponDto {
                usable: rules::usable(&row, today),
                id: row.id,
                code: row.code,
                description: row.description,
                kind: row.kind,
                value: row.value,
                expires_on: row.expires_on.format("%Y-%m-%d").to_string(),
                max_uses: row.max_uses,
                used_count: row.used_count,
                active: row.active,
                assignees: holders,
                created_at: time(row.created_at),
                updated_at: time(row.updated_at),
            }
        })
        .collect())
}

pub async fn dto(
    conn: &impl ConnectionTrait,
    row: coupon::Model,
    today: NaiveDate,
) -> Result<CouponDto, DbErr> {
    Ok(dtos(conn, vec![row], today, None)
        .await?
        .pop()
        .expect("one row in, one dto out"))
}
