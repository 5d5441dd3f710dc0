//! What can go wrong with a backup or a restore, said to the operator in Vietnamese.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "`ankhang backup` và `ankhang restore` chỉ làm việc với SQLite. Với PostgreSQL hãy dùng \
         `pg_dump -Fc` (sao lưu) và `pg_restore` (khôi phục), kèm lưu trữ WAL (archive_command) \
         hoặc `pg_basebackup` để khôi phục về một thời điểm; xem mục \"Sao lưu và khôi phục\" trong README"
    )]
    Postgres,
    #[error(
        "`ankhang backup` và `ankhang restore` chỉ làm việc với SQLite. Với MySQL/MariaDB hãy dùng \
         `mysqldump --single-transaction` hoặc `mariabackup`; xem mục \"Sao lưu và khôi phục\" trong README"
    )]
    MySql,
    #[error("DATABASE_URL không trỏ tới một tệp SQLite (ví dụ sqlite://data/ankhang.db?mode=rwc)")]
    NotAFile,
    #[error("Không tìm thấy cơ sở dữ liệu {}", .0.display())]
    DatabaseMissing(PathBuf),
    #[error("Tệp {} đã tồn tại: không ghi đè bản sao lưu, hãy chọn tên khác với --out", .0.display())]
    OutputExists(PathBuf),
    #[error("Không tìm thấy tệp sao lưu {}", .0.display())]
    BackupMissing(PathBuf),
    #[error("Tệp {} bị hỏng: PRAGMA integrity_check báo \"{detail}\"", .path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "Tệp {} không phải cơ sở dữ liệu AnKhangCRM (không có bảng seaql_migrations)",
        .0.display()
    )]
    NotOurs(PathBuf),
    #[error(
        "Nhật ký kiểm toán trong {} đã bị sửa hoặc hỏng: chuỗi băm gãy từ bản ghi #{first_bad_id} \
         (đã kiểm {entries} bản ghi)",
        .path.display()
    )]
    AuditBroken {
        path: PathBuf,
        first_bad_id: i64,
        entries: u64,
    },
    #[error(
        "Cơ sở dữ liệu {} đang được dùng — máy chủ `ankhang serve` còn chạy? Hãy dừng máy chủ \
         (và mọi lệnh ankhang khác) rồi khôi phục lại",
        .0.display()
    )]
    ServerRunning(PathBuf),
    #[error(
        "Cơ sở dữ liệu {} đang có dữ liệu: không khôi phục đè. Thêm --force để khôi phục \
         (bản hiện tại sẽ được giữ lại bên cạnh với đuôi .before-restore-<thời điểm>)",
        .0.display()
    )]
    WouldClobber(PathBuf),
    #[error("{0:#}")]
    Connect(anyhow::Error),
    #[error("Không mở được cơ sở dữ liệu {}: {source}", .path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: sea_orm::sqlx::Error,
    },
    #[error("{action}: {source}")]
    Io {
        action: String,
        #[source]
        source: std::io::Error,
    },
    #[error("Lỗi cơ sở dữ liệu khi {action}: {source}")]
    Database {
        action: &'static str,
        #[source]
        source: sea_orm::DbErr,
    },
}

impl BackupError {
    pub fn io(action: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let action = action.into();
        move |source| Self::Io { action, source }
    }

    pub fn db(action: &'static str) -> impl FnOnce(sea_orm::DbErr) -> Self {
        move |source| Self::Database { action, source }
    }
}
