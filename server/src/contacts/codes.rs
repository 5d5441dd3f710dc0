//! Contact codes `KH{year}-{seq:03}`: one counter row per UTC+7 year, advanced inside
//! the creating transaction, so a rolled-back creation leaves no gap and two creations
//! can never share a number, on any database.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use entities::contact_counter;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};

pub async fn next_code(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<String, DbErr> {
    let year = now.with_timezone(&Ho_Chi_Minh).year();
    contact_counter::Entity::insert(contact_counter::ActiveModel {
        year: Set(year),
        last_seq: Set(0),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(conn)
    .await?;
    // The increment takes the row's write lock; concurrent creators queue here.
    contact_counter::Entity::update_many()
        .col_expr(
            contact_counter::Column::LastSeq,
            Expr::col(contact_counter::Column::LastSeq).add(1),
        )
        .filter(contact_counter::Column::Year.eq(year))
        .exec(conn)
        .await?;
    let counter = contact_counter::Entity::find_by_id(year)
        .one(conn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("contact counter {year}")))?;
    Ok(format_code(year, counter.last_seq))
}

pub fn format_code(year: i32, seq: i64) -> String {
    format!("KH{year}-{seq:03}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_zero_padded_to_three_digits_and_grow_beyond() {
        assert_eq!(format_code(2026, 7), "KH2026-007");
        assert_eq!(format_code(2026, 1234), "KH2026-1234");
    }
}
