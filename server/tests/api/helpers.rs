use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::{Arc, Once},
    time::Duration,
};

use api_types::LoginResponse;
use chrono::{TimeZone, Utc};
use reqwest::{Response, StatusCode, header};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use server::{
    admin::{self, AdminSpec},
    clock::ManualClock,
    config::{BackupConfig, Config, PushConfig, TlsFiles},
    startup::Application,
};
use tempfile::TempDir;

use super::helpers::smtp::SmtpFake;

pub mod database;
pub mod facebook;
pub mod push;
pub mod redis;
pub mod smtp;
pub mod webhook;
pub mod zalo;

pub const ADMIN_USER: &str = "admin";
pub const ADMIN_PASSWORD: &str = "Admin12345";

pub struct TestApp {
    pub base: String,
    /// A browser-like client: keeps cookies, sends Origin on writes.
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub db: DatabaseConnection,
    pub smtp: SmtpFake,
    pub dir: TempDir,
    pub database_url: String,
    /// The running server's shutdown flag (readiness turns 503 once it is set).
    pub lifecycle: server::lifecycle::Lifecycle,
    /// Wakes the notification worker (after moving the clock past a retry).
    pub notifications_wake: Arc<tokio::sync::Notify>,
    /// The server's Zalo OA services (to race two sends against one refresh).
    pub zalo: Arc<server::zalo::Zalo>,
    stop: std::sync::Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    running: tokio::sync::Mutex<Option<tokio::task::JoinHandle<std::io::Result<()>>>>,
}

fn init_once() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
        if std::env::var("TEST_LOG").is_ok() {
            server::telemetry::init();
        }
    });
}

#[derive(Default)]
pub struct Options {
    pub web_dir: Option<PathBuf>,
    pub pick_cooldown_secs: Option<u64>,
    /// Base64 master key (default: generated into the temp data dir).
    pub master_key: Option<String>,
    /// Share another test app's database (e.g. a second server process).
    pub database_url: Option<String>,
    /// Listen on this address (a restarted server keeps its clients' URL).
    pub bind: Option<SocketAddr>,
    /// Scheduled backups (default: off).
    pub backup: Option<BackupConfig>,
    pub monitor_webhook_url: Option<String>,
    pub metrics_token: Option<String>,
    /// Notification channels in place of the built-in ones.
    pub notification_channels: Option<Vec<Arc<dyn server::notifications::channels::Channel>>>,
    /// Serve HTTPS with these PEM files (`base` stays `http://…`: use `port()`).
    pub tls: Option<TlsFiles>,
    /// Attachment size limit (default: the server's default).
    pub attachment_max_bytes: Option<u64>,
    /// SMTP server for email (default: this app's `SmtpFake`).
    pub smtp_url: Option<String>,
    pub slack_webhook_url: Option<String>,
    /// Origins push endpoints may use (default: the real push services).
    pub push_services: Option<Vec<String>>,
    /// Inbound webhook secrets (default: the channels are off).
    pub inbound: Option<server::inbound::InboundConfig>,
    /// Zalo OA settings (a fake Zalo's base URLs); unset = not configured.
    pub zalo: Option<server::zalo::config::ZaloConfig>,
    /// Facebook Messenger outbound (a fake Graph API); unset = the channel is off.
    pub facebook: Option<server::notifications::channels::facebook::FacebookConfig>,
    /// Bridge the hub to other test servers through this Redis (`redis://…`).
    pub broker_url: Option<String>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    init_once();
    let dir = tempfile::tempdir().expect("temp dir");
    let smtp = SmtpFake::start().await;
    let data_dir = dir.path().join("data");
    let config = Config {
        database_url: match options.database_url.clone() {
            Some(url) => url,
            None => database::fresh_url(dir.path()).await,
        },
        bind: options
            .bind
            .unwrap_or_else(|| "127.0.0.1:0".parse().expect("addr")),
        data_dir,
        master_key: options.master_key.clone().map(Into::into),
        pick_cooldown: Duration::from_secs(options.pick_cooldown_secs.unwrap_or(300)),
        web_dir: options
            .web_dir
            .unwrap_or_else(|| dir.path().join("no-web-bundle")),
        public_url: if options.tls.is_some() {
            "https://ankhang.test".into()
        } else {
            "http://ankhang.test".into()
        },
        smtp_url: Some(
            options
                .smtp_url
                .clone()
                .unwrap_or_else(|| format!("smtp://{}", smtp.addr))
                .into(),
        ),
        smtp_from: "AnKhangCRM <no-reply@ankhang.test>".into(),
        trust_proxy: false,
        backup: options.backup.clone().unwrap_or_else(BackupConfig::off),
        monitor_webhook_url: options.monitor_webhook_url.clone().map(Into::into),
        metrics_token: options.metrics_token.clone().map(Into::into),
        tls: options.tls.clone(),
        attachment_max_bytes: options
            .attachment_max_bytes
            .unwrap_or(api_types::ATTACHMENT_DEFAULT_MAX_BYTES),
        retention: server::retention::RetentionConfig::manual(),
        zalo: options.zalo.clone().unwrap_or_default(),
        slack_webhook_url: options.slack_webhook_url.clone().map(Into::into),
        push: match &options.push_services {
            Some(services) => PushConfig {
                subject: "mailto:it@ankhang.test".into(),
                services: services.clone(),
            },
            None => PushConfig::with_services(
                "mailto:it@ankhang.test".into(),
                PushConfig::DEFAULT_SERVICES,
            ),
        },
        inbound: options.inbound.clone().unwrap_or_default(),
        facebook: options.facebook.clone().unwrap_or_default(),
        broker_url: options.broker_url.clone().map(Into::into),
    };
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 1, 23, 8, 0, 0)
            .single()
            .expect("time"),
    ));
    // A restarted server may wait a moment for its predecessor to release the port.
    let mut attempts = 0;
    let app = loop {
        match Application::build(config.clone(), clock.clone()).await {
            Ok(app) => break app,
            Err(_) if options.bind.is_some() && attempts < 50 => {
                attempts += 1;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(err) => panic!("build app: {err:#}"),
        }
    };
    let app = match options.notification_channels.clone() {
        Some(channels) => app.with_notification_channels(channels),
        None => app,
    };
    let addr: SocketAddr = app.local_addr().expect("addr");
    let db = app.state.db.clone();
    let database_url = app.state.config.database_url.clone();
    let lifecycle = app.state.lifecycle.clone();
    let notifications_wake = app.state.live.feed.commits();
    let zalo = app.state.zalo.clone();
    admin::create_or_reset(
        &db,
        clock.as_ref(),
        AdminSpec {
            username: ADMIN_USER.into(),
            password: ADMIN_PASSWORD.into(),
            full_name: Some("Quản Trị Viên".into()),
            email: Some("admin@ankhang.test".into()),
        },
    )
    .await
    .expect("admin");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    TestApp {
        base: format!("http://{addr}"),
        client: browser_like_client(),
        clock,
        db,
        smtp,
        dir,
        database_url,
        lifecycle,
        notifications_wake,
        zalo,
        stop: std::sync::Mutex::new(Some(stop)),
        running: tokio::sync::Mutex::new(Some(running)),
    }
}

pub fn browser_like_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

impl TestApp {
    /// Starts a graceful shutdown, as SIGTERM does in `ankhang serve`.
    pub fn shut_down(&self) {
        if let Some(stop) = self.stop.lock().expect("lock").take() {
            let _ = stop.send(());
        }
    }

    /// Shuts the server down and waits until it has let go of everything (listener,
    /// background tasks, its hold on the database file).
    pub async fn stop(&self) {
        self.shut_down();
        if let Some(running) = self.running.lock().await.take() {
            running
                .await
                .expect("server task")
                .expect("server stopped cleanly");
        }
    }

    /// A new connection pool to this app's database (e.g. after `stop`); close it when done.
    pub async fn db_reopened(&self) -> DatabaseConnection {
        server::db::connect(&self.database_url)
            .await
            .expect("reopen database")
    }

    /// The master key this app generated (to start a second server on its database).
    pub fn master_key(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("data/master.key"))
            .expect("master key")
            .trim()
            .to_owned()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A write as the web client sends it: JSON, with this site's Origin.
    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .header(header::ORIGIN, &self.base)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post(
            "/api/auth/login",
            &json!({ "username": username, "password": password }),
        )
        .await
    }

    /// Logs in with a fresh cookie-less client and returns the bearer token.
    pub async fn token_for(&self, username: &str, password: &str) -> String {
        let response = reqwest::Client::new()
            .post(self.url("/api/auth/login"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("login");
        assert_eq!(response.status(), StatusCode::OK, "login of {username}");
        response.json::<LoginResponse>().await.expect("json").token
    }

    pub async fn admin_token(&self) -> String {
        self.token_for(ADMIN_USER, ADMIN_PASSWORD).await
    }

    /// An API call with a bearer token (no cookies, no Origin: like a script).
    pub async fn bearer(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> Response {
        let mut request = reqwest::Client::new()
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request")
    }

    pub async fn role_id(&self, name: &str) -> i64 {
        let token = self.admin_token().await;
        let roles: Value = self
            .bearer(reqwest::Method::GET, "/api/roles", &token, None)
            .await
            .json()
            .await
            .expect("roles");
        roles
            .as_array()
            .expect("array")
            .iter()
            .find(|r| r["name"] == name)
            .and_then(|r| r["id"].as_i64())
            .expect("role exists")
    }

    /// Creates an employee through the API as the admin.
    pub async fn create_user(&self, username: &str, password: &str, role: &str) -> i64 {
        let role_id = self.role_id(role).await;
        let token = self.admin_token().await;
        let response = self
            .bearer(
                reqwest::Method::POST,
                "/api/users",
                &token,
                Some(&json!({
                    "username": username,
                    "password": password,
                    "full_name": format!("Nhân viên {username}"),
                    "email": format!("{username}@ankhang.test"),
                    "role_ids": [role_id],
                })),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json::<Value>().await.expect("json")["id"]
            .as_i64()
            .expect("id")
    }

    pub fn clock_now(&self) -> chrono::DateTime<Utc> {
        use server::clock::Clock;
        self.clock.now()
    }

    pub async fn count(&self, table: &str) -> i64 {
        use sea_orm::{ConnectionTrait, Statement};
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                self.db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("row");
        row.try_get::<i64>("", "n").expect("n")
    }

    /// `n` active Sales signed in, made straight in the database so a 200-user race
    /// does not spend its time hashing passwords. Returns (user id, bearer token).
    pub async fn seed_sales(&self, n: usize) -> Vec<(i64, String)> {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let sale_role = self.role_id("Sale").await;
        let hash = server::auth::password::hash("Sale12345").expect("hash");
        let now = chrono::Utc::now();
        let meta = server::http::client_meta::ClientMeta::default();
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let user = entities::user::ActiveModel {
                username: Set(format!("race{i:04}")),
                full_name: Set(format!("Sale Đua {i:04}")),
                password_hash: Set(hash.clone()),
                status: Set("active".into()),
                created_at: Set(now),
                updated_at: Set(now),
                password_changed_at: Set(now),
                ..Default::default()
            }
            .insert(&self.db)
            .await
            .expect("user");
            entities::user_role::ActiveModel {
                user_id: Set(user.id),
                role_id: Set(sale_role),
            }
            .insert(&self.db)
            .await
            .expect("role");
            let session =
                server::auth::session::create(&self.db, user.id, false, self.clock_now(), &meta)
                    .await
                    .expect("session");
            out.push((user.id, session.token));
        }
        out
    }

    /// One series of `GET /metrics` (name and labels exactly as rendered), or `None`.
    pub async fn metric(&self, series: &str) -> Option<f64> {
        let text = self.get("/metrics").await.text().await.expect("metrics");
        text.lines()
            .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
            .map(|value| value.trim().parse().expect("number"))
    }

    pub async fn execute(&self, sql: &str) {
        use sea_orm::ConnectionTrait;
        self.db.execute_unprepared(sql).await.expect("sql");
    }
}

pub async fn error_of(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let body: Value = response.json().await.expect("json error body");
    assert!(body["error"].is_string(), "error code in {body}");
    assert!(body["message"].is_string(), "message in {body}");
    (status, body)
}

/// The built web bundle, as `cargo xtask test` prepares it.
pub fn web_bundle() -> PathBuf {
    let dir = std::env::var("ANKHANG_WEB_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../client-yew/dist"));
    assert!(
        dir.join("index.html").exists(),
        "the web bundle is missing at {}: run `cargo xtask test` (or `cargo xtask build-client`)",
        dir.display()
    );
    dir
}
