#![forbid(unsafe_code)]

use std::{path::PathBuf, sync::Arc};

use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;
use server::{
    admin::{self, AdminOutcome, AdminSpec},
    backup::commands as backups,
    clock::SystemClock,
    config::Config,
    contacts::vault::Vault,
    db, demo, demo_audit, demo_bulk,
    keys::Keys,
    rotate,
    startup::{Application, shutdown_signal},
    telemetry,
};

#[derive(Parser)]
#[command(name = "ankhang", version, about = "AnKhangCRM server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database if needed and serve HTTP + WebSocket on ANKHANG_BIND.
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Create (or reset) a Super Admin account. Idempotent.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: String,
        #[arg(long)]
        full_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
    /// Demo data: two teams, an operator, a CSKH, N Sales (password Demo@12345) and a
    /// few contacts. Safe to run again.
    SeedDemo {
        #[arg(long, default_value_t = 10)]
        sales: usize,
        /// Also load this many contacts spread over the last year (benchmark volume).
        #[arg(long, default_value_t = 0)]
        contacts: usize,
        /// Of those, close this many with a deal.
        #[arg(long, default_value_t = 0)]
        deals: usize,
        /// Also append this many audit entries spread over the last year (search benchmark).
        #[arg(long, default_value_t = 0)]
        audit: usize,
    },
    /// Audit trail tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Move every contact's data key under a new master key (and rebuild the search
    /// indexes). Without --new-key a key is generated; with the key in data/master.key
    /// the file is replaced, with ANKHANG_MASTER_KEY you must update the variable.
    RotateKey {
        /// The new master key (base64 of 32 bytes).
        #[arg(long)]
        new_key: Option<String>,
    },
    /// Create the first Super Admin `admin` only when no active Super Admin exists.
    /// Password from ANKHANG_ADMIN_PASSWORD, else generated and printed once.
    BootstrapAdmin,
    /// Consistent online backup of the SQLite database (safe while the server runs),
    /// verified after writing. Never overwrites an existing file.
    Backup {
        /// Where to write it (default: ANKHANG_DATA_DIR/backups/ankhang-YYYYMMDD-HHMMSS.sqlite3, UTC).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Restore a verified backup into the SQLite database. Stop the server first.
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Replace a database that holds data (it is kept as <db>.before-restore-<time>).
        #[arg(long)]
        force: bool,
    },
    /// Export the whole firm's data (porting): a ZIP of JSON Lines per table with
    /// personal fields decrypted, plus khach-hang.csv in the import format.
    ExportAll {
        /// Where to write it (default: ankhang-du-lieu-YYYY-MM-DD.zip here). Never overwrites.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Import contacts from the old Google Sheets (File → Download → CSV). Prints every
    /// bad row; rows whose phone is already known are skipped, so it is safe to re-run.
    Import {
        /// The CSV file (UTF-8).
        file: PathBuf,
        /// Check every row and print the report; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Read a field from a differently named column: --map phone="SĐT khách".
        /// Fields: full_name, phone, email, service_type, source, note, status,
        /// assignee, team, created_at.
        #[arg(long = "map", value_name = "FIELD=HEADING")]
        map: Vec<String>,
        /// Service type (code or name) for rows without one.
        #[arg(long)]
        default_service_type: Option<String>,
        /// Source (code or name) for rows without one.
        #[arg(long)]
        default_source: Option<String>,
        /// Username recorded as creator (default: the first active user allowed to import).
        #[arg(long = "as")]
        as_user: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the whole hash chain. Exits 1 and names the first altered or removed
    /// entry when the trail was tampered with.
    Verify,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // reqwest, lettre and sqlx bring different rustls backends; pick one explicitly.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let _ = dotenvy::dotenv();
    telemetry::init();
    let cli = Cli::parse();
    let config = Config::from_env()?;
    match cli.command {
        Command::Serve => {
            let app = Application::build(config, Arc::new(SystemClock)).await?;
            tracing::info!(addr = %app.local_addr()?, "AnKhangCRM listening");
            app.run_until_stopped(shutdown_signal()).await?;
        }
        Command::Migrate => {
            let database = db::connect(&config.database_url).await?;
            db::migrate(&database).await?;
            println!("Đã cập nhật cơ sở dữ liệu.");
        }
        Command::CreateAdmin {
            username,
            password,
            full_name,
            email,
        } => {
            let database = db::connect(&config.database_url).await?;
            db::migrate(&database).await?;
            let spec = AdminSpec {
                username: username.clone(),
                password,
                full_name,
                email,
            };
            match admin::create_or_reset(&database, &SystemClock, spec).await? {
                AdminOutcome::Created(id) => {
                    println!("Đã tạo Super Admin '{username}' (id {id}).");
                }
                AdminOutcome::Reset(id) => println!(
                    "Tài khoản '{username}' (id {id}) đã được đặt lại mật khẩu và có quyền Super Admin."
                ),
            }
        }
        Command::SeedDemo {
            sales,
            contacts,
            deals,
            audit,
        } => {
            let (database, keys) = open_with_keys(&config).await?;
            let seeded = demo::seed(&database, &keys, sales).await?;
            println!(
                "Dữ liệu mẫu: thêm {} nhóm, {} nhân viên, {} khách hàng, {} sản phẩm, {} mã giảm giá.",
                seeded.teams, seeded.users, seeded.contacts, seeded.products, seeded.coupons
            );
            println!(
                "Tài khoản mẫu: tongdai01 (Tổng Đài), cskh01 (CSKH), sale01…sale{:02} (Sale) — mật khẩu {}",
                sales,
                demo::DEMO_PASSWORD
            );
            if contacts > 0 {
                let started = std::time::Instant::now();
                let loaded = demo_bulk::load(&database, &keys, contacts, deals).await?;
                println!(
                    "Dữ liệu khối lượng lớn: thêm {} khách hàng và {} hợp đồng trong {:.1} giây.",
                    loaded.contacts,
                    loaded.deals,
                    started.elapsed().as_secs_f64()
                );
            }
            if audit > 0 {
                let started = std::time::Instant::now();
                let written = demo_audit::load(&database, audit).await?;
                println!(
                    "Nhật ký mẫu: thêm {written} mục trong {:.1} giây.",
                    started.elapsed().as_secs_f64()
                );
            }
        }
        Command::RotateKey { new_key } => {
            let database = db::connect(&config.database_url).await?;
            db::migrate(&database).await?;
            let from_env = config
                .master_key
                .as_ref()
                .map(|k| k.expose_secret().to_owned());
            let old = Keys::load(from_env.as_deref(), &config.data_dir)?;
            let (new, encoded) = match new_key {
                Some(given) => (Keys::from_base64(&given)?, given),
                None => Keys::generate(),
            };
            let done = rotate::rotate(&database, &old, &new, chrono::Utc::now()).await?;
            println!(
                "Đã chuyển {} khoá dữ liệu sang khoá chính mới (mã {}), dựng lại chỉ mục tìm kiếm của {} khách hàng.",
                done.keys_rewrapped, done.new_kek_id, done.contacts_reindexed
            );
            if from_env.is_some() {
                println!(
                    "Hãy đặt ANKHANG_MASTER_KEY thành khoá mới trước khi khởi động lại máy chủ:"
                );
                println!("  {encoded}");
            } else {
                Keys::replace_file(&config.data_dir, &encoded)?;
                println!(
                    "Đã ghi khoá mới vào {}. Hãy sao lưu nó ngay và khởi động lại máy chủ.",
                    config.data_dir.join("master.key").display()
                );
            }
        }
        Command::Backup { out } => {
            let done = backups::backup(&config, out, chrono::Utc::now()).await?;
            println!("{done}");
        }
        Command::Restore { file, force } => {
            let done = backups::restore(&config, file, force, chrono::Utc::now()).await?;
            println!("{done}");
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let database = db::connect(&config.database_url).await?;
            db::migrate(&database).await?;
            let started = std::time::Instant::now();
            let result = server::audit::verify(&database).await?;
            let seconds = started.elapsed().as_secs_f64();
            if result.archived > 0 {
                let check = server::retention::verify_archives(&database, &config.data_dir).await?;
                match check.first_bad_file {
                    None => println!(
                        "Nhật ký đã lưu trữ nguyên vẹn: {} tệp, {} mục.",
                        check.files, check.entries
                    ),
                    Some(file) => {
                        eprintln!(
                            "Tệp lưu trữ nhật ký {file} bị thiếu, bị sửa hoặc không nối tiếp chuỗi."
                        );
                        std::process::exit(1);
                    }
                }
            }
            match result.first_bad_id {
                None => println!(
                    "Chuỗi nhật ký nguyên vẹn: đã kiểm {} mục trong {seconds:.1} giây.",
                    result.entries
                ),
                Some(id) => {
                    eprintln!(
                        "Chuỗi nhật ký bị phá vỡ tại mục #{id}: mục này đã bị sửa, xoá hoặc chèn thêm (đã kiểm {} mục).",
                        result.entries
                    );
                    std::process::exit(1);
                }
            }
        }
        Command::ExportAll { out } => {
            let (database, keys) = open_with_keys(&config).await?;
            let vault = Vault::new(&keys);
            let now = chrono::Utc::now();
            let out = out.unwrap_or_else(|| {
                PathBuf::from(format!(
                    "ankhang-du-lieu-{}.zip",
                    server::domain::today_in_vietnam(now)
                ))
            });
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&out)
                .map_err(|e| anyhow::anyhow!("không tạo được {}: {e}", out.display()))?;
            let manifest = server::tenant_export::write(&database, &vault, file, now)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let meta = server::http::client_meta::ClientMeta {
                ip: None,
                user_agent: Some("ankhang export-all".into()),
            };
            server::tenant_export::audit(&database, None, &meta, &manifest, now)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let summary: Vec<String> = manifest
                .files
                .iter()
                .map(|(name, rows)| format!("{name}: {rows}"))
                .collect();
            println!("Đã xuất toàn bộ dữ liệu vào {}.", out.display());
            println!("{}", summary.join(", "));
        }
        Command::Import {
            file,
            dry_run,
            map,
            default_service_type,
            default_source,
            as_user,
        } => {
            let (database, keys) = open_with_keys(&config).await?;
            let vault = Vault::new(&keys);
            let options = server::import::cli::Options {
                file: &file,
                dry_run,
                map: &map,
                default_service_type,
                default_source,
                as_user,
            };
            if !server::import::cli::run(&database, &vault, &SystemClock, options).await? {
                std::process::exit(1);
            }
        }
        Command::BootstrapAdmin => {
            let database = db::connect(&config.database_url).await?;
            db::migrate(&database).await?;
            if admin::has_active_super_admin(&database).await? {
                println!("Đã có Super Admin: đăng nhập bằng tài khoản hiện có.");
                return Ok(());
            }
            let given = std::env::var("ANKHANG_ADMIN_PASSWORD")
                .ok()
                .filter(|p| !p.is_empty());
            let generated = given.is_none();
            let password = given.unwrap_or_else(admin::generate_password);
            let spec = AdminSpec {
                username: "admin".into(),
                password: password.clone(),
                full_name: None,
                email: None,
            };
            admin::create_or_reset(&database, &SystemClock, spec).await?;
            println!("Đã tạo Super Admin đầu tiên.");
            println!("  Tên đăng nhập: admin");
            if generated {
                println!("  Mật khẩu:      {password}");
                println!("  (Mật khẩu chỉ hiện một lần — hãy đổi nó ở trang Hồ sơ cá nhân.)");
            } else {
                println!("  Mật khẩu:      lấy từ ANKHANG_ADMIN_PASSWORD");
            }
        }
    }
    Ok(())
}

/// The migrated database and the master key, for commands that read personal data.
async fn open_with_keys(config: &Config) -> anyhow::Result<(sea_orm::DatabaseConnection, Keys)> {
    let database = db::connect(&config.database_url).await?;
    db::migrate(&database).await?;
    let from_env = config
        .master_key
        .as_ref()
        .map(|k| k.expose_secret().to_owned());
    let keys = Keys::load(from_env.as_deref(), &config.data_dir)?;
    Ok((database, keys))
}
