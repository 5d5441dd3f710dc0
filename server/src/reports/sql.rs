//! The few expressions SQL dialects spell differently, for the reports' GROUP BYs.

use sea_orm::{DbBackend, sea_query::Expr};

/// The Vietnamese calendar day (`YYYY-MM-DD`) of a UTC timestamp column. Vietnam has
/// kept UTC+7 without daylight saving since 1975, so a fixed offset is exact.
pub fn vietnam_day(backend: DbBackend, table: &str, column: &str) -> Expr {
    Expr::cust(match backend {
        // SQLite stores RFC 3339 text; whole seconds only, since SQLite rounds a
        // fraction of .9999999 up to the next second, and at 23:59:59 the next day.
        DbBackend::Sqlite => format!(r#"date(substr("{table}"."{column}", 1, 19), '+7 hours')"#),
        DbBackend::Postgres => format!(
            r#"to_char("{table}"."{column}" AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')"#
        ),
        _ => format!("DATE_FORMAT(DATE_ADD(`{table}`.`{column}`, INTERVAL 7 HOUR), '%Y-%m-%d')"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_dialect_quotes_and_shifts_its_own_way() {
        let sql = |backend| {
            let expr = vietnam_day(backend, "contacts", "created_at");
            let query = sea_orm::sea_query::Query::select().expr(expr).to_owned();
            backend.build(&query).to_string()
        };
        assert!(
            sql(DbBackend::Sqlite)
                .contains(r#"date(substr("contacts"."created_at", 1, 19), '+7 hours')"#)
        );
        assert!(sql(DbBackend::Postgres).contains("AT TIME ZONE 'Asia/Ho_Chi_Minh'"));
        assert!(sql(DbBackend::MySql).contains("INTERVAL 7 HOUR"));
    }
}
