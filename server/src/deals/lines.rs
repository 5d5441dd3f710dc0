//! A deal's lines as submitted: each product must exist and be on sale (unless the
//! deal already had it), quantities and prices within bounds, the unit price at or
//! above the product's floor. Errors name the line: `lines[1].unit_price`.

use std::collections::HashMap;

use api_types::{DealLineRequest, Discount, MAX_QUANTITY, Pricing, format_vnd};
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use entities::{deal_line, product};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{
    domain::{self, money, today_in_vietnam},
    error::ApiError,
    products::SELLING,
};

/// Most lines on one deal.
pub const MAX_LINES: usize = 50;

#[derive(Debug, Clone)]
pub struct Line {
    pub product: product::Model,
    pub quantity: i32,
    pub unit_price: i64,
    pub line_total: i64,
    pub closed_at: DateTime<Utc>,
}

/// Checks and prices `requests`. `previous` are the deal's stored lines on an edit:
/// a product or price already agreed on it stays acceptable even if the product was
/// stopped or its floor raised since.
pub async fn resolve(
    conn: &impl ConnectionTrait,
    requests: &[DealLineRequest],
    previous: &[deal_line::Model],
    now: DateTime<Utc>,
) -> Result<Vec<Line>, ApiError> {
    if requests.is_empty() {
        return Err(ApiError::validation(
            "lines",
            "Hợp đồng cần ít nhất một sản phẩm",
        ));
    }
    if requests.len() > MAX_LINES {
        return Err(ApiError::validation(
            "lines",
            format!("Một hợp đồng có tối đa {MAX_LINES} sản phẩm"),
        ));
    }
    let products: HashMap<i64, product::Model> = product::Entity::find()
        .filter(product::Column::Id.is_in(requests.iter().map(|l| l.product_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let today = today_in_vietnam(now);
    requests
        .iter()
        .enumerate()
        .map(|(i, req)| {
            let field = |name: &str| format!("lines[{i}].{name}");
            let product = products.get(&req.product_id).ok_or_else(|| {
                ApiError::validation(&field("product_id"), "Sản phẩm không tồn tại")
            })?;
            let had_product = previous.iter().any(|l| l.product_id == product.id);
            if product.status != SELLING && !had_product {
                return Err(ApiError::validation(
                    &field("product_id"),
                    format!("Sản phẩm {} đã ngừng kinh doanh", product.code),
                ));
            }
            if !(1..=MAX_QUANTITY).contains(&req.quantity) {
                return Err(ApiError::validation(
                    &field("quantity"),
                    format!("Số lượng phải từ 1 đến {MAX_QUANTITY}"),
                ));
            }
            let unit_price = money(
                &field("unit_price"),
                req.unit_price.unwrap_or(product.base_price),
                "Đơn giá",
            )?;
            let floor = product.min_price.unwrap_or(product.base_price);
            let agreed_before = previous
                .iter()
                .any(|l| l.product_id == product.id && l.unit_price == unit_price);
            if unit_price < floor && !agreed_before {
                return Err(ApiError::validation(
                    &field("unit_price"),
                    format!(
                        "Đơn giá của {} không được thấp hơn giá sàn {}",
                        product.code,
                        format_vnd(floor)
                    ),
                ));
            }
            let closed_at = match req.closed_at.as_deref().filter(|s| !s.trim().is_empty()) {
                None => now,
                Some(raw) => closed_at(&field("closed_at"), raw)?,
            };
            if today_in_vietnam(closed_at) > today {
                return Err(ApiError::validation(
                    &field("closed_at"),
                    "Thời điểm chốt không được sau hôm nay",
                ));
            }
            let line_total = api_types::line_total(req.quantity, unit_price).ok_or_else(|| {
                ApiError::validation(&field("unit_price"), "Thành tiền vượt giới hạn cho phép")
            })?;
            Ok(Line {
                product: product.clone(),
                quantity: req.quantity,
                unit_price,
                line_total,
                closed_at,
            })
        })
        .collect()
}

/// `2026-11-25` (start of that Vietnamese day) or an RFC 3339 instant.
fn closed_at(field: &str, raw: &str) -> Result<DateTime<Utc>, ApiError> {
    if let Ok(at) = DateTime::parse_from_rfc3339(raw.trim()) {
        return Ok(at.with_timezone(&Utc));
    }
    let day = domain::date(field, raw, "Thời điểm chốt")?;
    Ho_Chi_Minh
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .single()
        .map(|at| at.with_timezone(&Utc))
        .ok_or_else(|| ApiError::validation(field, "Thời điểm chốt không hợp lệ"))
}

/// The deal's amounts, refusing totals beyond the maximum.
pub fn price(lines: &[Line], discount: Option<Discount>) -> Result<Pricing, ApiError> {
    let pairs: Vec<(i32, i64)> = lines.iter().map(|l| (l.quantity, l.unit_price)).collect();
    api_types::price(&pairs, discount).ok_or_else(|| {
        ApiError::validation("lines", "Tổng giá trị hợp đồng vượt giới hạn cho phép")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_times_accept_a_vietnamese_day_or_an_instant() {
        assert_eq!(
            closed_at("f", "2026-11-25")
                .expect("test value")
                .to_rfc3339(),
            "2026-11-24T17:00:00+00:00"
        );
        assert_eq!(
            closed_at("f", "2026-11-25T08:00:00+07:00")
                .expect("test value")
                .to_rfc3339(),
            "2026-11-25T01:00:00+00:00"
        );
        assert!(closed_at("f", "hôm qua").is_err());
    }
}
