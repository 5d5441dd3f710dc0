//! Zalo OA (SPEC NOTI, CHAN): the firm's OA connection (`routes`, `oauth`), its tokens
//! (`tokens`: sealed, refreshed before expiry, rotated atomically) and the ZNS API
//! (`api`), which the `zalo` notification channel sends through; the ZNS templates
//! (`templates`) and the CSKH composer (`compose`), which queues deliveries.

pub mod api;
pub(crate) mod compose;
pub mod config;
pub mod oauth;
mod routes;
pub mod templates;
pub mod tokens;

use std::sync::Arc;

use sea_orm::{DatabaseConnection, DbErr};
use utoipa_axum::{router::OpenApiRouter, routes};

use self::{config::ZaloConfig, oauth::OauthClient, tokens::TokenBox};
use crate::{clock::SharedClock, crypto::CryptoError, events::Feed, keys::Keys, state::AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::connection, routes::disconnect))
        .routes(routes!(routes::connect))
        .routes(routes!(routes::callback))
        .routes(routes!(templates::list, templates::create))
        .routes(routes!(templates::update, templates::delete))
        .routes(routes!(compose::send))
}

#[derive(Debug, thiserror::Error)]
pub enum ZaloError {
    #[error("Chưa kết nối Zalo OA")]
    NotConnected,
    #[error(
        "Zalo OA cần kết nối lại: quyền truy cập đã bị thu hồi hoặc hết hạn. Quản trị viên vào trang Zalo OA để kết nối lại"
    )]
    NeedsReconnect,
    /// Zalo is down, slow or rate-limiting: worth trying again later.
    #[error("{0}")]
    Unavailable(String),
    /// Zalo refused this message for good (bad phone, unknown template, …).
    #[error("{0}")]
    Rejected(String),
    #[error("không mở được token Zalo đã lưu")]
    Sealed(#[from] CryptoError),
    #[error("cơ sở dữ liệu: {0}")]
    Database(#[from] DbErr),
}

/// The OA connection's services, shared by the routes and the `zalo` channel.
pub struct Zalo {
    db: DatabaseConnection,
    clock: SharedClock,
    feed: Arc<Feed>,
    config: ZaloConfig,
    sealer: TokenBox,
    oauth: OauthClient,
    http: reqwest::Client,
}

impl Zalo {
    pub fn new(
        db: DatabaseConnection,
        clock: SharedClock,
        feed: Arc<Feed>,
        keys: &Keys,
        config: ZaloConfig,
    ) -> Self {
        Self {
            db,
            clock,
            feed,
            sealer: TokenBox::new(keys),
            oauth: OauthClient::new(config.clone()),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(15))
                .build()
                .unwrap_or_default(),
            config,
        }
    }

    pub fn config(&self) -> &ZaloConfig {
        &self.config
    }

    pub fn oauth(&self) -> &OauthClient {
        &self.oauth
    }

    pub fn sealer(&self) -> &TokenBox {
        &self.sealer
    }
}
