//! The WebSocket as a client sees it.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async,
    tungstenite::{
        Message, client::IntoClientRequest, http::header, protocol::frame::coding::CloseCode,
    },
};

use crate::helpers::{TestApp, spawn_app};

type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(
    app: &TestApp,
    token: Option<&str>,
) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    let mut request = format!("{}/ws", app.base.replace("http://", "ws://"))
        .into_client_request()
        .expect("request");
    if let Some(token) = token {
        request.headers_mut().insert(
            header::AUTHORIZATION,
            format!("Bearer {token}").parse().expect("header"),
        );
    }
    connect_async(request).await.map(|(socket, _)| socket)
}

/// The next text or close frame, skipping pings.
async fn next(socket: &mut Socket) -> Message {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("a frame in time")
            .expect("open")
            .expect("frame");
        if !matches!(message, Message::Ping(_) | Message::Pong(_)) {
            return message;
        }
    }
}

fn close_code(message: &Message) -> Option<u16> {
    match message {
        Message::Close(Some(frame)) => Some(u16::from(frame.code)),
        _ => None,
    }
}

#[tokio::test]
async fn anonymous_upgrades_get_401_before_the_upgrade() {
    let app = spawn_app().await;
    match connect(&app, None).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        }
        other => panic!("expected a 401, got {other:?}"),
    }
    assert!(connect(&app, Some("forged")).await.is_err());
}

#[tokio::test]
async fn an_application_ping_is_answered_with_pong() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let mut socket = connect(&app, Some(&token)).await.expect("connect");
    socket
        .send(Message::Text(r#"{"type":"ping"}"#.into()))
        .await
        .expect("send");
    let answer = next(&mut socket).await;
    let body: Value = serde_json::from_str(answer.to_text().expect("text")).expect("json");
    assert_eq!(body, json!({"type": "pong"}));
}

#[tokio::test]
async fn logout_closes_that_sessions_sockets_only() {
    let app = spawn_app().await;
    let first = app.admin_token().await;
    let second = app.admin_token().await;
    let mut closing = connect(&app, Some(&first)).await.expect("connect");
    let mut staying = connect(&app, Some(&second)).await.expect("connect");
    app.bearer(Method::POST, "/api/auth/logout", &first, None)
        .await;
    let frame = next(&mut closing).await;
    assert_eq!(close_code(&frame), Some(4001));
    staying
        .send(Message::Text(r#"{"type":"ping"}"#.into()))
        .await
        .expect("send");
    assert!(next(&mut staying).await.is_text());
}

#[tokio::test]
async fn locking_an_account_closes_its_sockets_at_once() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app.create_user("sale01", "Sale12345", "Sale").await;
    let token = app.token_for("sale01", "Sale12345").await;
    let mut socket = connect(&app, Some(&token)).await.expect("connect");
    app.bearer(Method::POST, &format!("/api/users/{id}/lock"), &admin, None)
        .await;
    let frame = next(&mut socket).await;
    assert_eq!(close_code(&frame), Some(4003));
    if let Message::Close(Some(close)) = frame {
        assert_eq!(close.reason.as_str(), "Tài khoản đã bị khoá");
        assert_ne!(close.code, CloseCode::Normal);
    }
}

#[tokio::test]
async fn a_permission_change_is_pushed_to_the_users_open_sockets() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app.create_user("sale01", "Sale12345", "Sale").await;
    let token = app.token_for("sale01", "Sale12345").await;
    let mut socket = connect(&app, Some(&token)).await.expect("connect");
    app.bearer(
        Method::PUT,
        &format!("/api/users/{id}/overrides"),
        &admin,
        Some(&json!({"overrides": [{"code": "logs.view", "granted": true}]})),
    )
    .await;
    let frame = next(&mut socket).await;
    let body: Value = serde_json::from_str(frame.to_text().expect("text")).expect("json");
    assert_eq!(body["type"], "permissions.changed");
}
