//! A fake Facebook Graph API on loopback: the Messenger Send API
//! (`POST /v19.0/me/messages?access_token=…`), whose answers a test can script
//! (success, a rate limit, a permanent refusal).

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
};

use axum::{
    Json, Router,
    extract::{Query, State},
    http::StatusCode,
    routing::post,
};
use secrecy::SecretString;
use serde_json::{Value, json};
use server::notifications::channels::facebook::FacebookConfig;

pub const PAGE_TOKEN: &str = "page-token-an-khang";

/// A scripted answer of the Send API.
#[derive(Debug, Clone, Copy)]
pub enum Send {
    Ok,
    /// HTTP 400 with Graph's page rate-limit code 613.
    RateLimited,
    /// HTTP 400 with code 100 (invalid parameter): never worth retrying.
    Refused,
}

#[derive(Default)]
struct Inner {
    script: VecDeque<Send>,
    /// Each request: its `access_token` query parameter and JSON body.
    sent: Vec<(String, Value)>,
}

#[derive(Clone)]
pub struct GraphFake {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

impl GraphFake {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind graph");
        let addr = listener.local_addr().expect("addr");
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new()
            .route("/v19.0/me/messages", post(send))
            .with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base: format!("http://{addr}/v19.0"),
            inner,
        }
    }

    pub fn config(&self) -> FacebookConfig {
        FacebookConfig {
            page_token: Some(SecretString::from(PAGE_TOKEN)),
            graph_url: self.base.clone(),
        }
    }

    pub fn script(&self, answers: &[Send]) {
        self.lock().script.extend(answers.iter().copied());
    }

    pub fn sent(&self) -> Vec<(String, Value)> {
        self.lock().sent.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().expect("lock")
    }
}

async fn send(
    State(inner): State<Arc<Mutex<Inner>>>,
    Query(query): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let mut inner = inner.lock().expect("lock");
    let token = query.get("access_token").cloned().unwrap_or_default();
    inner.sent.push((token.clone(), body.clone()));
    if token != PAGE_TOKEN {
        return (
            StatusCode::BAD_REQUEST,
            Json(
                json!({ "error": { "message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190 } }),
            ),
        );
    }
    match inner.script.pop_front().unwrap_or(Send::Ok) {
        Send::Ok => (
            StatusCode::OK,
            Json(json!({
                "recipient_id": body["recipient"]["id"],
                "message_id": format!("m_{}", inner.sent.len()),
            })),
        ),
        Send::RateLimited => (
            StatusCode::BAD_REQUEST,
            Json(
                json!({ "error": { "message": "Calls to this api have exceeded the rate limit.", "type": "OAuthException", "code": 613 } }),
            ),
        ),
        Send::Refused => (
            StatusCode::BAD_REQUEST,
            Json(
                json!({ "error": { "message": "(#100) No matching user found", "type": "OAuthException", "code": 100, "error_subcode": 2018001 } }),
            ),
        ),
    }
}
