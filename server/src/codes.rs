//! Yearly document codes (`KH2026-007` for contacts, `HD2026-001` for deals): one
//! counter row per UTC+7 year, advanced inside the creating transaction, so a
//! rolled-back creation leaves no gap and two creations can never share a number, on
//! any database.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use sea_orm::{
    ConnectionTrait, DbErr, StatementBuilder,
    sea_query::{Alias, Expr, ExprTrait, OnConflict, Query},
};

/// A kind of numbered document and its counter table (`year`, `last_seq`).
#[derive(Debug, Clone, Copy)]
pub enum Series {
    Contact,
    Deal,
}

impl Series {
    fn table(self) -> &'static str {
        match self {
            Self::Contact => "contact_counters",
            Self::Deal => "deal_counters",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Self::Contact => "KH",
            Self::Deal => "HD",
        }
    }

    pub fn format(self, year: i32, seq: i64) -> String {
        format!("{}{year}-{seq:03}", self.prefix())
    }
}

pub async fn next_code(
    conn: &impl ConnectionTrait,
    series: Series,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let year = now.with_timezone(&Ho_Chi_Minh).year();
    let table = Alias::new(series.table());
    let (year_col, seq_col) = (Alias::new("year"), Alias::new("last_seq"));
    exec(
        conn,
        Query::insert()
            .into_table(table.clone())
            .columns([year_col.clone(), seq_col.clone()])
            .values_panic([year.into(), 0i64.into()])
            // `do_nothing_on`: MySQL has no DO NOTHING; it becomes `UPDATE year = year`.
            .on_conflict(
                OnConflict::column(year_col.clone())
                    .do_nothing_on([year_col.clone()])
                    .to_owned(),
            ),
    )
    .await?;
    // The increment takes the row's write lock; concurrent creators queue here.
    exec(
        conn,
        Query::update()
            .table(table.clone())
            .value(seq_col.clone(), Expr::col(seq_col.clone()).add(1))
            .and_where(Expr::col(year_col.clone()).eq(year)),
    )
    .await?;
    let select = Query::select()
        .column(seq_col)
        .from(table)
        .and_where(Expr::col(year_col).eq(year))
        .to_owned();
    let row = conn
        .query_one_raw(conn.get_database_backend().build(&select))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("{} {year}", series.table())))?;
    let seq: i64 = row.try_get("", "last_seq")?;
    Ok(series.format(year, seq))
}

async fn exec(conn: &impl ConnectionTrait, stmt: &impl StatementBuilder) -> Result<(), DbErr> {
    conn.execute_raw(conn.get_database_backend().build(stmt))
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_zero_padded_to_three_digits_and_grow_beyond() {
        assert_eq!(Series::Contact.format(2026, 7), "KH2026-007");
        assert_eq!(Series::Contact.format(2026, 1234), "KH2026-1234");
        assert_eq!(Series::Deal.format(2026, 1), "HD2026-001");
    }
}
