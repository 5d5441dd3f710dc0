#![forbid(unsafe_code)]

use std::sync::Arc;

use clap::{Parser, Subcommand};
use server::{
    admin::{self, AdminOutcome, AdminSpec},
    clock::SystemClock,
    config::Config,
    db,
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
    /// Create the first Super Admin `admin` only when no active Super Admin exists.
    /// Password from ANKHANG_ADMIN_PASSWORD, else generated and printed once.
    BootstrapAdmin,
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
