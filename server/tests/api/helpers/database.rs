//! The database a test server runs on: a fresh SQLite file by default, or a fresh
//! database on the server named by `ANKHANG_TEST_DATABASE_URL` (PostgreSQL or
//! MySQL/MariaDB, as `cargo xtask test` starts them), so the same suite runs on each.

use std::path::Path;

use sea_orm::{ConnectionTrait, Database};

/// The server `cargo xtask test` points the suite at (unset: SQLite).
pub const SERVER_VAR: &str = "ANKHANG_TEST_DATABASE_URL";

/// Which database the suite runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    MySql,
}

pub fn backend() -> Backend {
    match std::env::var(SERVER_VAR) {
        Ok(url) if url.starts_with("postgres") => Backend::Postgres,
        Ok(url) if url.starts_with("mysql") || url.starts_with("mariadb") => Backend::MySql,
        _ => Backend::Sqlite,
    }
}

/// For the few tests of SQLite's own files (backup copies, the write-ahead log): true,
/// after saying so in the test's output, when the suite runs on another database.
pub fn skip_unless_sqlite(what: &str) -> bool {
    let backend = backend();
    if backend == Backend::Sqlite {
        return false;
    }
    eprintln!("skipped on {backend:?}: {what} is SQLite-specific");
    true
}

/// A URL to an empty database of its own for one test server.
pub async fn fresh_url(dir: &Path) -> String {
    let Ok(server) = std::env::var(SERVER_VAR) else {
        return format!("sqlite://{}?mode=rwc", dir.join("test.db").display());
    };
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(server.as_str())
        .await
        .unwrap_or_else(|e| panic!("connect to {SERVER_VAR}: {e}"));
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    admin.close().await.expect("close admin connection");
    with_database(&server, &name)
}

/// `server` with its path (the database name) replaced by `name`.
fn with_database(server: &str, name: &str) -> String {
    let mut url = url::Url::parse(server).expect("database server URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_replaces_the_path() {
        assert_eq!(
            with_database("postgres://crm@127.0.0.1:5433/postgres", "t_1"),
            "postgres://crm@127.0.0.1:5433/t_1"
        );
        assert_eq!(
            with_database("mysql://root:pw@127.0.0.1:3307", "t_2"),
            "mysql://root:pw@127.0.0.1:3307/t_2"
        );
    }
}
