//! The few expressions SQL dialects spell differently, for the reports' GROUP BYs.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use sea_orm::{DbBackend, sea_query::Expr};

/// The UTC hour of a timestamp column as text, `YYYY-MM-DDTHH`. Grouping by it is a
/// cheap string operation on every database (SQLite stores RFC 3339 text); the hours
/// then fold into Vietnamese days with [`vietnam_day`], outside SQL and its time zones.
pub fn utc_hour(backend: DbBackend, table: &str, column: &str) -> Expr {
    Expr::cust(match backend {
        DbBackend::Sqlite => format!(r#"substr("{table}"."{column}", 1, 13)"#),
        DbBackend::Postgres => {
            format!(r#"to_char("{table}"."{column}" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24')"#)
        }
        _ => format!("DATE_FORMAT(`{table}`.`{column}`, '%Y-%m-%dT%H')"),
    })
}

/// The Vietnamese calendar day of a [`utc_hour`] (`2026-12-01T17` is 2 December).
/// Vietnam has kept UTC+7 without daylight saving since 1975, so the offset is fixed.
pub fn vietnam_day(utc_hour: &str) -> Option<NaiveDate> {
    let normalised = utc_hour.get(..13)?.replace(' ', "T");
    let at = NaiveDateTime::parse_from_str(&format!("{normalised}:00"), "%Y-%m-%dT%H:%M").ok()?;
    Some((at + Duration::hours(7)).date())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_dialect_cuts_the_hour_its_own_way() {
        let sql = |backend| {
            let expr = utc_hour(backend, "contacts", "created_at");
            let query = sea_orm::sea_query::Query::select().expr(expr).to_owned();
            backend.build(&query).to_string()
        };
        assert!(sql(DbBackend::Sqlite).contains(r#"substr("contacts"."created_at", 1, 13)"#));
        assert!(sql(DbBackend::Postgres).contains("AT TIME ZONE 'UTC'"));
        assert!(sql(DbBackend::MySql).contains("%Y-%m-%dT%H"));
    }

    #[test]
    fn hours_fold_into_vietnamese_days() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert_eq!(
            vietnam_day("2026-12-01T16"),
            day("2026-12-01"),
            "23:xx in Vietnam"
        );
        assert_eq!(
            vietnam_day("2026-12-01T17"),
            day("2026-12-02"),
            "midnight in Vietnam"
        );
        assert_eq!(vietnam_day("2026-12-31 20"), day("2027-01-01"));
        assert_eq!(vietnam_day("garbage"), None);
    }
}
