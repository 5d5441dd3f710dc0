//! What makes a coupon valid and applying one: the checks name the `coupon_code` field,
//! and the use counter is claimed with a conditional update so two deals racing for
//! the last use cannot both get it.

use api_types::{COUPON_KINDS, CouponRequest, Discount, MAX_AMOUNT, format_vnd};
use chrono::NaiveDate;
use entities::{coupon, coupon_assignee};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};

use crate::{
    domain::{self, catalogue_code, optional_text},
    error::ApiError,
};

pub const FIELD: &str = "coupon_code";

/// A coupon can be applied on `today` (Vietnamese calendar) if it is switched on,
/// not past its last day and has uses left.
pub fn usable(row: &coupon::Model, today: NaiveDate) -> bool {
    row.active && today <= row.expires_on && row.max_uses.is_none_or(|max| row.used_count < max)
}

pub fn discount(row: &coupon::Model) -> Option<Discount> {
    Discount::from_coupon(&row.kind, row.value)
}

/// `SALE10` → `10%`, a fixed coupon → `500.000 ₫`.
pub fn describe(row: &coupon::Model) -> String {
    match row.kind.as_str() {
        "percent" => format!("{}%", row.value),
        _ => format_vnd(row.value),
    }
}

pub struct Input {
    pub code: String,
    pub description: Option<String>,
    pub kind: String,
    pub value: i64,
    pub expires_on: NaiveDate,
    pub max_uses: Option<i32>,
    pub active: bool,
    pub assignee_ids: Vec<i64>,
}

/// Checks a coupon form; `existing` is the stored coupon on an edit.
pub fn parse(
    body: &CouponRequest,
    today: NaiveDate,
    existing: Option<&coupon::Model>,
) -> Result<Input, ApiError> {
    let code = catalogue_code("code", &body.code, 32, "Mã giảm giá")?;
    let kind = body.kind.trim().to_owned();
    if !COUPON_KINDS.iter().any(|(k, _)| *k == kind) {
        return Err(ApiError::validation(
            "kind",
            "Loại giảm giá phải là Phần trăm hoặc Số tiền cố định",
        ));
    }
    let value_ok = match kind.as_str() {
        "percent" => (1..=100).contains(&body.value),
        _ => (1..=MAX_AMOUNT).contains(&body.value),
    };
    if !value_ok {
        return Err(ApiError::validation(
            "value",
            if kind == "percent" {
                "Mức giảm theo phần trăm phải từ 1 đến 100".to_owned()
            } else {
                format!("Mức giảm phải từ 1 ₫ đến {}", format_vnd(MAX_AMOUNT))
            },
        ));
    }
    let expires_on = domain::date("expires_on", &body.expires_on, "Hạn sử dụng")?;
    // An edit may keep a past date (to look at an old coupon); a new date must be usable.
    if expires_on < today && existing.is_none_or(|c| c.expires_on != expires_on) {
        return Err(ApiError::validation(
            "expires_on",
            "Hạn sử dụng không được trước hôm nay",
        ));
    }
    if let Some(max) = body.max_uses {
        let used = existing.map_or(0, |c| c.used_count);
        if !(1..=1_000_000).contains(&max) {
            return Err(ApiError::validation(
                "max_uses",
                "Số lần dùng tối đa phải từ 1 đến 1.000.000 (bỏ trống nếu không giới hạn)",
            ));
        }
        if max < used {
            return Err(ApiError::validation(
                "max_uses",
                format!("Mã đã được dùng {used} lần; số lần tối đa không được nhỏ hơn"),
            ));
        }
    }
    let mut assignee_ids = body.assignee_ids.clone();
    assignee_ids.sort_unstable();
    assignee_ids.dedup();
    if assignee_ids.is_empty() {
        return Err(ApiError::validation(
            "assignee_ids",
            "Vui lòng gán mã giảm giá cho ít nhất một nhân viên",
        ));
    }
    Ok(Input {
        code,
        description: optional_text("description", body.description.as_deref(), 500, "Mô tả")?,
        kind,
        value: body.value,
        expires_on,
        max_uses: body.max_uses,
        active: body.active,
        assignee_ids,
    })
}

/// The coupon `raw_code` if `user_id` may apply it on `today`; otherwise the reason,
/// in Vietnamese, on the `coupon_code` field.
pub async fn find_applicable(
    conn: &impl ConnectionTrait,
    raw_code: &str,
    user_id: i64,
    today: NaiveDate,
) -> Result<coupon::Model, ApiError> {
    let code = raw_code.trim().to_uppercase();
    let row = coupon::Entity::find()
        .filter(coupon::Column::Code.eq(&code))
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::validation(FIELD, format!("Mã giảm giá {code} không tồn tại")))?;
    let assigned = coupon_assignee::Entity::find_by_id((row.id, user_id))
        .one(conn)
        .await?
        .is_some();
    if !assigned {
        return Err(ApiError::validation(
            FIELD,
            format!("Mã giảm giá {code} không được giao cho bạn"),
        ));
    }
    if !row.active {
        return Err(ApiError::validation(
            FIELD,
            format!("Mã giảm giá {code} đã bị tắt"),
        ));
    }
    if today > row.expires_on {
        return Err(ApiError::validation(
            FIELD,
            format!(
                "Mã giảm giá {code} đã hết hạn ngày {}",
                domain::display_date(row.expires_on)
            ),
        ));
    }
    Ok(row)
}

/// Takes one use of the coupon, or refuses when none is left. Run inside the deal's
/// transaction: the conditional update is the guard, whatever was read before.
pub async fn claim(conn: &impl ConnectionTrait, row: &coupon::Model) -> Result<(), ApiError> {
    let claimed = coupon::Entity::update_many()
        .col_expr(
            coupon::Column::UsedCount,
            Expr::col(coupon::Column::UsedCount).add(1),
        )
        .filter(coupon::Column::Id.eq(row.id))
        .filter(coupon::Column::Active.eq(true))
        .filter(
            Condition::any()
                .add(coupon::Column::MaxUses.is_null())
                .add(Expr::col(coupon::Column::UsedCount).lt(Expr::col(coupon::Column::MaxUses))),
        )
        .exec(conn)
        .await?;
    if claimed.rows_affected == 1 {
        Ok(())
    } else {
        Err(ApiError::validation(
            FIELD,
            format!("Mã giảm giá {} đã hết lượt sử dụng", row.code),
        ))
    }
}

/// Gives a use back (the deal dropped the coupon).
pub async fn release(conn: &impl ConnectionTrait, coupon_id: i64) -> Result<(), ApiError> {
    coupon::Entity::update_many()
        .col_expr(
            coupon::Column::UsedCount,
            Expr::col(coupon::Column::UsedCount).sub(1),
        )
        .filter(coupon::Column::Id.eq(coupon_id))
        .filter(coupon::Column::UsedCount.gt(0))
        .exec(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coupon(max_uses: Option<i32>, used: i32, active: bool) -> coupon::Model {
        coupon::Model {
            id: 1,
            code: "SALE10".into(),
            description: None,
            kind: "percent".into(),
            value: 10,
            expires_on: NaiveDate::from_ymd_opt(2026, 11, 30).expect("test value"),
            max_uses,
            used_count: used,
            active,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn usable_through_the_last_day_while_uses_remain() {
        let last_day = NaiveDate::from_ymd_opt(2026, 11, 30).expect("test value");
        assert!(usable(&coupon(None, 99, true), last_day));
        assert!(!usable(
            &coupon(None, 0, true),
            last_day.succ_opt().expect("test value")
        ));
        assert!(!usable(&coupon(Some(1), 1, true), last_day));
        assert!(usable(&coupon(Some(2), 1, true), last_day));
        assert!(!usable(&coupon(None, 0, false), last_day));
    }

    fn request(kind: &str, value: i64, expires_on: &str, assignees: Vec<i64>) -> CouponRequest {
        CouponRequest {
            code: "sale10".into(),
            description: None,
            kind: kind.into(),
            value,
            expires_on: expires_on.into(),
            max_uses: None,
            active: true,
            assignee_ids: assignees,
        }
    }

    fn field(result: Result<Input, ApiError>) -> String {
        match result {
            Err(ApiError::Validation { field, .. }) => field,
            Err(other) => panic!("unexpected {other:?}"),
            Ok(_) => "ok".into(),
        }
    }

    #[test]
    fn forms_are_checked_field_by_field() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("test value");
        let ok = parse(
            &request("percent", 10, "2026-12-31", vec![3, 2, 3]),
            today,
            None,
        )
        .expect("test value");
        assert_eq!((ok.code.as_str(), ok.assignee_ids), ("SALE10", vec![2, 3]));
        assert_eq!(
            field(parse(
                &request("percent", 101, "2026-12-31", vec![1]),
                today,
                None
            )),
            "value"
        );
        assert_eq!(
            field(parse(
                &request("fixed", 0, "2026-12-31", vec![1]),
                today,
                None
            )),
            "value"
        );
        assert_eq!(
            field(parse(
                &request("gift", 1, "2026-12-31", vec![1]),
                today,
                None
            )),
            "kind"
        );
        assert_eq!(
            field(parse(
                &request("fixed", 1, "2026-11-24", vec![1]),
                today,
                None
            )),
            "expires_on"
        );
        assert_eq!(
            field(parse(
                &request("fixed", 1, "2026-12-31", vec![]),
                today,
                None
            )),
            "assignee_ids"
        );
        let old = coupon(Some(5), 3, true);
        let mut shrink = request("percent", 10, "2026-11-30", vec![1]);
        shrink.max_uses = Some(2);
        assert_eq!(field(parse(&shrink, today, Some(&old))), "max_uses");
    }
}
