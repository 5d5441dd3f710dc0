//! Writing a consistent copy of the live database with `VACUUM INTO`: one read
//! transaction, so it runs while the server keeps serving (WAL readers never block
//! the writer).

use std::{
    fs::{File, OpenOptions},
    io::ErrorKind,
    path::Path,
};

use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::BackupError;

/// Copies the database into `out`, which must not exist yet.
pub async fn write(db: &DatabaseConnection, out: &Path) -> Result<u64, BackupError> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(BackupError::io(format!(
            "Không tạo được thư mục {}",
            parent.display()
        )))?;
    }
    // Claiming the name with create_new makes "never overwrite" hold even against a
    // concurrent backup; SQLite accepts an empty file as the target.
    match OpenOptions::new().write(true).create_new(true).open(out) {
        Ok(_) => {}
        Err(err) if err.kind() == ErrorKind::AlreadyExists => {
            return Err(BackupError::OutputExists(out.to_owned()));
        }
        Err(err) => {
            return Err(BackupError::io(format!(
                "Không tạo được tệp {}",
                out.display()
            ))(err));
        }
    }
    let written = vacuum_into(db, out).await.and_then(|()| sync(out));
    match written {
        Ok(size) => Ok(size),
        Err(err) => {
            let _ = std::fs::remove_file(out);
            Err(err)
        }
    }
}

async fn vacuum_into(db: &DatabaseConnection, out: &Path) -> Result<(), BackupError> {
    let target = out.to_str().ok_or_else(|| BackupError::Io {
        action: format!("Đường dẫn {} có ký tự không hợp lệ", out.display()),
        source: ErrorKind::InvalidInput.into(),
    })?;
    let sql = format!("VACUUM INTO '{}'", target.replace('\'', "''"));
    db.execute_unprepared(&sql)
        .await
        .map_err(BackupError::db("sao lưu (VACUUM INTO)"))?;
    Ok(())
}

/// Flushes the copy and its directory entry to disk; returns its size.
fn sync(path: &Path) -> Result<u64, BackupError> {
    let failed = || BackupError::io(format!("Không ghi được {} xuống đĩa", path.display()));
    let file = File::open(path).map_err(failed())?;
    file.sync_all().map_err(failed())?;
    let size = file.metadata().map_err(failed())?.len();
    sync_dir(path).map_err(failed())?;
    Ok(size)
}

/// Makes a rename or creation in `path`'s directory durable (a no-op off Unix).
pub fn sync_dir(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        File::open(parent)?.sync_all()?;
    }
    Ok(())
}
