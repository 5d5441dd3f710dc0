//! The pick engine (SPEC.md PICK): one transaction, three conditional writes whose
//! affected-row counts decide the outcome, so exactly one Sale wins on any database
//! and across server processes; no in-process lock is involved.

use api_types::{ApiErrorBody, ContactDto, PickAllowance, PickUsage, PickedBy};
use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use entities::{contact, daily_pick, sale_pick_state, service_type, user};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};
use serde_json::json;

use super::{status::Status, view};
use crate::{
    audit::{self, AuditEntry},
    auth::current_user::AuthUser,
    db,
    error::{ApiError, ApiResult},
    events::{self, Audience, Draft},
    http::params::ApiPath,
    monitoring::PickOutcome,
    state::AppState,
};

/// "Today" for daily limits is the Asia/Ho_Chi_Minh calendar day.
pub fn business_day(now: DateTime<Utc>) -> String {
    now.with_timezone(&Ho_Chi_Minh)
        .format("%Y-%m-%d")
        .to_string()
}

fn cooldown(state: &AppState) -> Duration {
    Duration::from_std(state.config.pick_cooldown).unwrap_or(Duration::minutes(5))
}

/// Claim a new contact. Errors: `409 already_picked` with the winner, `429 cooldown`
/// with the seconds left, `409 daily_limit` naming the service type and its limit.
#[utoipa::path(
    post, path = "/api/contacts/{id}/pick", tag = "contacts",
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "Picked: status consulting, assignee = caller", body = ContactDto),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "already_picked (with picked_by) / daily_limit", body = ApiErrorBody),
        (status = 429, description = "cooldown (with retry_after_secs)", body = ApiErrorBody),
    )
)]
pub async fn pick(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ContactDto>> {
    let attempt = attempt(&state, &caller, id).await;
    if let Some(outcome) = outcome_of(&attempt) {
        state.metrics.pick(outcome);
    }
    Ok(Json(
        view::dto(&state.db, &state.vault, &caller, attempt?).await?,
    ))
}

async fn attempt(state: &AppState, caller: &AuthUser, id: i64) -> ApiResult<contact::Model> {
    let recent = &state.live.feed.recent_picks;
    // The losers of a race, answered without touching the database.
    if let Some(by) = recent.winner(id) {
        return Err(ApiError::AlreadyPicked { by });
    }
    // One attempt per contact at a time in this process: when 200 Sales click at once,
    // the first claims it and the others, woken one by one, find its winner above
    // instead of queueing 200 write transactions for a contact already gone.
    let _turn = recent.turn(id).await;
    if let Some(by) = recent.winner(id) {
        return Err(ApiError::AlreadyPicked { by });
    }
    claim(state, caller, id).await
}

/// How a pick ended, for the metrics; our own failures are counted as 5xx instead.
fn outcome_of(attempt: &ApiResult<contact::Model>) -> Option<PickOutcome> {
    match attempt {
        Ok(_) => Some(PickOutcome::Won),
        Err(ApiError::AlreadyPicked { .. })
        | Err(ApiError::Conflict {
            code: "not_available",
            ..
        }) => Some(PickOutcome::Lost),
        Err(ApiError::Internal(_)) => None,
        Err(_) => Some(PickOutcome::Refused),
    }
}

/// The three guarded writes of a pick, its audit entry and event, in one transaction;
/// returns the picked contact.
async fn claim(state: &AppState, caller: &AuthUser, id: i64) -> ApiResult<contact::Model> {
    let now = state.clock.now();
    let me = caller.user.id;
    // Reads happen before the write lock: the claim below re-checks the only thing
    // that can change (the status), so 200 racing Sales queue only for the writes.
    let target = view::find_visible(&state.db, caller, id).await;
    let target = match target {
        Ok(row) => row,
        // A picked contact leaves the pool, so a rival sees it as gone: report the winner.
        Err(ApiError::NotFound) => return Err(lost_race(&state.db, id).await?),
        Err(other) => return Err(other),
    };
    if target.status != Status::New.code() {
        return Err(lost_race(&state.db, id).await?);
    }
    let kind = service_type::Entity::find_by_id(target.service_type_id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound)?;
    let tx = db::begin_write(&state.db).await?;

    // 1. Claim: only one transaction can move it out of `new`.
    let claimed = contact::Entity::update_many()
        .col_expr(
            contact::Column::Status,
            Expr::value(Status::Consulting.code()),
        )
        .col_expr(contact::Column::AssigneeId, Expr::value(me))
        .col_expr(contact::Column::TeamId, Expr::value(caller.user.team_id))
        .col_expr(contact::Column::PickedAt, Expr::value(now))
        .col_expr(contact::Column::UpdatedAt, Expr::value(now))
        .filter(contact::Column::Id.eq(id))
        .filter(contact::Column::Status.eq(Status::New.code()))
        .exec(&tx)
        .await?
        .rows_affected;
    if claimed == 0 {
        drop(tx);
        return Err(lost_race(&state.db, id).await?);
    }

    // 2. Cooldown: the Sale's row moves only if the last pick is old enough.
    sale_pick_state::Entity::insert(sale_pick_state::ActiveModel {
        user_id: Set(me),
        last_pick_at: Set(None),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(&tx)
    .await?;
    let threshold = now - cooldown(state);
    let cooled = sale_pick_state::Entity::update_many()
        .col_expr(sale_pick_state::Column::LastPickAt, Expr::value(now))
        .filter(sale_pick_state::Column::UserId.eq(me))
        .filter(
            Condition::any()
                .add(sale_pick_state::Column::LastPickAt.is_null())
                .add(sale_pick_state::Column::LastPickAt.lte(threshold)),
        )
        .exec(&tx)
        .await?
        .rows_affected;
    if cooled == 0 {
        drop(tx);
        let remaining = cooldown_remaining(&state.db, me, now, cooldown(state)).await?;
        return Err(ApiError::Cooldown {
            retry_after_secs: Ord::max(remaining, 1),
        });
    }

    // 3. Daily limit per service type, counted on the UTC+7 calendar day.
    let day = business_day(now);
    daily_pick::Entity::insert(daily_pick::ActiveModel {
        user_id: Set(me),
        day: Set(day.clone()),
        service_type_id: Set(kind.id),
        count: Set(0),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(&tx)
    .await?;
    let counted = daily_pick::Entity::update_many()
        .col_expr(
            daily_pick::Column::Count,
            Expr::col(daily_pick::Column::Count).add(1),
        )
        .filter(daily_pick::Column::UserId.eq(me))
        .filter(daily_pick::Column::Day.eq(day.as_str()))
        .filter(daily_pick::Column::ServiceTypeId.eq(kind.id))
        .filter(daily_pick::Column::Count.lt(kind.daily_pick_limit))
        .exec(&tx)
        .await?
        .rows_affected;
    if counted == 0 {
        return Err(ApiError::DailyLimit {
            message: format!(
                "Bạn đã nhận đủ {} khách hàng loại \"{}\" hôm nay (giới hạn {}/ngày)",
                kind.daily_pick_limit, kind.name, kind.daily_pick_limit
            ),
        });
    }

    let picked = contact::Model {
        status: Status::Consulting.code().to_owned(),
        assignee_id: Some(me),
        team_id: caller.user.team_id,
        picked_at: Some(now),
        updated_at: now,
        ..target.clone()
    };
    audit::record(
        &tx,
        now,
        AuditEntry {
            actor: Some(caller.actor()),
            action: "contacts.picked",
            target: Some(("contact", id.to_string())),
            before: Some(json!({ "status": target.status, "assignee_id": null })),
            after: Some(json!({
                "status": picked.status,
                "assignee_id": me,
                "team_id": picked.team_id,
            })),
            meta: &caller.meta,
        },
    )
    .await?;
    let event = events::record(
        &tx,
        None,
        now,
        Draft {
            kind: "contact.picked",
            contact_id: Some(id),
            data: json!({
                "id": id,
                "code": picked.code,
                "service_type_id": picked.service_type_id,
                "picked_by": { "id": me, "full_name": caller.user.full_name },
            }),
            personal: &[],
            audience: Audience::Pool,
        },
    )
    .await?;
    state.live.feed.commit(tx, vec![event]).await?;
    Ok(picked)
}

/// The E1 answer: who holds the contact now (or `404` if there is no such contact).
async fn lost_race(conn: &impl ConnectionTrait, id: i64) -> Result<ApiError, DbErr> {
    let Some(row) = contact::Entity::find_by_id(id).one(conn).await? else {
        return Ok(ApiError::NotFound);
    };
    let holder = match row.assignee_id {
        Some(user_id) => user::Entity::find_by_id(user_id).one(conn).await?,
        None => None,
    };
    Ok(match holder {
        Some(u) => ApiError::AlreadyPicked {
            by: PickedBy {
                id: u.id,
                full_name: u.full_name,
            },
        },
        None => ApiError::Conflict {
            code: "not_available",
            message: "Khách hàng này không còn trong danh sách chờ nhận".into(),
            field: None,
        },
    })
}

async fn cooldown_remaining(
    conn: &impl ConnectionTrait,
    user_id: i64,
    now: DateTime<Utc>,
    cooldown: Duration,
) -> Result<u64, DbErr> {
    let last = sale_pick_state::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .and_then(|s| s.last_pick_at);
    Ok(last.map_or(0, |last| {
        let left = (last + cooldown - now).num_milliseconds();
        u64::try_from((left + 999) / 1000).unwrap_or(0)
    }))
}

/// The caller's cooldown and today's picks against each service type's limit.
#[utoipa::path(
    get, path = "/api/picks/me", tag = "contacts",
    responses((status = 200, body = PickAllowance))
)]
pub async fn my_allowance(
    State(state): State<AppState>,
    caller: AuthUser,
) -> ApiResult<Json<PickAllowance>> {
    let now = state.clock.now();
    let day = business_day(now);
    let used = daily_pick::Entity::find()
        .filter(daily_pick::Column::UserId.eq(caller.user.id))
        .filter(daily_pick::Column::Day.eq(day))
        .all(&state.db)
        .await?;
    let kinds = service_type::Entity::find()
        .filter(service_type::Column::Active.eq(true))
        .order_by_asc(service_type::Column::SortOrder)
        .all(&state.db)
        .await?;
    let usage = kinds
        .into_iter()
        .map(|k| PickUsage {
            used: used
                .iter()
                .find(|u| u.service_type_id == k.id)
                .map_or(0, |u| u.count),
            service_type_id: k.id,
            code: k.code,
            name: k.name,
            limit: k.daily_pick_limit,
        })
        .collect();
    Ok(Json(PickAllowance {
        cooldown_remaining_secs: cooldown_remaining(
            &state.db,
            caller.user.id,
            now,
            cooldown(&state),
        )
        .await?,
        cooldown_secs: state.config.pick_cooldown.as_secs(),
        usage,
    }))
}

/// Admin override: let a Sale pick again at once.
#[utoipa::path(
    post, path = "/api/users/{id}/pick-cooldown/reset", tag = "contacts",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ApiErrorBody))
)]
pub async fn reset_cooldown(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let tx = db::begin_write(&state.db).await?;
    user::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(ApiError::NotFound)?;
    sale_pick_state::Entity::update_many()
        .col_expr(
            sale_pick_state::Column::LastPickAt,
            Expr::value(None::<DateTime<Utc>>),
        )
        .filter(sale_pick_state::Column::UserId.eq(id))
        .exec(&tx)
        .await?;
    caller
        .audit(
            &tx,
            now,
            "contacts.cooldown_reset",
            Some(("user", id.to_string())),
            None,
            None,
        )
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_business_day_turns_at_midnight_in_vietnam() {
        let before = Utc
            .with_ymd_and_hms(2026, 3, 1, 16, 59, 59)
            .single()
            .expect("t");
        let after = Utc
            .with_ymd_and_hms(2026, 3, 1, 17, 0, 0)
            .single()
            .expect("t");
        assert_eq!(business_day(before), "2026-03-01");
        assert_eq!(business_day(after), "2026-03-02");
    }
}
