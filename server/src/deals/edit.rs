//! Editing a deal: lines, coupon, date and note. The total is recomputed; changing the
//! coupon gives the old one's use back and takes the new one's, which must be
//! assigned to the deal's closer and valid today. Audited with before and after.

use api_types::{ApiErrorBody, DealDto, Discount, UpdateDealRequest};
use axum::{Json, extract::State};
use entities::{coupon, deal, deal_line};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use super::{
    create::{closed_on_and_note, insert_lines, line_summaries},
    lines, scope, view,
};
use crate::{
    auth::current_user::AuthUser, coupons::rules as coupon_rules, db, domain::today_in_vietnam,
    error::ApiResult, http::json::ApiJson, http::params::ApiPath, state::AppState,
};

/// Replace a deal's lines, coupon, date and note.
#[utoipa::path(
    put, path = "/api/deals/{id}", tag = "deals",
    params(("id" = i64, Path)),
    request_body = UpdateDealRequest,
    responses(
        (status = 200, body = DealDto),
        (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "deal_refunded", body = ApiErrorBody),
        (status = 422, body = ApiErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateDealRequest>,
) -> ApiResult<Json<DealDto>> {
    let now = state.clock.now();
    let today = today_in_vietnam(now);
    let (closed_on, note) = closed_on_and_note(&body.closed_on, body.note.as_deref(), today)?;
    let tx = db::begin_write(&state.db).await?;
    let row = scope::find_editable(&tx, &caller, id).await?;
    let before = view::load(&tx, &state.vault, row.clone()).await?;
    let priced_lines = lines::resolve(&tx, &body.lines, &before.lines, now).await?;

    let old_coupon = match row.coupon_id {
        Some(cid) => coupon::Entity::find_by_id(cid).one(&tx).await?,
        None => None,
    };
    let wanted = body
        .coupon_code
        .as_deref()
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty());
    let kept = old_coupon
        .as_ref()
        .filter(|c| wanted.as_deref() == Some(c.code.as_str()));
    // (id, kind, value) of the coupon the deal ends up with.
    let applied = match (&wanted, kept) {
        (None, _) => None,
        (Some(_), Some(kept)) => row
            .coupon_kind
            .clone()
            .zip(row.coupon_value)
            .map(|(kind, value)| (kept.id, kind, value)),
        (Some(code), None) => {
            let fresh = coupon_rules::find_applicable(&tx, code, row.closer_id, today).await?;
            coupon_rules::claim(&tx, &fresh).await?;
            Some((fresh.id, fresh.kind.clone(), fresh.value))
        }
    };
    if let Some(old) = &old_coupon
        && kept.is_none()
    {
        coupon_rules::release(&tx, old.id).await?;
    }
    let discount = applied
        .as_ref()
        .and_then(|(_, kind, value)| Discount::from_coupon(kind, *value));
    let pricing = lines::price(&priced_lines, discount)?;

    deal_line::Entity::delete_many()
        .filter(deal_line::Column::DealId.eq(id))
        .exec(&tx)
        .await?;
    insert_lines(&tx, id, &priced_lines).await?;
    let key = before.key.clone();
    let updated = deal::Entity::update(deal::ActiveModel {
        id: Set(id),
        coupon_id: Set(applied.as_ref().map(|(cid, _, _)| *cid)),
        coupon_kind: Set(applied.as_ref().map(|(_, kind, _)| kind.clone())),
        coupon_value: Set(applied.as_ref().map(|(_, _, value)| *value)),
        subtotal: Set(pricing.subtotal),
        discount: Set(pricing.discount),
        total: Set(pricing.total),
        closed_on: Set(closed_on),
        note_enc: Set(note
            .as_deref()
            .zip(key.as_ref())
            .map(|(n, k)| k.seal(view::NOTE_FIELD, n))),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;

    let old_lines: Vec<(String, i32, i64, i64)> = before
        .lines
        .iter()
        .map(|l| {
            let code = before
                .products
                .get(&l.product_id)
                .map(|p| p.code.clone())
                .unwrap_or_default();
            (code, l.quantity, l.unit_price, l.line_total)
        })
        .collect();
    let old_note = view::open_note(key.as_ref(), view::NOTE_FIELD, row.note_enc.as_ref());
    let new_coupon_code = match &applied {
        Some(_) => wanted.clone(),
        None => None,
    };
    caller
        .audit(
            &tx,
            now,
            "deals.updated",
            Some(("deal", id.to_string())),
            Some(view::snapshot(
                &row,
                &old_lines,
                old_coupon.as_ref().map(|c| c.code.as_str()),
                key.as_ref(),
                old_note.as_deref(),
            )),
            Some(view::snapshot(
                &updated,
                &line_summaries(&priced_lines),
                new_coupon_code.as_deref(),
                key.as_ref(),
                note.as_deref(),
            )),
        )
        .await?;
    let loaded = view::load(&tx, &state.vault, updated).await?;
    let dto = view::detail(&tx, &state.vault, &caller, loaded).await?;
    tx.commit().await?;
    Ok(Json(dto))
}
