//! Is this file a sound AnKhangCRM database? SQLite's own integrity check, our
//! migrations table, and the audit trail's hash chain from the first entry to the head.

use std::path::{Path, PathBuf};

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbErr, SqlxSqliteConnector, Statement,
    sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions},
};

use super::BackupError;
use crate::audit;

/// What a sound file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    pub path: PathBuf,
    pub size: u64,
    pub users: i64,
    pub contacts: i64,
    pub deals: i64,
    pub audit_entries: u64,
}

/// Checks `path` without writing to it (read-only, immutable: no lock, no journal).
pub async fn inspect(path: &Path) -> Result<Inspection, BackupError> {
    let size = match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => meta.len(),
        _ => return Err(BackupError::BackupMissing(path.to_owned())),
    };
    let db = open_read_only(path).await?;
    let inspected = checks(&db, path, size).await;
    let _ = db.close().await;
    inspected
}

async fn checks(
    db: &DatabaseConnection,
    path: &Path,
    size: u64,
) -> Result<Inspection, BackupError> {
    let corrupt = |detail: String| BackupError::Corrupt {
        path: path.to_owned(),
        detail,
    };
    let verdict = column_strings(db, "PRAGMA integrity_check")
        .await
        .map_err(|err| corrupt(err.to_string()))?;
    if verdict != ["ok"] {
        let detail = verdict.into_iter().take(3).collect::<Vec<_>>().join("; ");
        return Err(corrupt(detail));
    }
    let tables = column_strings(db, "SELECT name FROM sqlite_master WHERE type = 'table'")
        .await
        .map_err(|err| corrupt(err.to_string()))?;
    let has = |name: &str| tables.iter().any(|t| t == name);
    if !has("seaql_migrations") || !has("audit_log") {
        return Err(BackupError::NotOurs(path.to_owned()));
    }
    let chain = audit::verify(db)
        .await
        .map_err(BackupError::db("kiểm tra nhật ký kiểm toán"))?;
    if let Some(first_bad_id) = chain.first_bad_id {
        return Err(BackupError::AuditBroken {
            path: path.to_owned(),
            first_bad_id,
            entries: chain.entries,
        });
    }
    Ok(Inspection {
        path: path.to_owned(),
        size,
        users: count(db, "users").await?,
        contacts: count(db, "contacts").await?,
        deals: count(db, "deals").await?,
        audit_entries: chain.entries,
    })
}

async fn open_read_only(path: &Path) -> Result<DatabaseConnection, BackupError> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true)
        .create_if_missing(false);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|err| BackupError::Corrupt {
            path: path.to_owned(),
            detail: err.to_string(),
        })?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

async fn column_strings(db: &DatabaseConnection, sql: &str) -> Result<Vec<String>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    rows.iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect::<Result<_, _>>()
        .map_err(|err| DbErr::Custom(err.to_string()))
}

async fn count(db: &DatabaseConnection, table: &str) -> Result<i64, BackupError> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .map_err(BackupError::db("đếm dữ liệu"))?;
    Ok(row
        .and_then(|r| r.try_get::<i64>("", "n").ok())
        .unwrap_or(0))
}
