//! A push service on loopback (the part of FCM / Mozilla autopush a server talks to):
//! it decrypts nothing, keeps each request's headers and size, and answers with the
//! status the test sets (201 unless told otherwise).

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU16, Ordering},
    },
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::post,
};

/// One push as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body_len: usize,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

#[derive(Clone)]
struct Shared {
    received: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
}

#[derive(Clone)]
pub struct PushFake {
    /// `http://127.0.0.1:port`: what `ANKHANG_PUSH_SERVICES` must allow.
    pub origin: String,
    shared: Shared,
}

impl PushFake {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind push service");
        let addr = listener.local_addr().expect("addr");
        let shared = Shared {
            received: Arc::default(),
            status: Arc::new(AtomicU16::new(201)),
        };
        let app = Router::new()
            .route("/push/{id}", post(receive))
            .with_state(shared.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            origin: format!("http://{addr}"),
            shared,
        }
    }

    /// A browser's endpoint at this service.
    pub fn endpoint(&self, id: &str) -> String {
        format!("{}/push/{id}", self.origin)
    }

    /// The status every following push is answered with.
    pub fn answer(&self, status: u16) {
        self.shared.status.store(status, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().expect("lock").clone()
    }

    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..200 {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("expected {n} pushes, got {}", self.received().len());
    }
}

async fn receive(
    State(shared): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    shared.received.lock().expect("lock").push(Received {
        path: format!("/push/{id}"),
        headers,
        body_len: body.len(),
    });
    StatusCode::from_u16(shared.status.load(Ordering::SeqCst)).unwrap_or(StatusCode::CREATED)
}
