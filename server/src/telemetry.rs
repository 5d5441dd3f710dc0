use tracing_subscriber::{EnvFilter, fmt};

/// Structured logs; `RUST_LOG` overrides the default level, `ANKHANG_LOG_JSON=1`
/// switches to JSON lines for log shippers.
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,tower_http=info"));
    let json = std::env::var("ANKHANG_LOG_JSON").is_ok_and(|v| v == "1");
    let builder = fmt().with_env_filter(filter).with_target(true);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
