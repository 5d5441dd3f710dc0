//! `CREATE TABLE` that means the same on every database. On SQLite and PostgreSQL it is
//! sea-query's own statement, unchanged. On MySQL/MariaDB three things differ from what
//! sea-query writes, and each would change what the application reads back:
//!
//! - `timestamp_with_time_zone` becomes MySQL's `timestamp`: whole seconds only, nothing
//!   after 2038, converted through the session time zone. Those columns become
//!   `DATETIME(6)` instead (sqlx writes and reads them as UTC), so a chrono value
//!   round-trips to the microsecond as it does on the other databases.
//! - `text` becomes MySQL's `text`, which ends at 64 KiB; SQLite and PostgreSQL have no
//!   such limit, so it becomes `longtext`.
//! - Tables would take the database's default character set and collation, often a
//!   case-insensitive one (or `latin1`). Each table is `utf8mb4` (Vietnamese, emoji) with
//!   the binary collation: comparisons, unique keys and sorting treat text exactly as
//!   SQLite does (`admin` and `Admin` are two usernames).

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

/// sea-query's MySQL column types that are rewritten, and what they become.
const MYSQL_TYPES: [(&str, &str); 2] = [("timestamp", "datetime(6)"), ("text", "longtext")];

/// `manager.create_portable_table(…)`: `create_table` with the MySQL changes above.
#[async_trait::async_trait]
pub trait PortableTables {
    async fn create_portable_table(&self, table: TableCreateStatement) -> Result<(), DbErr>;
}

#[async_trait::async_trait]
impl PortableTables for SchemaManager<'_> {
    async fn create_portable_table(&self, mut table: TableCreateStatement) -> Result<(), DbErr> {
        if self.get_database_backend() != DbBackend::MySql {
            return self.create_table(table).await;
        }
        table.character_set("utf8mb4").collate("utf8mb4_bin");
        let sql = mysql_types(&table.to_string(MysqlQueryBuilder));
        self.get_connection()
            .execute_unprepared(&sql)
            .await
            .map(drop)
    }
}

/// Rewrites column types of a MySQL `CREATE TABLE`. Identifiers are back-quoted, so a
/// type is exactly "`name` type" followed by its spec (`NULL`, `NOT NULL`) or the end of
/// the definition; anything else (a default that happens to look alike) is left alone.
fn mysql_types(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 64);
    let mut rest = sql;
    'scan: while let Some(at) = rest.find("` ") {
        let (head, after) = rest.split_at(at + 2);
        out.push_str(head);
        rest = after;
        for (from, to) in MYSQL_TYPES {
            let Some(spec) = rest.strip_prefix(from) else {
                continue;
            };
            if [" NOT NULL", " NULL", ",", ")"]
                .iter()
                .any(|end| spec.starts_with(end))
            {
                out.push_str(to);
                rest = spec;
                continue 'scan;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use sea_orm_migration::schema::*;

    use super::*;

    #[derive(DeriveIden)]
    enum Things {
        Table,
        Id,
        At,
        DoneAt,
        TimestampNote,
        Body,
    }

    fn things() -> TableCreateStatement {
        Table::create()
            .table(Things::Table)
            .col(big_pk_auto(Things::Id))
            .col(timestamp_with_time_zone(Things::At))
            .col(string_len(Things::TimestampNote, 20).default("` timestamp x"))
            .col(timestamp_with_time_zone_null(Things::DoneAt))
            .col(text_null(Things::Body))
            .to_owned()
    }

    #[test]
    fn mysql_timestamps_keep_microseconds_and_text_is_unbounded() {
        let sql = mysql_types(&things().to_string(MysqlQueryBuilder));
        assert!(sql.contains("`at` datetime(6) NOT NULL"), "{sql}");
        assert!(sql.contains("`done_at` datetime(6) NULL"), "{sql}");
        assert!(sql.contains("`body` longtext NULL"), "{sql}");
        assert!(!sql.contains("` timestamp NOT NULL"), "{sql}");
        assert!(!sql.contains("` text NULL"), "{sql}");
        // A default that happens to contain the pattern is left alone.
        assert!(sql.contains("'` timestamp x'"), "{sql}");
    }

    #[test]
    fn other_databases_get_sea_querys_statement() {
        // The rewrite only ever runs on MySQL statements; SQLite's stays byte for byte.
        let sqlite = things().to_string(SqliteQueryBuilder);
        assert!(sqlite.contains("timestamp_with_timezone_text"), "{sqlite}");
    }
}
