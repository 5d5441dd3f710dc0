//! Deals as the caller sees them, and their audit snapshots.

use std::collections::HashMap;

use api_types::{
    ApiErrorBody, AppliedCoupon, DealDto, DealLineDto, PaymentChangeDto,
    permissions::{DEALS_VIEW, DEALS_VIEW_ALL},
};
use axum::{Json, extract::State};
use chrono::{DateTime, SecondsFormat, Utc};
use entities::{contact, coupon, deal, deal_line, deal_payment, product, team};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use super::{payment, scope};
use crate::{
    auth::current_user::AuthUser,
    contacts::vault::{ERASED, Vault},
    crypto::envelope::DataKey,
    error::{ApiError, ApiResult},
    http::params::ApiPath,
    state::AppState,
    users::refs,
};

pub const NOTE_FIELD: &str = "deal.note";
pub const PAYMENT_NOTE_FIELD: &str = "deal_payment.note";

pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn open_note(key: Option<&DataKey>, field: &str, sealed: Option<&String>) -> Option<String> {
    sealed.map(|s| {
        key.and_then(|k| k.open(field, s).ok())
            .unwrap_or_else(|| ERASED.to_owned())
    })
}

/// A deal with the rows its screens need.
pub struct Loaded {
    pub deal: deal::Model,
    pub contact: contact::Model,
    pub key: Option<DataKey>,
    pub lines: Vec<deal_line::Model>,
    pub products: HashMap<i64, product::Model>,
}

pub async fn load(
    conn: &impl ConnectionTrait,
    vault: &Vault,
    deal: deal::Model,
) -> Result<Loaded, ApiError> {
    let contact = contact::Entity::find_by_id(deal.contact_id)
        .one(conn)
        .await?
        .ok_or(ApiError::NotFound)?;
    let key = vault.key_for(conn, contact.id).await?;
    let lines = deal_line::Entity::find()
        .filter(deal_line::Column::DealId.eq(deal.id))
        .order_by_asc(deal_line::Column::Position)
        .all(conn)
        .await?;
    let products = product::Entity::find()
        .filter(product::Column::Id.is_in(lines.iter().map(|l| l.product_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(Loaded {
        deal,
        contact,
        key,
        lines,
        products,
    })
}

pub async fn detail(
    conn: &impl ConnectionTrait,
    vault: &Vault,
    caller: &AuthUser,
    loaded: Loaded,
) -> Result<DealDto, ApiError> {
    let Loaded {
        deal,
        contact,
        key,
        lines,
        products,
    } = loaded;
    let payments = deal_payment::Entity::find()
        .filter(deal_payment::Column::DealId.eq(deal.id))
        .order_by_asc(deal_payment::Column::Id)
        .all(conn)
        .await?;
    let people = refs::by_id(
        conn,
        payments
            .iter()
            .map(|p| p.changed_by)
            .chain([deal.closer_id]),
    )
    .await?;
    let team_name = match deal.team_id {
        Some(id) => team::Entity::find_by_id(id)
            .one(conn)
            .await?
            .map(|t| t.name),
        None => None,
    };
    let coupon_code = match deal.coupon_id {
        Some(id) => coupon::Entity::find_by_id(id)
            .one(conn)
            .await?
            .map(|c| c.code),
        None => None,
    };
    let editable = scope::editable(caller, &deal);
    let name = |id: i64| people.get(&id).map(|p| p.full_name.clone());
    Ok(DealDto {
        id: deal.id,
        code: deal.code.clone(),
        contact_id: contact.id,
        contact_code: contact.code.clone(),
        contact_name: vault.open(key.as_ref(), &contact).full_name,
        closer_id: deal.closer_id,
        closer_name: name(deal.closer_id),
        team_id: deal.team_id,
        team_name,
        lines: lines
            .iter()
            .map(|l| {
                let p = products.get(&l.product_id);
                DealLineDto {
                    id: l.id,
                    product_id: l.product_id,
                    product_code: p.map(|p| p.code.clone()).unwrap_or_default(),
                    product_name: p.map(|p| p.name.clone()).unwrap_or_default(),
                    quantity: l.quantity,
                    unit_price: l.unit_price,
                    line_total: l.line_total,
                    closed_at: time(l.closed_at),
                }
            })
            .collect(),
        coupon: match (
            deal.coupon_id,
            coupon_code,
            &deal.coupon_kind,
            deal.coupon_value,
        ) {
            (Some(id), Some(code), Some(kind), Some(value)) => Some(AppliedCoupon {
                id,
                code,
                kind: kind.clone(),
                value,
            }),
            _ => None,
        },
        subtotal: deal.subtotal,
        discount: deal.discount,
        total: deal.total,
        payment_moves: if editable {
            payment::moves(&deal.payment_status)
                .iter()
                .map(|s| (*s).to_owned())
                .collect()
        } else {
            Vec::new()
        },
        payment_status: deal.payment_status.clone(),
        closed_on: deal.closed_on.format("%Y-%m-%d").to_string(),
        note: open_note(key.as_ref(), NOTE_FIELD, deal.note_enc.as_ref()),
        payments: payments
            .into_iter()
            .map(|p| PaymentChangeDto {
                id: p.id,
                from_status: p.from_status,
                to_status: p.to_status,
                note: open_note(key.as_ref(), PAYMENT_NOTE_FIELD, p.note_enc.as_ref()),
                changed_by: p.changed_by,
                changed_by_name: name(p.changed_by),
                changed_at: time(p.changed_at),
            })
            .collect(),
        editable,
        created_at: time(deal.created_at),
        updated_at: time(deal.updated_at),
    })
}

/// What the audit keeps of a deal; the note is sealed under the contact's key like
/// every other copy of personal free text.
pub fn snapshot(
    deal: &deal::Model,
    lines: &[(String, i32, i64, i64)],
    coupon_code: Option<&str>,
    key: Option<&DataKey>,
    note: Option<&str>,
) -> Value {
    json!({
        "code": deal.code,
        "contact_id": deal.contact_id,
        "closer_id": deal.closer_id,
        "lines": lines.iter().map(|(product, quantity, unit_price, line_total)| json!({
            "product": product,
            "quantity": quantity,
            "unit_price": unit_price,
            "line_total": line_total,
        })).collect::<Vec<_>>(),
        "coupon": coupon_code,
        "subtotal": deal.subtotal,
        "discount": deal.discount,
        "total": deal.total,
        "payment_status": deal.payment_status,
        "closed_on": deal.closed_on.format("%Y-%m-%d").to_string(),
        "note": note.zip(key).map(|(n, k)| json!({ "sealed": k.seal("audit.note", n) })),
    })
}

/// One deal with its lines, payment history and what the caller may do with it.
#[utoipa::path(
    get, path = "/api/deals/{id}", tag = "deals",
    params(("id" = i64, Path)),
    responses((status = 200, body = DealDto), (status = 404, body = ApiErrorBody))
)]
pub async fn get(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DealDto>> {
    let row = scope::find_visible(&state.db, &caller, id).await?;
    let loaded = load(&state.db, &state.vault, row).await?;
    Ok(Json(
        detail(&state.db, &state.vault, &caller, loaded).await?,
    ))
}

/// Contact id → its deal's id, for the contacts the caller may see deals of.
pub async fn deal_ids_for_contacts(
    conn: &impl ConnectionTrait,
    caller: &AuthUser,
    contact_ids: Vec<i64>,
) -> Result<HashMap<i64, i64>, ApiError> {
    if !caller.grants.has(DEALS_VIEW) && !caller.grants.has(DEALS_VIEW_ALL) {
        return Ok(HashMap::new());
    }
    Ok(deal::Entity::find()
        .filter(deal::Column::ContactId.is_in(contact_ids))
        .filter(scope::condition(caller))
        .all(conn)
        .await?
        .into_iter()
        .map(|d| (d.contact_id, d.id))
        .collect())
}
