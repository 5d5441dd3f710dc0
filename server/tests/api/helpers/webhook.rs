//! A Slack-style incoming webhook on loopback that keeps every JSON body it receives.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Json, Router, extract::State, routing::post};
use serde_json::Value;

#[derive(Clone)]
pub struct WebhookFake {
    pub url: String,
    bodies: Arc<Mutex<Vec<Value>>>,
}

impl WebhookFake {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind webhook");
        let addr = listener.local_addr().expect("addr");
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .route("/services/T000/B000/hook", post(keep))
            .with_state(bodies.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            url: format!("http://{addr}/services/T000/B000/hook"),
            bodies,
        }
    }

    /// The `text` of every message received so far.
    pub fn texts(&self) -> Vec<String> {
        self.bodies
            .lock()
            .expect("lock")
            .iter()
            .map(|body| body["text"].as_str().expect("text field").to_owned())
            .collect()
    }

    /// Waits until at least `n` messages arrived; returns their texts.
    pub async fn wait_for(&self, n: usize) -> Vec<String> {
        for _ in 0..100 {
            let texts = self.texts();
            if texts.len() >= n {
                return texts;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {n} webhook messages, got {:?}", self.texts());
    }
}

async fn keep(
    State(bodies): State<Arc<Mutex<Vec<Value>>>>,
    Json(body): Json<Value>,
) -> &'static str {
    bodies.lock().expect("lock").push(body);
    "ok"
}
