//! Connecting, migrating, and starting write transactions the same way on every database.

use std::time::Duration;

use anyhow::Context;
use entities::audit_head;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, EntityTrait, QuerySelect, SqliteTransactionMode, TransactionOptions, TransactionTrait,
    sea_query::{Alias, Expr, Func, SimpleExpr},
};

/// Who folds SQLite's write-ahead log back into the database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoints {
    /// The commit that crosses 1000 log pages does it (SQLite's default): right for
    /// the one-shot commands.
    OnCommit,
    /// A background task does it ([`checkpoint`]), so no request waits for the
    /// checkpoint's copy and fsync (a 20–30 ms stall every ~50 contacts created).
    Background,
}

/// How often the server's checkpointer runs; the log stays small between runs.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// One passive checkpoint: copies what it can without blocking readers or writers.
pub async fn checkpoint(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)")
            .await?;
    }
    Ok(())
}

pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    connect_with(url, Checkpoints::OnCommit).await
}

pub async fn connect_with(
    url: &str,
    checkpoints: Checkpoints,
) -> anyhow::Result<DatabaseConnection> {
    connect_pool(url, checkpoints, 16).await
}

/// A separate small pool for the live feed's reads of other nodes' events. They run
/// while committers wait for their turn to publish; on the main pool those waiting
/// committers could hold every connection, and the read would never get one.
pub async fn connect_feed_reader(url: &str) -> anyhow::Result<DatabaseConnection> {
    connect_pool(url, Checkpoints::Background, 2).await
}

async fn connect_pool(
    url: &str,
    checkpoints: Checkpoints,
    max_connections: u32,
) -> anyhow::Result<DatabaseConnection> {
    if let Some(path) = sqlite_file(url)
        && let Some(parent) = std::path::Path::new(path).parent()
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("không tạo được thư mục {}", parent.display()))?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |opts| {
            // WAL lets readers run beside the single writer; the busy timeout makes
            // writers queue instead of failing with SQLITE_BUSY.
            let opts = opts
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                // Deleted rows (a destroyed data key above all) are overwritten, not
                // left readable in free pages.
                .pragma("secure_delete", "on");
            match checkpoints {
                Checkpoints::OnCommit => opts,
                Checkpoints::Background => opts.pragma("wal_autocheckpoint", "0"),
            }
        });
    Database::connect(options)
        .await
        .with_context(|| format!("không kết nối được cơ sở dữ liệu ({})", redact(url)))
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("chạy migration thất bại")
}

/// Begins a transaction that will write, holding the database's one write turn until
/// it ends, on every backend:
///
/// - SQLite: `BEGIN IMMEDIATE` takes the write lock up front (a deferred transaction
///   that reads then writes can deadlock against another one and fail with SQLITE_BUSY
///   instead of waiting).
/// - PostgreSQL/MySQL: the `audit_head` row is locked `FOR UPDATE` first thing. Every
///   write transaction goes through here, so they commit one after another, as on
///   SQLite: event ids (the global seq) are allocated and committed in the same order,
///   so a reader that has seen seq N never finds a smaller one committed later; the
///   audit chain never forks; and since this is the first lock each writer takes, two
///   writers can never wait on each other's rows in a cycle (no deadlock errors).
///   Reads, and single-statement writes outside a transaction, do not wait for it.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        return db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await;
    }
    let tx = db.begin().await?;
    audit_head::Entity::find_by_id(WRITE_TURN_ROW)
        .lock_exclusive()
        .one(&tx)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_head".into()))?;
    Ok(tx)
}

/// The `audit_head` row (seeded by the migrations) whose lock is the write turn.
const WRITE_TURN_ROW: i32 = 1;

/// Rows per multi-row statement (`INSERT … VALUES …`, `… WHERE id IN …`): well under
/// every backend's bound-parameter limit for our widest tables.
pub const ROWS_PER_STATEMENT: usize = 100;

/// `COALESCE(SUM(expr), 0)` read back as a 64-bit integer on every backend
/// (PostgreSQL sums `bigint` into `numeric`; MySQL casts to `SIGNED`, not `BIGINT`).
pub fn sum_i64(backend: DbBackend, expr: SimpleExpr) -> SimpleExpr {
    let int = match backend {
        DbBackend::MySql => "SIGNED",
        _ => "BIGINT",
    };
    let sum: SimpleExpr = Func::sum(expr).into();
    let zero: SimpleExpr = Expr::val(0i64);
    Func::cast_as(Func::coalesce([sum, zero]), Alias::new(int)).into()
}

/// The file path of a `sqlite://` URL (`None` for other databases and in-memory ones).
pub fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://")?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Hides a password in a database URL before it reaches a log or an error.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_path_is_taken_from_the_url() {
        assert_eq!(
            sqlite_file("sqlite://data/ankhang.db?mode=rwc"),
            Some("data/ankhang.db")
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://x"), None);
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://crm:secret@127.0.0.1/crm"),
            "postgres://crm:***@127.0.0.1/crm"
        );
    }
}
