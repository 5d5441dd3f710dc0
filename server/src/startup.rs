//! Building the application: used alike by `main`, the tests and the load tester.

use std::{future::Future, net::SocketAddr, sync::Arc};

use anyhow::Context;
use axum::serve::ListenerExt;
use secrecy::ExposeSecret;
use tokio::net::TcpListener;

use hub::{Hub, HubConfig, REASON_GOING_AWAY};

use crate::{
    clock::SharedClock, config::Config, contacts::vault::Vault, db, http, keys::Keys, live::Live,
    mail::Mailer, state::AppState,
};

pub struct Application {
    listener: TcpListener,
    pub state: AppState,
}

impl Application {
    /// Loads keys, connects and migrates the database, and binds the listener
    /// (`ANKHANG_BIND`; port 0 picks a free one).
    pub async fn build(config: Config, clock: SharedClock) -> anyhow::Result<Self> {
        let keys = Keys::load(
            config.master_key.as_ref().map(|k| k.expose_secret()),
            &config.data_dir,
        )?;
        let database = db::connect(&config.database_url).await?;
        db::migrate(&database).await?;
        let mailer = Mailer::from_config(&config)?;
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("không mở được cổng {}", config.bind))?;
        let hub = Arc::new(Hub::new(HubConfig::default()));
        let vault = Vault::new(&keys);
        let state = AppState {
            db: database.clone(),
            config: Arc::new(config),
            live: Live::new(hub, clock.clone(), database.clone()),
            clock,
            vault: Arc::new(vault),
            keys: Arc::new(keys),
            mailer: Arc::new(mailer),
        };
        state.live.feed.preload(&state.db, &state.vault).await?;
        Ok(Self { listener, state })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let hub = self.state.live.hub.clone();
        let router = http::router(self.state);
        // Sockets are told the server is going away so clients reconnect at once.
        let shutdown = async move {
            shutdown.await;
            hub.close_all(REASON_GOING_AWAY);
        };
        // Events are small frames that must leave at once, not wait to be coalesced.
        let listener = self.listener.tap_io(|stream| {
            if let Err(err) = stream.set_nodelay(true) {
                tracing::debug!(%err, "cannot set TCP_NODELAY");
            }
        });
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
    }
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
