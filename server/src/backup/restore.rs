//! Putting a backup in place of the database. The server must be stopped: the current
//! database is locked exclusively first, which fails while any server (or other
//! `ankhang` command) has it open. Nothing is ever lost silently: a database with data
//! is replaced only with `--force`, and then kept beside the new one.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use chrono::{DateTime, Utc};
use sea_orm::sqlx::{
    self, Connection,
    sqlite::{SqliteConnectOptions, SqliteConnection, SqliteLockingMode},
};

use super::{
    BackupError,
    location::{self, companions},
    snapshot::sync_dir,
    verify::{self, Inspection},
};

#[derive(Debug)]
pub struct Restored {
    pub inspection: Inspection,
    /// Where the database that was there before now lives.
    pub set_aside: Option<PathBuf>,
}

/// Restores `backup` into the SQLite database of `database_url`.
pub async fn restore(
    database_url: &str,
    backup: &Path,
    force: bool,
    now: DateTime<Utc>,
) -> Result<Restored, BackupError> {
    let db = location::database_file(database_url)?;
    // A bad backup is refused before anything is touched.
    verify::inspect(backup).await?;
    let set_aside = if db.exists() {
        let mut lock = ExclusiveLock::take(&db).await?;
        let has_data = lock.has_tables().await;
        if has_data && !force {
            return Err(BackupError::WouldClobber(db));
        }
        lock.release().await;
        if has_data {
            Some(move_aside(&db, now)?)
        } else {
            remove_with_companions(&db)?;
            None
        }
    } else {
        // Journals of a database that is gone would be replayed into the new one.
        remove_with_companions(&db)?;
        None
    };
    place(backup, &db)?;
    let inspection = verify::inspect(&db).await?;
    Ok(Restored {
        inspection,
        set_aside,
    })
}

/// The current database held with SQLite's exclusive locking mode: taking it fails
/// at once while another connection (a running server) has the database open.
struct ExclusiveLock {
    conn: SqliteConnection,
}

impl ExclusiveLock {
    async fn take(db: &Path) -> Result<Self, BackupError> {
        let running = || BackupError::ServerRunning(db.to_owned());
        let options = SqliteConnectOptions::new()
            .filename(db)
            .create_if_missing(false)
            .locking_mode(SqliteLockingMode::Exclusive)
            .busy_timeout(Duration::from_millis(500));
        let mut conn = match SqliteConnection::connect_with(&options).await {
            Ok(conn) => conn,
            Err(err) if is_busy(&err) => return Err(running()),
            Err(source) => {
                return Err(BackupError::Open {
                    path: db.to_owned(),
                    source,
                });
            }
        };
        match sqlx::raw_sql("BEGIN EXCLUSIVE").execute(&mut conn).await {
            Ok(_) => Ok(Self { conn }),
            Err(err) if is_busy(&err) => {
                let _ = conn.close().await;
                Err(running())
            }
            // Not a database we can read (a damaged file): it is kept aside like any
            // other, nothing holds it.
            Err(_) => Ok(Self { conn }),
        }
    }

    /// Whether the database holds any table; an unreadable file counts as data.
    async fn has_tables(&mut self) -> bool {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")
            .fetch_one(&mut self.conn)
            .await
            .map_or(true, |tables| tables > 0)
    }

    /// Folds the WAL into the database file and closes, so the file alone is complete.
    async fn release(mut self) {
        let _ = sqlx::raw_sql("COMMIT").execute(&mut self.conn).await;
        let _ = sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut self.conn)
            .await;
        let _ = self.conn.close().await;
    }
}

fn is_busy(err: &sqlx::Error) -> bool {
    // SQLITE_BUSY (5) and SQLITE_LOCKED (6), with or without extended codes.
    err.as_database_error()
        .and_then(|db| db.code())
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| matches!(code & 0xff, 5 | 6))
}

/// Renames the database (and any journal left beside it) to
/// `<db>.before-restore-YYYYMMDD-HHMMSS`.
fn move_aside(db: &Path, now: DateTime<Utc>) -> Result<PathBuf, BackupError> {
    let stamp = now.format("%Y%m%d-%H%M%S");
    let aside = (1..)
        .map(|n| {
            let mut name = db.as_os_str().to_owned();
            name.push(format!(".before-restore-{stamp}"));
            if n > 1 {
                name.push(format!("-{n}"));
            }
            PathBuf::from(name)
        })
        .find(|candidate| !candidate.exists())
        .unwrap_or_else(|| db.with_extension("before-restore"));
    rename(db, &aside)?;
    for (from, to) in companions(db).iter().zip(companions(&aside)) {
        if from.exists() {
            rename(from, &to)?;
        }
    }
    Ok(aside)
}

fn remove_with_companions(db: &Path) -> Result<(), BackupError> {
    for path in std::iter::once(db.to_owned()).chain(companions(db)) {
        if path.exists() {
            std::fs::remove_file(&path).map_err(BackupError::io(format!(
                "Không xoá được {}",
                path.display()
            )))?;
        }
    }
    Ok(())
}

fn rename(from: &Path, to: &Path) -> Result<(), BackupError> {
    std::fs::rename(from, to).map_err(BackupError::io(format!(
        "Không đổi tên {} thành {}",
        from.display(),
        to.display()
    )))
}

/// Copies `backup` to a temporary file beside `db`, flushes it, then renames it into
/// place: the database path holds either nothing or the whole backup, never a part.
fn place(backup: &Path, db: &Path) -> Result<(), BackupError> {
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(BackupError::io(format!(
            "Không tạo được thư mục {}",
            parent.display()
        )))?;
    }
    let mut temp = db.as_os_str().to_owned();
    temp.push(format!(".restore-{}.tmp", std::process::id()));
    let temp = PathBuf::from(temp);
    let copied = copy_synced(backup, &temp).and_then(|()| rename(&temp, db));
    if copied.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    copied?;
    sync_dir(db).map_err(BackupError::io(format!(
        "Không ghi được thư mục của {} xuống đĩa",
        db.display()
    )))
}

/// `std::fs::copy` followed by an fsync of the copy.
pub fn copy_synced(from: &Path, to: &Path) -> Result<(), BackupError> {
    let failed = || {
        BackupError::io(format!(
            "Không chép {} sang {}",
            from.display(),
            to.display()
        ))
    };
    std::fs::copy(from, to).map_err(failed())?;
    std::fs::File::open(to)
        .and_then(|file| file.sync_all())
        .map_err(failed())
}
