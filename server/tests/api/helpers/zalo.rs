//! A fake Zalo on loopback: the OAuth v4 token endpoint (authorization code with a
//! PKCE check, and rotating refresh tokens that can be revoked), the OA info endpoint
//! and the ZNS endpoint, whose answers a test can script (success, rate limit, expired
//! token).

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Form, Json, Router,
    extract::State,
    http::HeaderMap,
    routing::{get, post},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use server::zalo::config::ZaloConfig;
use sha2::{Digest, Sha256};

pub const APP_ID: &str = "4242";
pub const APP_SECRET: &str = "bi-mat-ung-dung";
pub const CODE: &str = "ma-uy-quyen";
pub const OA_NAME: &str = "Công ty Luật An Khang";

/// A scripted answer of the ZNS endpoint.
#[derive(Debug, Clone, Copy)]
pub enum Zns {
    Ok,
    RateLimited,
    TokenExpired,
}

#[derive(Default)]
struct Inner {
    /// The PKCE challenge of the authorization URL the test followed.
    challenge: Option<String>,
    /// Tokens issued so far: the newest pair is the valid one.
    issued: u32,
    refreshes: u32,
    revoked: bool,
    script: VecDeque<Zns>,
    /// Each ZNS request: its `access_token` header and JSON body.
    sent: Vec<(String, Value)>,
}

#[derive(Clone)]
pub struct ZaloFake {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

impl ZaloFake {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind zalo");
        let addr = listener.local_addr().expect("addr");
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new()
            .route("/v4/oa/access_token", post(token))
            .route("/v2.0/oa/getoa", get(oa))
            .route("/message/template", post(zns))
            .with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base: format!("http://{addr}"),
            inner,
        }
    }

    pub fn config(&self) -> ZaloConfig {
        ZaloConfig {
            oauth_base: self.base.clone(),
            api_base: self.base.clone(),
            app_id: Some(APP_ID.into()),
            app_secret: Some(APP_SECRET.into()),
        }
    }

    pub fn expect_challenge(&self, challenge: &str) {
        self.lock().challenge = Some(challenge.to_owned());
    }

    pub fn refreshes(&self) -> u32 {
        self.lock().refreshes
    }

    /// The OA's admin withdrew the app's permission: refresh tokens stop working.
    pub fn revoke(&self) {
        self.lock().revoked = true;
    }

    pub fn script(&self, answers: &[Zns]) {
        self.lock().script.extend(answers.iter().copied());
    }

    pub fn sent(&self) -> Vec<(String, Value)> {
        self.lock().sent.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().expect("lock")
    }
}

type Shared = State<Arc<Mutex<Inner>>>;

fn issue(inner: &mut Inner) -> Value {
    inner.issued += 1;
    json!({
        "access_token": format!("access-{}", inner.issued),
        "refresh_token": format!("refresh-{}", inner.issued),
        "expires_in": "90000",
    })
}

async fn token(
    State(inner): Shared,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Json<Value> {
    let refused = |code: i64, name: &str| Json(json!({ "error": code, "error_name": name }));
    if headers.get("secret_key").and_then(|v| v.to_str().ok()) != Some(APP_SECRET)
        || form.get("app_id").map(String::as_str) != Some(APP_ID)
    {
        return refused(-14002, "Invalid app secret");
    }
    match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let mut inner = inner.lock().expect("lock");
            let verifier = form.get("code_verifier").cloned().unwrap_or_default();
            let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
            if form.get("code").map(String::as_str) != Some(CODE)
                || inner.challenge.as_deref() != Some(challenge.as_str())
            {
                return refused(-14019, "Invalid code verifier");
            }
            Json(issue(&mut inner))
        }
        Some("refresh_token") => {
            {
                let mut inner = inner.lock().expect("lock");
                inner.refreshes += 1;
            }
            // Slow enough that a second worker arrives while this one refreshes.
            tokio::time::sleep(Duration::from_millis(200)).await;
            let mut inner = inner.lock().expect("lock");
            let current = format!("refresh-{}", inner.issued);
            if inner.revoked || form.get("refresh_token") != Some(&current) {
                return refused(-14014, "Invalid refresh token");
            }
            Json(issue(&mut inner))
        }
        _ => refused(-14001, "Invalid grant type"),
    }
}

fn access_of(headers: &HeaderMap) -> String {
    headers
        .get("access_token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn oa(State(inner): Shared, headers: HeaderMap) -> Json<Value> {
    let valid = format!("access-{}", inner.lock().expect("lock").issued);
    if access_of(&headers) != valid {
        return Json(json!({ "error": -124, "message": "Access token is invalid" }));
    }
    Json(json!({ "error": 0, "message": "Success", "data": { "oa_id": "1", "name": OA_NAME } }))
}

async fn zns(State(inner): Shared, headers: HeaderMap, Json(body): Json<Value>) -> Json<Value> {
    let mut inner = inner.lock().expect("lock");
    let token = access_of(&headers);
    inner.sent.push((token.clone(), body));
    let valid = format!("access-{}", inner.issued);
    let answer = inner.script.pop_front().unwrap_or(Zns::Ok);
    match answer {
        _ if token != valid => Json(json!({ "error": -124, "message": "Access token is invalid" })),
        Zns::TokenExpired => Json(json!({ "error": -124, "message": "Access token is invalid" })),
        Zns::RateLimited => Json(json!({ "error": -32, "message": "Exceeded the limit of calls" })),
        Zns::Ok => Json(json!({
            "error": 0,
            "message": "Success",
            "data": { "msg_id": format!("msg-{}", inner.sent.len()) }
        })),
    }
}
