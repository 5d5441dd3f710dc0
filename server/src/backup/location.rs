//! Where the database and its backups live.

use std::path::{Path, PathBuf};

use super::BackupError;

/// The SQLite file behind `DATABASE_URL`; other databases have their own tools.
pub fn database_file(database_url: &str) -> Result<PathBuf, BackupError> {
    if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        return Err(BackupError::Postgres);
    }
    if database_url.starts_with("mysql://") || database_url.starts_with("mariadb://") {
        return Err(BackupError::MySql);
    }
    crate::db::sqlite_file(database_url)
        .map(PathBuf::from)
        .ok_or(BackupError::NotAFile)
}

/// `ANKHANG_DATA_DIR/backups`.
pub fn backup_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("backups")
}

/// The database's `-wal` and `-shm` companions.
pub fn companions(db: &Path) -> [PathBuf; 2] {
    ["-wal", "-shm"].map(|suffix| {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sqlite_files_are_ours_to_back_up() {
        assert_eq!(
            database_file("sqlite://data/ankhang.db?mode=rwc").expect("sqlite"),
            PathBuf::from("data/ankhang.db")
        );
        assert!(matches!(
            database_file("postgres://crm@127.0.0.1/crm"),
            Err(BackupError::Postgres)
        ));
        assert!(matches!(
            database_file("mysql://crm@127.0.0.1/crm"),
            Err(BackupError::MySql)
        ));
        assert!(matches!(
            database_file("sqlite::memory:"),
            Err(BackupError::NotAFile)
        ));
        let message = BackupError::Postgres.to_string();
        assert!(message.contains("pg_dump") && message.contains("pg_restore"));
        assert!(BackupError::MySql.to_string().contains("mysqldump"));
    }

    #[test]
    fn companions_sit_beside_the_database() {
        assert_eq!(
            companions(Path::new("data/ankhang.db")),
            [
                PathBuf::from("data/ankhang.db-wal"),
                PathBuf::from("data/ankhang.db-shm")
            ]
        );
    }
}
