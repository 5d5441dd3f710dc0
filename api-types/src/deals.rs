//! Products, coupons and deals (SPEC.md DEAL / PROD / COUPON). Money is integer VND
//! everywhere; the total's arithmetic lives here so the deal form's live total and
//! the server's stored total are the same computation.

use serde::{Deserialize, Serialize};

/// Product statuses with their Vietnamese names.
pub const PRODUCT_STATUSES: &[(&str, &str)] = &[
    ("selling", "Đang kinh doanh"),
    ("stopped", "Ngừng kinh doanh"),
];

/// Coupon kinds with their Vietnamese names.
pub const COUPON_KINDS: &[(&str, &str)] =
    &[("percent", "Phần trăm (%)"), ("fixed", "Số tiền cố định")];

/// Payment statuses with their Vietnamese names (SRS 4.4).
pub const PAYMENT_STATUSES: &[(&str, &str)] = &[
    ("pending", "Chưa thanh toán"),
    ("partial", "Thanh toán một phần"),
    ("paid", "Đã thanh toán đủ"),
    ("refunded", "Hoàn tiền"),
];

/// The largest amount any price, line or total may reach: 10^15 đồng. Far beyond a
/// legal-services contract, far below where integer arithmetic could overflow.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// Most units of one product on one line.
pub const MAX_QUANTITY: i32 = 10_000;

/// `1500000` → `1.500.000 ₫`.
pub fn format_vnd(amount: i64) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}{} ₫", group_thousands(amount.unsigned_abs()))
}

/// `1500000` → `1.500.000`, as Vietnamese write numbers.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    grouped
}

/// A coupon's effect on a deal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    /// 1–100 per cent of the subtotal, rounded to the nearest đồng (halves up).
    Percent(i64),
    /// A fixed amount, never more than the subtotal.
    Fixed(i64),
}

impl Discount {
    pub fn from_coupon(kind: &str, value: i64) -> Option<Self> {
        match kind {
            "percent" => Some(Self::Percent(value)),
            "fixed" => Some(Self::Fixed(value)),
            _ => None,
        }
    }
}

/// What a deal adds up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pricing {
    /// Σ quantity × unit price.
    pub subtotal: i64,
    /// What the coupon takes off, at most the subtotal.
    pub discount: i64,
    /// subtotal − discount, never below 0.
    pub total: i64,
}

/// Prices `(quantity, unit_price)` lines with an optional coupon. `None` when an
/// amount leaves `0..=MAX_AMOUNT` (the caller names the field).
pub fn price(lines: &[(i32, i64)], discount: Option<Discount>) -> Option<Pricing> {
    let mut subtotal: i64 = 0;
    for &(quantity, unit_price) in lines {
        let line = line_total(quantity, unit_price)?;
        subtotal = subtotal.checked_add(line).filter(|s| *s <= MAX_AMOUNT)?;
    }
    let raw = match discount {
        None => 0,
        Some(Discount::Percent(pct)) => {
            let pct = i128::from(pct.clamp(0, 100));
            // Round half up in integers: ⌊(s·p + 50) / 100⌋.
            ((i128::from(subtotal) * pct + 50) / 100) as i64
        }
        Some(Discount::Fixed(amount)) => amount.max(0),
    };
    let discount = raw.min(subtotal);
    Some(Pricing {
        subtotal,
        discount,
        total: subtotal - discount,
    })
}

/// quantity × unit price, `None` when out of range.
pub fn line_total(quantity: i32, unit_price: i64) -> Option<i64> {
    if !(1..=MAX_QUANTITY).contains(&quantity) || !(0..=MAX_AMOUNT).contains(&unit_price) {
        return None;
    }
    unit_price
        .checked_mul(i64::from(quantity))
        .filter(|t| *t <= MAX_AMOUNT)
}

// ---------------------------------------------------------------------------------
// Products

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductDto {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    /// List price, integer VND.
    pub base_price: i64,
    /// Floor price ("giá sàn"): the lowest unit price a deal line may use. `None`
    /// means the base price is the floor; higher prices are always allowed.
    pub min_price: Option<i64>,
    /// Delivery workflow (phase 2), free text for now.
    pub workflow_type: Option<String>,
    /// `selling` | `stopped`; stopped products cannot go on new deals.
    pub status: String,
    /// How many deal lines use it (a used product can be stopped, not deleted).
    pub deal_lines: u64,
    pub created_at: String,
    pub updated_at: String,
}

impl ProductDto {
    /// The lowest unit price a deal line may use.
    pub fn floor_price(&self) -> i64 {
        self.min_price.unwrap_or(self.base_price)
    }
}

/// `POST /api/products` and `PUT /api/products/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductRequest {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub base_price: i64,
    #[serde(default)]
    pub min_price: Option<i64>,
    #[serde(default)]
    pub workflow_type: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

// ---------------------------------------------------------------------------------
// Coupons

/// An employee as a coupon assignee, a deal's closer or a filter option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonRef {
    pub id: i64,
    pub full_name: String,
    pub username: String,
    pub team_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouponDto {
    pub id: i64,
    /// Upper case, e.g. `SALE2026`.
    pub code: String,
    pub description: Option<String>,
    /// `percent` | `fixed`.
    pub kind: String,
    /// Per cent (1–100) or VND.
    pub value: i64,
    /// Last day of validity (`YYYY-MM-DD`, Vietnamese calendar): valid through its end.
    pub expires_on: String,
    /// How many deals may use it in all; `None` = no limit.
    pub max_uses: Option<i32>,
    pub used_count: i32,
    pub active: bool,
    /// True when it can be applied today (active, not expired, uses left).
    pub usable: bool,
    /// Employees who may apply it. A Sale listing their own coupons sees only themself.
    pub assignees: Vec<PersonRef>,
    pub created_at: String,
    pub updated_at: String,
}

/// `POST /api/coupons` and `PUT /api/coupons/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouponRequest {
    pub code: String,
    #[serde(default)]
    pub description: Option<String>,
    pub kind: String,
    pub value: i64,
    /// `YYYY-MM-DD`.
    pub expires_on: String,
    #[serde(default)]
    pub max_uses: Option<i32>,
    #[serde(default = "yes")]
    pub active: bool,
    pub assignee_ids: Vec<i64>,
}

fn yes() -> bool {
    true
}

// ---------------------------------------------------------------------------------
// Deals

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealLineRequest {
    pub product_id: i64,
    pub quantity: i32,
    /// Defaults to the product's base price; never below its floor price.
    #[serde(default)]
    pub unit_price: Option<i64>,
    /// When this product was closed: `YYYY-MM-DD` or RFC 3339; defaults to now.
    #[serde(default)]
    pub closed_at: Option<String>,
}

/// `POST /api/deals`: the contact's holder closes it; the contact becomes `won`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateDealRequest {
    pub contact_id: i64,
    pub lines: Vec<DealLineRequest>,
    #[serde(default)]
    pub coupon_code: Option<String>,
    /// `pending` | `partial` | `paid` (a new deal cannot start refunded).
    pub payment_status: String,
    /// Contract signing date, `YYYY-MM-DD`.
    pub closed_on: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// `PUT /api/deals/{id}`: lines, coupon, date and note (payment status has its own
/// endpoint and history).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateDealRequest {
    pub lines: Vec<DealLineRequest>,
    /// Empty or absent removes the coupon.
    #[serde(default)]
    pub coupon_code: Option<String>,
    pub closed_on: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// `POST /api/deals/{id}/payment`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentStatusRequest {
    pub status: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealLineDto {
    pub id: i64,
    pub product_id: i64,
    pub product_code: String,
    pub product_name: String,
    pub quantity: i32,
    pub unit_price: i64,
    pub line_total: i64,
    pub closed_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppliedCoupon {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub value: i64,
}

/// One payment-status change, oldest first in a deal's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentChangeDto {
    pub id: i64,
    /// `None` for the status the deal was created with.
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: Option<String>,
    pub changed_by: i64,
    pub changed_by_name: Option<String>,
    pub changed_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealDto {
    pub id: i64,
    /// `HD2026-001`.
    pub code: String,
    pub contact_id: i64,
    pub contact_code: String,
    pub contact_name: String,
    pub closer_id: i64,
    pub closer_name: Option<String>,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    pub lines: Vec<DealLineDto>,
    pub coupon: Option<AppliedCoupon>,
    pub subtotal: i64,
    pub discount: i64,
    pub total: i64,
    pub payment_status: String,
    pub closed_on: String,
    pub note: Option<String>,
    pub payments: Vec<PaymentChangeDto>,
    /// Whether the caller may edit it and change its payment status.
    pub editable: bool,
    /// Payment statuses the caller may move it to now.
    pub payment_moves: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A row of the deals list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealSummary {
    pub id: i64,
    pub code: String,
    pub contact_id: i64,
    pub contact_code: String,
    pub contact_name: String,
    pub closer_id: i64,
    pub closer_name: Option<String>,
    pub team_name: Option<String>,
    /// Product names, in line order.
    pub products: Vec<String>,
    pub coupon_code: Option<String>,
    pub total: i64,
    pub payment_status: String,
    pub closed_on: String,
}

/// `GET /api/deals`: one page plus totals over every matching deal.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealPage {
    pub items: Vec<DealSummary>,
    /// Matching deals (all pages).
    pub total: u64,
    /// Σ total of the matching deals (all pages), VND.
    pub sum_total: i64,
    /// Σ discount of the matching deals (all pages), VND.
    pub sum_discount: i64,
}

/// `GET /api/deals/filters`: the Sales and teams the caller may filter by.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealFilterOptions {
    pub closers: Vec<PersonRef>,
    pub teams: Vec<crate::TeamRef>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_with_dots_and_suffixed_with_dong() {
        assert_eq!(format_vnd(0), "0 ₫");
        assert_eq!(format_vnd(999), "999 ₫");
        assert_eq!(format_vnd(1_500_000), "1.500.000 ₫");
        assert_eq!(format_vnd(12_345_678), "12.345.678 ₫");
        assert_eq!(format_vnd(-2_000), "-2.000 ₫");
    }

    #[test]
    fn totals_add_lines_and_take_the_discount() {
        let lines = [(2, 1_500_000), (1, 3_000_000)];
        assert_eq!(
            price(&lines, None),
            Some(Pricing {
                subtotal: 6_000_000,
                discount: 0,
                total: 6_000_000
            })
        );
        let ten = price(&lines, Some(Discount::Percent(10))).expect("test value");
        assert_eq!((ten.discount, ten.total), (600_000, 5_400_000));
        let fixed = price(&lines, Some(Discount::Fixed(500_000))).expect("test value");
        assert_eq!((fixed.discount, fixed.total), (500_000, 5_500_000));
    }

    #[test]
    fn percent_discounts_round_half_up_to_the_dong() {
        // 15% of 1 003 = 150.45 → 150; of 1 010 = 151.5 → 152.
        assert_eq!(
            price(&[(1, 1_003)], Some(Discount::Percent(15)))
                .expect("test value")
                .discount,
            150
        );
        assert_eq!(
            price(&[(1, 1_010)], Some(Discount::Percent(15)))
                .expect("test value")
                .discount,
            152
        );
        assert_eq!(
            price(&[(3, 333)], Some(Discount::Percent(100)))
                .expect("test value")
                .total,
            0
        );
    }

    #[test]
    fn totals_never_go_below_zero() {
        let p = price(&[(1, 200_000)], Some(Discount::Fixed(500_000))).expect("test value");
        assert_eq!(
            p,
            Pricing {
                subtotal: 200_000,
                discount: 200_000,
                total: 0
            }
        );
        assert_eq!(
            price(&[], Some(Discount::Fixed(1)))
                .expect("test value")
                .total,
            0
        );
    }

    #[test]
    fn out_of_range_amounts_are_refused_not_wrapped() {
        assert_eq!(price(&[(0, 1_000)], None), None);
        assert_eq!(price(&[(1, -1)], None), None);
        assert_eq!(price(&[(MAX_QUANTITY + 1, 1)], None), None);
        assert_eq!(price(&[(MAX_QUANTITY, MAX_AMOUNT)], None), None);
        assert_eq!(price(&[(1, MAX_AMOUNT), (1, 1)], None), None);
        assert!(price(&[(1, MAX_AMOUNT)], None).is_some());
    }
}
