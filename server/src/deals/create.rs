//! Closing a contact: its holder creates the deal, and in the same transaction the
//! contact becomes `won`, the coupon's use is taken, the deal, its lines and its
//! first payment row are written, both changes audited and both events recorded.
//! Any refusal along the way rolls all of it back.

use api_types::{ApiErrorBody, CreateDealRequest, DealDto};
use axum::{Json, extract::State, http::StatusCode};
use entities::{contact, deal, deal_line, deal_payment};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::{lines, payment, view};
use crate::{
    auth::current_user::AuthUser,
    codes::{self, Series},
    contacts::{input, scope::ContactState, status::Status},
    coupons::rules as coupon_rules,
    db,
    domain::{self, today_in_vietnam},
    error::{ApiError, ApiResult},
    events::{self, Audience, Draft},
    http::json::ApiJson,
    state::AppState,
};

/// Parses the fields every deal form shares: date and note.
pub fn closed_on_and_note(
    closed_on: &str,
    note: Option<&str>,
    today: chrono::NaiveDate,
) -> Result<(chrono::NaiveDate, Option<String>), ApiError> {
    let closed_on = domain::date("closed_on", closed_on, "Ngày chốt")?;
    if closed_on > today {
        return Err(ApiError::validation(
            "closed_on",
            "Ngày chốt không được sau hôm nay",
        ));
    }
    let note = match note {
        Some(n) => Some(input::clean_note("note", n)?).filter(|n| !n.is_empty()),
        None => None,
    };
    Ok((closed_on, note))
}

fn not_closable() -> ApiError {
    ApiError::Conflict {
        code: "contact_not_closable",
        message: "Chỉ Sale đang giữ khách hàng ở trạng thái Đang tư vấn mới chốt được hợp đồng"
            .into(),
        field: Some("contact_id".into()),
    }
}

/// Close a contact you hold with its deal; the contact becomes `won`.
#[utoipa::path(
    post, path = "/api/deals", tag = "deals",
    request_body = CreateDealRequest,
    responses(
        (status = 201, body = DealDto),
        (status = 404, description = "no such contact in your scope", body = ApiErrorBody),
        (status = 409, description = "contact_not_closable, deal_exists", body = ApiErrorBody),
        (status = 422, description = "bad field, e.g. `lines[1].unit_price`, `coupon_code`", body = ApiErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiJson(body): ApiJson<CreateDealRequest>,
) -> ApiResult<(StatusCode, Json<DealDto>)> {
    let now = state.clock.now();
    let today = today_in_vietnam(now);
    let payment_status = body.payment_status.trim().to_owned();
    if !payment::OPENING.contains(&payment_status.as_str()) {
        return Err(ApiError::validation(
            "payment_status",
            "Trạng thái thanh toán ban đầu phải là Chưa thanh toán, Thanh toán một phần hoặc Đã thanh toán đủ",
        ));
    }
    let (closed_on, note) = closed_on_and_note(&body.closed_on, body.note.as_deref(), today)?;
    let coupon_code = body
        .coupon_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());

    let tx = db::begin_write(&state.db).await?;
    let held = crate::contacts::find_visible(&tx, &caller, body.contact_id).await?;
    if held.status != Status::Consulting.code() || held.assignee_id != Some(caller.user.id) {
        return Err(not_closable());
    }
    if deal::Entity::find()
        .filter(deal::Column::ContactId.eq(held.id))
        .one(&tx)
        .await?
        .is_some()
    {
        return Err(ApiError::Conflict {
            code: "deal_exists",
            message: format!("Khách hàng {} đã có hợp đồng", held.code),
            field: Some("contact_id".into()),
        });
    }
    let priced_lines = lines::resolve(&tx, &body.lines, &[], now).await?;
    let coupon = match coupon_code {
        Some(code) => Some(coupon_rules::find_applicable(&tx, code, caller.user.id, today).await?),
        None => None,
    };
    let pricing = lines::price(
        &priced_lines,
        coupon.as_ref().and_then(coupon_rules::discount),
    )?;

    // The guarded update: only the holder's consulting contact moves to won, whatever
    // happened since it was read.
    let won = contact::Entity::update_many()
        .col_expr(contact::Column::Status, Status::Won.code().into())
        .col_expr(contact::Column::UpdatedAt, now.into())
        .filter(contact::Column::Id.eq(held.id))
        .filter(contact::Column::Status.eq(Status::Consulting.code()))
        .filter(contact::Column::AssigneeId.eq(caller.user.id))
        .exec(&tx)
        .await?;
    if won.rows_affected != 1 {
        return Err(not_closable());
    }
    // Taking the coupon's use comes after the contact moved: running out of uses
    // here must (and does) undo that move with everything else.
    if let Some(coupon) = &coupon {
        coupon_rules::claim(&tx, coupon).await?;
    }
    let key = state.vault.key_for(&tx, held.id).await?;
    let created = deal::ActiveModel {
        code: Set(codes::next_code(&tx, Series::Deal, now).await?),
        contact_id: Set(held.id),
        closer_id: Set(caller.user.id),
        team_id: Set(caller.user.team_id.or(held.team_id)),
        coupon_id: Set(coupon.as_ref().map(|c| c.id)),
        coupon_kind: Set(coupon.as_ref().map(|c| c.kind.clone())),
        coupon_value: Set(coupon.as_ref().map(|c| c.value)),
        subtotal: Set(pricing.subtotal),
        discount: Set(pricing.discount),
        total: Set(pricing.total),
        payment_status: Set(payment_status.clone()),
        closed_on: Set(closed_on),
        note_enc: Set(note
            .as_deref()
            .zip(key.as_ref())
            .map(|(n, k)| k.seal(view::NOTE_FIELD, n))),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    insert_lines(&tx, created.id, &priced_lines).await?;
    deal_payment::ActiveModel {
        deal_id: Set(created.id),
        from_status: Set(None),
        to_status: Set(payment_status),
        note_enc: Set(None),
        changed_by: Set(caller.user.id),
        changed_at: Set(now),
        ..Default::default()
    }
    .insert(&tx)
    .await?;

    let after_contact = contact::Model {
        status: Status::Won.code().to_owned(),
        updated_at: now,
        ..held.clone()
    };
    caller
        .audit(
            &tx,
            now,
            "contacts.status_changed",
            Some(("contact", held.id.to_string())),
            Some(json!({ "status": held.status, "assignee_id": held.assignee_id })),
            Some(json!({
                "status": after_contact.status,
                "assignee_id": after_contact.assignee_id,
                "deal": created.code,
            })),
        )
        .await?;
    caller
        .audit(
            &tx,
            now,
            "deals.created",
            Some(("deal", created.id.to_string())),
            None,
            Some(view::snapshot(
                &created,
                &line_summaries(&priced_lines),
                coupon.as_ref().map(|c| c.code.as_str()),
                key.as_ref(),
                note.as_deref(),
            )),
        )
        .await?;
    let status_event = events::record(
        &tx,
        None,
        now,
        Draft {
            kind: "contact.status_changed",
            contact_id: Some(held.id),
            data: json!({
                "id": held.id,
                "code": held.code,
                "from": held.status,
                "to": after_contact.status,
                "assignee_id": held.assignee_id,
                "actor": { "id": caller.user.id, "full_name": caller.user.full_name },
            }),
            personal: &[],
            audience: Audience::Contact {
                states: vec![
                    ContactState::from(&held),
                    ContactState::from(&after_contact),
                ],
            },
        },
    )
    .await?;
    let contact_name = state.vault.open(key.as_ref(), &held).full_name;
    let deal_event = events::record(
        &tx,
        key.as_ref(),
        now,
        Draft {
            kind: "deal.created",
            contact_id: Some(held.id),
            data: json!({
                "id": created.id,
                "code": created.code,
                "contact_id": held.id,
                "contact_code": held.code,
                "contact_name": contact_name,
                "closer": { "id": caller.user.id, "full_name": caller.user.full_name },
                "team_id": created.team_id,
                "total": created.total,
                "payment_status": created.payment_status,
            }),
            personal: &["contact_name"],
            audience: Audience::Deal {
                closer_id: caller.user.id,
            },
        },
    )
    .await?;
    let loaded = view::load(&tx, &state.vault, created).await?;
    let dto = view::detail(&tx, &state.vault, &caller, loaded).await?;
    state
        .live
        .feed
        .commit(tx, vec![status_event, deal_event])
        .await?;
    Ok((StatusCode::CREATED, Json(dto)))
}

pub async fn insert_lines(
    conn: &impl sea_orm::ConnectionTrait,
    deal_id: i64,
    lines: &[lines::Line],
) -> Result<(), ApiError> {
    deal_line::Entity::insert_many(lines.iter().zip(1..).map(|(line, position)| {
        deal_line::ActiveModel {
            deal_id: Set(deal_id),
            position: Set(position),
            product_id: Set(line.product.id),
            quantity: Set(line.quantity),
            unit_price: Set(line.unit_price),
            line_total: Set(line.line_total),
            closed_at: Set(line.closed_at),
            ..Default::default()
        }
    }))
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// (product code, quantity, unit price, line total) for the audit snapshot.
pub fn line_summaries(lines: &[lines::Line]) -> Vec<(String, i32, i64, i64)> {
    lines
        .iter()
        .map(|l| {
            (
                l.product.code.clone(),
                l.quantity,
                l.unit_price,
                l.line_total,
            )
        })
        .collect()
}
