//! Payment status (SRS 4.4): pending → partial → paid, refunds, and corrections one
//! step back; every change is a history row and an audit entry. Refunded is final.

use api_types::{ApiErrorBody, DealDto, PAYMENT_STATUSES, PaymentStatusRequest};
use axum::{Json, extract::State};
use entities::{deal, deal_payment};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::json;

use super::{scope, view};
use crate::{
    auth::current_user::AuthUser,
    contacts::input,
    db,
    error::{ApiError, ApiResult},
    http::json::ApiJson,
    http::params::ApiPath,
    state::AppState,
};

pub const REFUNDED: &str = "refunded";

/// Statuses a deal may open with.
pub const OPENING: &[&str] = &["pending", "partial", "paid"];

/// Where a deal's payment status may go from `from`.
pub fn moves(from: &str) -> &'static [&'static str] {
    match from {
        "pending" => &["partial", "paid"],
        "partial" => &["pending", "paid", REFUNDED],
        "paid" => &["partial", REFUNDED],
        _ => &[],
    }
}

pub fn is_status(code: &str) -> bool {
    PAYMENT_STATUSES.iter().any(|(c, _)| *c == code)
}

/// Change a deal's payment status, with an optional note kept in its history.
#[utoipa::path(
    post, path = "/api/deals/{id}/payment", tag = "deals",
    params(("id" = i64, Path)),
    request_body = PaymentStatusRequest,
    responses(
        (status = 200, body = DealDto),
        (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "deal_refunded", body = ApiErrorBody),
        (status = 422, description = "invalid_transition, with `allowed`", body = ApiErrorBody),
    )
)]
pub async fn change_payment(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PaymentStatusRequest>,
) -> ApiResult<Json<DealDto>> {
    let target = body.status.trim().to_owned();
    if !is_status(&target) {
        return Err(ApiError::validation(
            "status",
            "Trạng thái thanh toán không hợp lệ",
        ));
    }
    let note = match body.note.as_deref() {
        Some(n) => Some(input::clean_note("note", n)?).filter(|n| !n.is_empty()),
        None => None,
    };
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    let row = scope::find_editable(&tx, &caller, id).await?;
    let allowed = moves(&row.payment_status);
    if !allowed.contains(&target.as_str()) {
        return Err(ApiError::InvalidPaymentMove {
            from: row.payment_status.clone(),
            to: target,
            allowed: allowed.iter().map(|s| (*s).to_owned()).collect(),
        });
    }
    let key = state.vault.key_for(&tx, row.contact_id).await?;
    deal_payment::ActiveModel {
        deal_id: Set(id),
        from_status: Set(Some(row.payment_status.clone())),
        to_status: Set(target.clone()),
        note_enc: Set(note
            .as_deref()
            .zip(key.as_ref())
            .map(|(n, k)| k.seal(view::PAYMENT_NOTE_FIELD, n))),
        changed_by: Set(caller.user.id),
        changed_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let updated = deal::Entity::update(deal::ActiveModel {
        id: Set(id),
        payment_status: Set(target),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    caller
        .audit(
            &tx,
            now,
            "deals.payment_changed",
            Some(("deal", id.to_string())),
            Some(json!({ "code": row.code, "payment_status": row.payment_status })),
            Some(json!({
                "code": updated.code,
                "payment_status": updated.payment_status,
                "note": note.as_deref().zip(key.as_ref())
                    .map(|(n, k)| json!({ "sealed": k.seal("audit.note", n) })),
            })),
        )
        .await?;
    let loaded = view::load(&tx, &state.vault, updated).await?;
    let dto = view::detail(&tx, &state.vault, &caller, loaded).await?;
    tx.commit().await?;
    Ok(Json(dto))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refunded_is_final_and_every_move_lands_on_a_known_status() {
        assert!(moves(REFUNDED).is_empty());
        assert!(
            !moves("pending").contains(&REFUNDED),
            "nothing paid, nothing to refund"
        );
        for (code, _) in PAYMENT_STATUSES {
            for to in moves(code) {
                assert!(is_status(to));
                assert_ne!(code, to);
            }
        }
        assert!(OPENING.iter().all(|s| is_status(s) && *s != REFUNDED));
    }
}
