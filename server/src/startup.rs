//! Building the application: used alike by `main`, the tests and the load tester.

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use anyhow::Context;
use axum::serve::ListenerExt;
use sea_orm::sqlx::{
    Connection,
    sqlite::{SqliteConnectOptions, SqliteConnection},
};
use secrecy::ExposeSecret;
use tokio::{net::TcpListener, task::JoinHandle};

use hub::{Hub, HubConfig, REASON_GOING_AWAY};

use crate::{
    backup::{
        BackupError,
        location::{backup_dir, database_file},
        schedule::{Plan, Scheduler},
    },
    broker::{self, Broker},
    clock::SharedClock,
    config::Config,
    contacts::vault::Vault,
    db, http,
    keys::Keys,
    lifecycle::Lifecycle,
    live::Live,
    mail::Mailer,
    monitoring::{Metrics, Monitor, alerts::Limits},
    notifications::{self, channels::Channel},
    push::Vapid,
    state::AppState,
};

/// How long a stopping server waits for queued monitor alerts to go out.
const ALERT_FLUSH: Duration = Duration::from_secs(5);

pub struct Application {
    listener: TcpListener,
    /// Built-in TLS termination, loaded (and checked) at build time.
    tls: Option<Arc<rustls::ServerConfig>>,
    pub state: AppState,
    /// Posts monitor alerts; ends once every `Monitor` handle is dropped.
    alert_sender: Option<JoinHandle<()>>,
    /// An open connection to the SQLite file for as long as the server runs, so
    /// `ankhang restore` sees the database is in use even when the pool is idle.
    presence: Option<SqliteConnection>,
    /// Notification channels other than the built-in ones (tests).
    notification_channels: Option<Vec<Arc<dyn Channel>>>,
    /// The Redis bridge to other server processes, started with the server.
    broker: Option<Broker>,
}

impl Application {
    /// Loads keys, connects and migrates the database, and binds the listener
    /// (`ANKHANG_BIND`; port 0 picks a free one).
    pub async fn build(config: Config, clock: SharedClock) -> anyhow::Result<Self> {
        let keys = Keys::load(
            config.master_key.as_ref().map(|k| k.expose_secret()),
            &config.data_dir,
        )?;
        let database = db::connect_with(&config.database_url, db::Checkpoints::Background).await?;
        db::migrate(&database).await?;
        let mailer = Mailer::from_config(&config)?;
        let vapid =
            Vapid::load_or_create(&database, &keys, config.push.subject.clone(), clock.now())
                .await
                .context("khoá Web Push (VAPID)")?;
        let tls = config
            .tls
            .as_ref()
            .map(|files| http::tls::server_config(&files.cert, &files.key))
            .transpose()?;
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("không mở được cổng {}", config.bind))?;
        let presence = hold_open(&config.database_url).await?;
        let hub = Arc::new(Hub::new(HubConfig::default()));
        let vault = Vault::new(&keys);
        let (relay, broker) = match &config.broker_url {
            Some(url) => {
                let (relay, outbox) = broker::relay();
                (Some(relay), Some(Broker::new(url, &keys, outbox)?))
            }
            None => (None, None),
        };
        let live = Live::new(hub, clock.clone(), database.clone(), relay.clone());
        let metrics = Arc::new(Metrics::new(live.feed.published_counter()));
        let (monitor, alert_sender) = Monitor::start(
            config.monitor_webhook_url.clone(),
            Limits::default(),
            metrics.clone(),
            clock.clone(),
        );
        let zalo = crate::zalo::Zalo::new(
            database.clone(),
            clock.clone(),
            live.feed.clone(),
            &keys,
            config.zalo.clone(),
        );
        let state = AppState {
            db: database.clone(),
            config: Arc::new(config),
            live,
            clock,
            vault: Arc::new(vault),
            keys: Arc::new(keys),
            mailer: Arc::new(mailer),
            metrics,
            monitor,
            lifecycle: Lifecycle::default(),
            imports: Default::default(),
            vapid: Arc::new(vapid),
            zalo: Arc::new(zalo),
        };
        if let Some(relay) = relay {
            let reader = db::connect_feed_reader(&state.config.database_url).await?;
            state.live.feed.share(reader, state.vault.clone(), relay);
        }
        state.live.feed.preload(&state.db, &state.vault).await?;
        Ok(Self {
            broker,
            listener,
            tls,
            state,
            alert_sender,
            presence,
            notification_channels: None,
        })
    }

    /// Delivers notifications through these channels instead of the built-in ones.
    pub fn with_notification_channels(mut self, channels: Vec<Arc<dyn Channel>>) -> Self {
        self.notification_channels = Some(channels);
        self
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let hub = self.state.live.hub.clone();
        let lifecycle = self.state.lifecycle.clone();
        let backups = start_backups(&self.state);
        let retention = self
            .state
            .config
            .retention
            .interval
            .map(|every| crate::retention::spawn(self.state.clone(), every));
        let channels = self
            .notification_channels
            .unwrap_or_else(|| notifications::default_channels(&self.state));
        let notifier = notifications::start(&self.state, channels);
        let bridge = self
            .broker
            .map(|broker| broker.start(&self.state))
            .unwrap_or_default();
        let checkpointer = start_checkpointer(&self.state);
        let router = http::router(self.state);
        // Readiness turns 503 first; sockets are told the server is going away so
        // clients reconnect at once.
        let stopping = lifecycle.clone();
        let shutdown = async move {
            shutdown.await;
            stopping.begin_shutdown();
            hub.close_all(REASON_GOING_AWAY);
        };
        let app = router.into_make_service_with_connect_info::<SocketAddr>();
        let served = match self.tls {
            Some(config) => {
                // A no-op tap: axum derives `ConnectInfo<SocketAddr>` for tapped
                // listeners (TCP_NODELAY is set before the handshake).
                let listener = http::tls::TlsListener::new(self.listener, config)?.tap_io(|_| {});
                axum::serve(listener, app)
                    .with_graceful_shutdown(shutdown)
                    .await
            }
            None => {
                // Events are small frames that must leave at once, not wait to be
                // coalesced.
                let listener = self.listener.tap_io(|stream| {
                    if let Err(err) = stream.set_nodelay(true) {
                        tracing::debug!(%err, "cannot set TCP_NODELAY");
                    }
                });
                axum::serve(listener, app)
                    .with_graceful_shutdown(shutdown)
                    .await
            }
        };
        lifecycle.begin_shutdown();
        if let Some(backups) = backups {
            let _ = backups.await;
        }
        if let Some(retention) = retention {
            let _ = retention.await;
        }
        let _ = checkpointer.await;
        let _ = notifier.await;
        for task in bridge {
            let _ = task.await;
        }
        // The router, the scheduler and the notification worker held the last monitor
        // handles: the sender
        // drains what is queued and ends.
        if let Some(sender) = self.alert_sender {
            let _ = tokio::time::timeout(ALERT_FLUSH, sender).await;
        }
        if let Some(presence) = self.presence {
            let _ = presence.close().await;
        }
        served
    }
}

/// Opens and reads the SQLite file once, keeping the connection (`None` on other
/// databases).
async fn hold_open(database_url: &str) -> anyhow::Result<Option<SqliteConnection>> {
    let Some(path) = db::sqlite_file(database_url) else {
        return Ok(None);
    };
    let options = SqliteConnectOptions::new()
        .filename(path)
        .busy_timeout(Duration::from_secs(10));
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .with_context(|| format!("không mở được {path}"))?;
    sea_orm::sqlx::raw_sql("SELECT COUNT(*) FROM sqlite_master")
        .execute(&mut conn)
        .await
        .with_context(|| format!("không đọc được {path}"))?;
    Ok(Some(conn))
}

/// Folds SQLite's write-ahead log into the database every second, off the request
/// path (the pool's connections never checkpoint on commit); once more at shutdown.
fn start_checkpointer(state: &AppState) -> JoinHandle<()> {
    let (db, lifecycle) = (state.db.clone(), state.lifecycle.clone());
    tokio::spawn(async move {
        let mut every = tokio::time::interval(db::CHECKPOINT_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = every.tick() => {}
                () = lifecycle.stopping() => break,
            }
            if let Err(err) = db::checkpoint(&db).await {
                tracing::warn!(%err, "WAL checkpoint failed");
            }
        }
        if let Err(err) = db::checkpoint(&db).await {
            tracing::warn!(%err, "final WAL checkpoint failed");
        }
    })
}

/// Starts the scheduled backups when configured (SQLite only).
fn start_backups(state: &AppState) -> Option<JoinHandle<()>> {
    let config = &state.config.backup;
    let every = config.interval?;
    match database_file(&state.config.database_url) {
        Ok(_) => {}
        Err(err @ (BackupError::Postgres | BackupError::MySql)) => {
            tracing::warn!(%err, "scheduled backups are for SQLite; use the database's own tools");
            return None;
        }
        Err(err) => {
            tracing::warn!(%err, "scheduled backups are off");
            return None;
        }
    }
    let plan = Plan {
        dir: backup_dir(&state.config.data_dir),
        keep: config.keep,
        offsite: config.offsite_dir.clone(),
        mirrored: vec![
            state.config.data_dir.join("attachments"),
            crate::retention::archive_dir(&state.config.data_dir),
        ],
    };
    let scheduler = Scheduler::new(
        state.db.clone(),
        state.clock.clone(),
        plan,
        state.monitor.clone(),
    );
    Some(scheduler.spawn(every, state.lifecycle.clone()))
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
