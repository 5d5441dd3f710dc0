//! The deal form's state as the user edits it: lines, coupon, dates and note, the live
//! total (priced with `api_types::price`, the server's own arithmetic) and the requests
//! it turns into. Kept free of components so it is tested natively.

use std::rc::Rc;

use api_types::{
    CouponDto, CreateDealRequest, DealDto, DealLineRequest, Discount, MAX_QUANTITY, Pricing,
    ProductDto, UpdateDealRequest, line_total, price,
};
use yew::{AttrValue, Reducible};

use crate::api::ApiError;
use crate::{format, money, text};

/// One line as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct LineDraft {
    /// Stable across edits and removals, so inputs and errors stay with their line.
    pub key: u64,
    pub product_id: Option<i64>,
    pub quantity: String,
    pub unit_price: String,
    /// The day the product was closed (`2026-11-25`); empty lets the server use now.
    pub closed_on: String,
    /// A saved line's instant with its day: sent back unchanged while the day is kept,
    /// so editing something else does not move the line's time to midnight.
    saved_closed_at: Option<(String, String)>,
}

/// A coupon the form offers, with what it takes off.
#[derive(Debug, Clone, PartialEq)]
pub struct CouponChoice {
    pub code: String,
    pub kind: String,
    pub value: i64,
}

impl CouponChoice {
    pub fn discount(&self) -> Option<Discount> {
        Discount::from_coupon(&self.kind, self.value)
    }
}

impl From<&CouponDto> for CouponChoice {
    fn from(coupon: &CouponDto) -> Self {
        Self {
            code: coupon.code.clone(),
            kind: coupon.kind.clone(),
            value: coupon.value,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DealDraft {
    pub lines: Vec<LineDraft>,
    next_key: u64,
    /// `""`: no coupon.
    pub coupon_code: String,
    /// Only sent on create; later changes go through the payment card.
    pub payment_status: String,
    /// Contract signing day (`2026-11-25`).
    pub closed_on: String,
    pub note: String,
    /// Today in Vietnam, the day new lines start with.
    today: String,
}

pub enum DraftAction {
    AddLine,
    RemoveLine(u64),
    /// The line's product and its base price, which becomes the line's unit price.
    Product(u64, Option<(i64, i64)>),
    Quantity(u64, String),
    UnitPrice(u64, String),
    /// The price input lost focus: a readable amount is shown grouped ("1.500.000").
    TidyPrice(u64),
    LineDay(u64, String),
    Coupon(String),
    Payment(String),
    ClosedOn(String),
    Note(String),
}

impl DealDraft {
    /// A new deal: one empty line, signed and closed today, not paid yet.
    pub fn new(today: String) -> Self {
        let mut draft = Self {
            lines: Vec::new(),
            next_key: 0,
            coupon_code: String::new(),
            payment_status: "pending".to_owned(),
            closed_on: today.clone(),
            note: String::new(),
            today,
        };
        draft.push_line();
        draft
    }

    /// A saved deal, as its edit form starts.
    pub fn from_deal(deal: &DealDto, today: String) -> Self {
        let lines: Vec<LineDraft> = deal
            .lines
            .iter()
            .zip(0..)
            .map(|(line, key)| {
                let day = format::vietnam_day(&line.closed_at).unwrap_or_default();
                LineDraft {
                    key,
                    product_id: Some(line.product_id),
                    quantity: line.quantity.to_string(),
                    unit_price: money::grouped(line.unit_price),
                    closed_on: day.clone(),
                    saved_closed_at: Some((day, line.closed_at.clone())),
                }
            })
            .collect();
        Self {
            next_key: lines.len() as u64,
            lines,
            coupon_code: deal
                .coupon
                .as_ref()
                .map(|c| c.code.clone())
                .unwrap_or_default(),
            payment_status: deal.payment_status.clone(),
            closed_on: deal.closed_on.clone(),
            note: deal.note.clone().unwrap_or_default(),
            today,
        }
    }

    fn push_line(&mut self) {
        self.lines.push(LineDraft {
            key: self.next_key,
            product_id: None,
            quantity: "1".to_owned(),
            unit_price: String::new(),
            closed_on: self.today.clone(),
            saved_closed_at: None,
        });
        self.next_key += 1;
    }

    fn line_mut(&mut self, key: u64) -> Option<&mut LineDraft> {
        self.lines.iter_mut().find(|line| line.key == key)
    }

    /// The discount of the chosen coupon, when it is one of `choices`.
    pub fn discount(&self, choices: &[CouponChoice]) -> Option<Discount> {
        choices
            .iter()
            .find(|c| !self.coupon_code.is_empty() && c.code == self.coupon_code)
            .and_then(CouponChoice::discount)
    }

    /// The live total over the lines filled in so far (a line without a product or
    /// with an unreadable amount does not count yet). `None` past the largest amount.
    pub fn pricing(&self, choices: &[CouponChoice]) -> Option<Pricing> {
        let lines: Vec<(i32, i64)> = self.lines.iter().filter_map(LineDraft::amounts).collect();
        price(&lines, self.discount(choices))
    }

    pub fn create_request(&self, contact_id: i64) -> Result<CreateDealRequest, DealError> {
        let lines = self.lines_request()?;
        Ok(CreateDealRequest {
            contact_id,
            lines,
            coupon_code: self.coupon(),
            payment_status: self.payment_status.clone(),
            closed_on: self.signing_day()?,
            note: self.note(),
        })
    }

    pub fn update_request(&self) -> Result<UpdateDealRequest, DealError> {
        let lines = self.lines_request()?;
        Ok(UpdateDealRequest {
            lines,
            coupon_code: self.coupon(),
            closed_on: self.signing_day()?,
            note: self.note(),
        })
    }

    fn lines_request(&self) -> Result<Vec<DealLineRequest>, DealError> {
        if self.lines.is_empty() {
            return Err(DealError::field("lines", text::DEAL_LINES_REQUIRED));
        }
        self.lines.iter().map(LineDraft::request).collect()
    }

    fn signing_day(&self) -> Result<String, DealError> {
        if format::vietnam_day(&self.closed_on).is_none() {
            return Err(DealError::field("closed_on", text::DEAL_DATE_REQUIRED));
        }
        Ok(self.closed_on.clone())
    }

    fn coupon(&self) -> Option<String> {
        Some(self.coupon_code.clone()).filter(|code| !code.is_empty())
    }

    fn note(&self) -> Option<String> {
        Some(self.note.trim().to_owned()).filter(|note| !note.is_empty())
    }
}

impl LineDraft {
    fn quantity(&self) -> Option<i32> {
        self.quantity
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|q| (1..=MAX_QUANTITY).contains(q))
    }

    /// `(quantity, unit price)` once both read and a product is chosen.
    fn amounts(&self) -> Option<(i32, i64)> {
        self.product_id?;
        Some((self.quantity()?, money::parse(&self.unit_price)?))
    }

    /// quantity × unit price, as far as it can be known yet.
    pub fn total(&self) -> Option<i64> {
        let (quantity, unit_price) = self.amounts()?;
        line_total(quantity, unit_price)
    }

    fn request(&self) -> Result<DealLineRequest, DealError> {
        let at = |field, message| DealError::line(self.key, field, message);
        let product_id = self
            .product_id
            .ok_or_else(|| at("product_id", text::PRODUCT_REQUIRED))?;
        let quantity = self
            .quantity()
            .ok_or_else(|| at("quantity", text::QUANTITY_INVALID))?;
        let unit_price =
            money::parse(&self.unit_price).ok_or_else(|| at("unit_price", text::AMOUNT_INVALID))?;
        let closed_at = match &self.saved_closed_at {
            Some((day, instant)) if *day == self.closed_on => Some(instant.clone()),
            _ => Some(self.closed_on.clone()).filter(|day| !day.is_empty()),
        };
        Ok(DealLineRequest {
            product_id,
            quantity,
            unit_price: Some(unit_price),
            closed_at,
        })
    }
}

impl Reducible for DealDraft {
    type Action = DraftAction;

    fn reduce(self: Rc<Self>, action: DraftAction) -> Rc<Self> {
        let mut draft = (*self).clone();
        match action {
            DraftAction::AddLine => draft.push_line(),
            DraftAction::RemoveLine(key) => draft.lines.retain(|line| line.key != key),
            DraftAction::Product(key, product) => {
                if let Some(line) = draft.line_mut(key) {
                    line.product_id = product.map(|(id, _)| id);
                    line.unit_price = product
                        .map(|(_, base)| money::grouped(base))
                        .unwrap_or_default();
                }
            }
            DraftAction::Quantity(key, value) => {
                if let Some(line) = draft.line_mut(key) {
                    line.quantity = value;
                }
            }
            DraftAction::UnitPrice(key, value) => {
                if let Some(line) = draft.line_mut(key) {
                    line.unit_price = value;
                }
            }
            DraftAction::TidyPrice(key) => {
                if let Some(line) = draft.line_mut(key)
                    && let Some(amount) = money::parse(&line.unit_price)
                {
                    line.unit_price = money::grouped(amount);
                }
            }
            DraftAction::LineDay(key, value) => {
                if let Some(line) = draft.line_mut(key) {
                    line.closed_on = value;
                }
            }
            DraftAction::Coupon(code) => draft.coupon_code = code,
            DraftAction::Payment(status) => draft.payment_status = status,
            DraftAction::ClosedOn(day) => draft.closed_on = day,
            DraftAction::Note(note) => draft.note = note,
        }
        Rc::new(draft)
    }
}

/// Products a line may choose: those on sale, plus the ones `kept` (an edited deal's
/// own products stay choices after they stop selling).
pub fn product_choices<'a>(products: &'a [ProductDto], kept: &[i64]) -> Vec<&'a ProductDto> {
    products
        .iter()
        .filter(|p| p.status == "selling" || kept.contains(&p.id))
        .collect()
}

/// Where an error belongs on the form.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorAt {
    Form,
    /// `lines`, `coupon_code`, `payment_status`, `closed_on`, `note`.
    Field(&'static str),
    /// A line (by key) and its `product_id`, `quantity`, `unit_price` or `closed_at`.
    Line(u64, &'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub struct DealError {
    pub at: ErrorAt,
    pub message: AttrValue,
}

const FIELDS: &[&str] = &[
    "lines",
    "coupon_code",
    "payment_status",
    "closed_on",
    "note",
];
const LINE_FIELDS: &[&str] = &["product_id", "quantity", "unit_price", "closed_at"];

impl DealError {
    fn field(field: &'static str, message: &'static str) -> Self {
        Self {
            at: ErrorAt::Field(field),
            message: AttrValue::Static(message),
        }
    }

    fn line(key: u64, field: &'static str, message: &'static str) -> Self {
        Self {
            at: ErrorAt::Line(key, field),
            message: AttrValue::Static(message),
        }
    }

    /// The server's error placed on the form: `lines[1].unit_price` goes under the
    /// second line's price as it was sent; unknown fields go to the form's alert.
    pub fn from_api(error: &ApiError, draft: &DealDraft) -> Self {
        let at = match locate(error.body.field.as_deref()) {
            Located::Line(index, field) => draft
                .lines
                .get(index)
                .map_or(ErrorAt::Field("lines"), |line| {
                    ErrorAt::Line(line.key, field)
                }),
            Located::Field(field) => ErrorAt::Field(field),
            Located::Form => ErrorAt::Form,
        };
        Self {
            at,
            message: error.message().into(),
        }
    }
}

#[derive(Debug, PartialEq)]
enum Located {
    Form,
    Field(&'static str),
    Line(usize, &'static str),
}

fn locate(field: Option<&str>) -> Located {
    let Some(field) = field else {
        return Located::Form;
    };
    if let Some(known) = FIELDS.iter().find(|known| **known == field) {
        return Located::Field(known);
    }
    let line = field.strip_prefix("lines[").and_then(|rest| {
        let (index, rest) = rest.split_once(']')?;
        let index = index.parse::<usize>().ok()?;
        let name = match rest.strip_prefix('.') {
            Some(name) => LINE_FIELDS.iter().find(|known| **known == name)?,
            // The line as a whole (e.g. the same product twice): its product is the culprit.
            None if rest.is_empty() => &"product_id",
            None => return None,
        };
        Some(Located::Line(index, name))
    });
    line.unwrap_or(Located::Form)
}

/// The message of the form's field `field`, if the error is there.
pub fn field_error(error: &Option<DealError>, field: &str) -> Option<AttrValue> {
    error
        .as_ref()
        .filter(|e| matches!(e.at, ErrorAt::Field(f) if f == field))
        .map(|e| e.message.clone())
}

/// The message of line `key`'s `field`, if the error is there.
pub fn line_error(error: &Option<DealError>, key: u64, field: &str) -> Option<AttrValue> {
    error
        .as_ref()
        .filter(|e| matches!(e.at, ErrorAt::Line(k, f) if k == key && f == field))
        .map(|e| e.message.clone())
}

#[cfg(test)]
mod tests {
    use api_types::{ApiErrorBody, DealLineDto};

    use super::*;

    fn reduce(draft: DealDraft, actions: Vec<DraftAction>) -> DealDraft {
        let mut draft = Rc::new(draft);
        for action in actions {
            draft = draft.reduce(action);
        }
        (*draft).clone()
    }

    fn ten_percent() -> Vec<CouponChoice> {
        vec![
            CouponChoice {
                code: "GIAM10".into(),
                kind: "percent".into(),
                value: 10,
            },
            CouponChoice {
                code: "BOT500".into(),
                kind: "fixed".into(),
                value: 500_000,
            },
        ]
    }

    /// Two lines: 2 × product 1 at its base price, 1 × product 2 at a typed price.
    fn two_lines() -> DealDraft {
        reduce(
            DealDraft::new("2026-11-25".into()),
            vec![
                DraftAction::Product(0, Some((1, 1_500_000))),
                DraftAction::Quantity(0, "2".into()),
                DraftAction::AddLine,
                DraftAction::Product(1, Some((2, 3_000_000))),
                DraftAction::UnitPrice(1, "2800000".into()),
                DraftAction::TidyPrice(1),
            ],
        )
    }

    #[test]
    fn choosing_a_product_fills_its_base_price_and_the_total_follows_each_edit() {
        let draft = two_lines();
        assert_eq!(draft.lines[0].unit_price, "1.500.000");
        assert_eq!(
            draft.lines[1].unit_price, "2.800.000",
            "tidied when the input is left"
        );
        assert_eq!(draft.lines[0].total(), Some(3_000_000));
        let total = |d: &DealDraft| d.pricing(&ten_percent()).map(|p| p.total);
        assert_eq!(total(&draft), Some(5_800_000));
        let discounted = reduce(draft.clone(), vec![DraftAction::Coupon("GIAM10".into())]);
        assert_eq!(
            discounted.pricing(&ten_percent()),
            Some(Pricing {
                subtotal: 5_800_000,
                discount: 580_000,
                total: 5_220_000
            })
        );
        let fixed = reduce(discounted, vec![DraftAction::Coupon("BOT500".into())]);
        assert_eq!(total(&fixed), Some(5_300_000));
        let one_line = reduce(fixed, vec![DraftAction::RemoveLine(0)]);
        assert_eq!(total(&one_line), Some(2_300_000));
    }

    #[test]
    fn unfinished_lines_wait_outside_the_total() {
        let draft = reduce(
            two_lines(),
            vec![DraftAction::AddLine, DraftAction::Quantity(1, "abc".into())],
        );
        assert_eq!(draft.lines[1].total(), None);
        assert_eq!(draft.lines[2].total(), None, "no product yet");
        assert_eq!(draft.pricing(&[]).map(|p| p.subtotal), Some(3_000_000));
        let Err(error) = draft.create_request(7) else {
            panic!("an unreadable quantity is refused");
        };
        assert_eq!(error.at, ErrorAt::Line(1, "quantity"));
    }

    #[test]
    fn an_unknown_coupon_takes_nothing_off() {
        let draft = reduce(two_lines(), vec![DraftAction::Coupon("HETHAN".into())]);
        assert_eq!(draft.discount(&ten_percent()), None);
        assert_eq!(draft.pricing(&ten_percent()).map(|p| p.discount), Some(0));
    }

    #[test]
    fn the_create_request_carries_every_line_with_its_day() {
        let draft = reduce(
            two_lines(),
            vec![
                DraftAction::LineDay(1, "2026-11-20".into()),
                DraftAction::Coupon("GIAM10".into()),
                DraftAction::Payment("partial".into()),
                DraftAction::Note("  Cọc 50%  ".into()),
            ],
        );
        let Ok(request) = draft.create_request(7) else {
            panic!("a complete draft is accepted");
        };
        assert_eq!(request.contact_id, 7);
        assert_eq!(request.lines.len(), 2);
        assert_eq!(request.lines[0].product_id, 1);
        assert_eq!(request.lines[0].quantity, 2);
        assert_eq!(request.lines[0].unit_price, Some(1_500_000));
        assert_eq!(request.lines[0].closed_at.as_deref(), Some("2026-11-25"));
        assert_eq!(request.lines[1].unit_price, Some(2_800_000));
        assert_eq!(request.lines[1].closed_at.as_deref(), Some("2026-11-20"));
        assert_eq!(request.coupon_code.as_deref(), Some("GIAM10"));
        assert_eq!(request.payment_status, "partial");
        assert_eq!(request.closed_on, "2026-11-25");
        assert_eq!(request.note.as_deref(), Some("Cọc 50%"));
    }

    #[test]
    fn missing_pieces_are_named_before_sending() {
        let empty = DealDraft::new("2026-11-25".into());
        let at = |d: &DealDraft| d.create_request(1).err().map(|e| e.at);
        assert_eq!(at(&empty), Some(ErrorAt::Line(0, "product_id")));
        let none = reduce(empty, vec![DraftAction::RemoveLine(0)]);
        assert_eq!(at(&none), Some(ErrorAt::Field("lines")));
        let undated = reduce(two_lines(), vec![DraftAction::ClosedOn(String::new())]);
        assert_eq!(at(&undated), Some(ErrorAt::Field("closed_on")));
        let free = reduce(two_lines(), vec![DraftAction::UnitPrice(0, "1,5".into())]);
        assert_eq!(at(&free), Some(ErrorAt::Line(0, "unit_price")));
    }

    fn saved_deal() -> DealDto {
        DealDto {
            id: 3,
            code: "HD2026-003".into(),
            contact_id: 7,
            contact_code: "KH2026-007".into(),
            contact_name: "Nguyễn Văn An".into(),
            closer_id: 4,
            closer_name: Some("Sale Một".into()),
            team_id: None,
            team_name: None,
            lines: vec![DealLineDto {
                id: 10,
                product_id: 2,
                product_code: "GPKD".into(),
                product_name: "Giấy phép kinh doanh".into(),
                quantity: 1,
                unit_price: 2_000_000,
                line_total: 2_000_000,
                closed_at: "2026-11-19T03:15:00Z".into(),
            }],
            coupon: None,
            subtotal: 2_000_000,
            discount: 0,
            total: 2_000_000,
            payment_status: "paid".into(),
            closed_on: "2026-11-19".into(),
            note: None,
            payments: Vec::new(),
            editable: true,
            payment_moves: Vec::new(),
            created_at: "2026-11-19T03:15:00Z".into(),
            updated_at: "2026-11-19T03:15:00Z".into(),
        }
    }

    #[test]
    fn an_edited_line_keeps_its_exact_time_until_its_day_changes() {
        let draft = DealDraft::from_deal(&saved_deal(), "2026-11-25".into());
        assert_eq!(draft.lines[0].closed_on, "2026-11-19");
        assert_eq!(draft.lines[0].unit_price, "2.000.000");
        let Ok(kept) = draft.update_request() else {
            panic!("the saved deal is valid");
        };
        assert_eq!(
            kept.lines[0].closed_at.as_deref(),
            Some("2026-11-19T03:15:00Z")
        );
        assert_eq!(kept.coupon_code, None);
        let moved = reduce(
            draft,
            vec![
                DraftAction::LineDay(0, "2026-11-18".into()),
                DraftAction::AddLine,
            ],
        );
        assert_eq!(moved.lines[1].key, 1, "new keys never reuse saved ones");
        assert_eq!(moved.lines[1].closed_on, "2026-11-25");
        let moved = reduce(moved, vec![DraftAction::RemoveLine(1)]);
        let Ok(request) = moved.update_request() else {
            panic!("still valid");
        };
        assert_eq!(request.lines[0].closed_at.as_deref(), Some("2026-11-18"));
    }

    fn server_error(field: Option<&str>) -> ApiError {
        ApiError {
            status: 422,
            body: ApiErrorBody {
                error: "validation".into(),
                message: "Giá bán thấp hơn giá sàn".into(),
                field: field.map(str::to_owned),
                ..ApiErrorBody::default()
            },
        }
    }

    #[test]
    fn server_errors_land_on_the_line_that_was_sent() {
        // Keys 0 and 2 after removing key 1: index 1 of the request is key 2.
        let draft = reduce(
            two_lines(),
            vec![
                DraftAction::AddLine,
                DraftAction::Product(2, Some((1, 10))),
                DraftAction::RemoveLine(1),
            ],
        );
        let at = |field| DealError::from_api(&server_error(field), &draft).at;
        assert_eq!(
            at(Some("lines[1].unit_price")),
            ErrorAt::Line(2, "unit_price")
        );
        assert_eq!(at(Some("lines[0]")), ErrorAt::Line(0, "product_id"));
        assert_eq!(at(Some("lines[5].quantity")), ErrorAt::Field("lines"));
        assert_eq!(at(Some("coupon_code")), ErrorAt::Field("coupon_code"));
        assert_eq!(at(Some("lines[0].colour")), ErrorAt::Form);
        assert_eq!(at(Some("contact_id")), ErrorAt::Form);
        assert_eq!(at(None), ErrorAt::Form);
        let error = Some(DealError::from_api(
            &server_error(Some("lines[1].unit_price")),
            &draft,
        ));
        assert!(line_error(&error, 2, "unit_price").is_some());
        assert!(line_error(&error, 0, "unit_price").is_none());
        assert!(field_error(&error, "lines").is_none());
    }

    #[test]
    fn stopped_products_are_offered_only_to_lines_that_have_them() {
        let product = |id: i64, status: &str| ProductDto {
            id,
            code: format!("SP{id}"),
            name: format!("Sản phẩm {id}"),
            description: None,
            base_price: 1_000_000,
            min_price: None,
            workflow_type: None,
            status: status.into(),
            deal_lines: 0,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let list = [
            product(1, "selling"),
            product(2, "stopped"),
            product(3, "stopped"),
        ];
        let ids = |kept: &[i64]| -> Vec<i64> {
            product_choices(&list, kept).iter().map(|p| p.id).collect()
        };
        assert_eq!(ids(&[]), [1]);
        assert_eq!(ids(&[3]), [1, 3]);
    }
}
