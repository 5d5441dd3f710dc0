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

pub type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn connect(
    app: &TestApp,
    token: Option<&str>,
) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    connect_to(app, "/ws", token).await
}

pub async fn connect_to(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    let mut request = format!("{}{path}", app.base.replace("http://", "ws://"))
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
pub async fn next(socket: &mut Socket) -> Message {
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

pub fn close_code(message: &Message) -> Option<u16> {
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

pub async fn frame_json(socket: &mut Socket) -> Value {
    let frame = next(socket).await;
    serde_json::from_str(frame.to_text().expect("text")).expect("json")
}

pub async fn resume(socket: &mut Socket, after: i64) {
    socket
        .send(Message::Text(
            json!({"type": "resume", "after_seq": after})
                .to_string()
                .into(),
        ))
        .await
        .expect("send");
}

#[tokio::test]
async fn contact_events_reach_the_right_sockets_after_commit() {
    let app = spawn_app().await;
    let op = crate::contacts::operator(&app, "tongdai01").await;
    let (_, sale_a) = crate::contacts::sale(&app, "sale01").await;
    let (_, sale_b) = crate::contacts::sale(&app, "sale02").await;
    app.create_user("cskh01", "Cskh12345", "CSKH").await;
    let care = app.token_for("cskh01", "Cskh12345").await;
    let mut board_a = connect(&app, Some(&sale_a)).await.expect("a");
    let mut board_care = connect(&app, Some(&care)).await.expect("care");

    let created = crate::contacts::new_contact(&app, &op, "Quách Văn Sự", "0912777888").await;
    let id = created["id"].as_i64().expect("id");
    let event = frame_json(&mut board_a).await;
    assert_eq!(event["type"], "contact.created");
    assert_eq!(event["data"]["code"], created["code"]);
    assert_eq!(event["data"]["full_name"], "Quách Văn Sự");
    assert!(
        event["data"].get("phone").is_none(),
        "no phone on the board"
    );
    let first_seq = event["seq"].as_i64().expect("seq");

    // A refused pick (cooldown) is rolled back and publishes nothing.
    app.bearer(
        Method::POST,
        &format!("/api/contacts/{id}/pick"),
        &sale_b,
        None,
    )
    .await;
    let other = crate::contacts::new_contact(&app, &op, "Khách Khác", "0912777889").await;
    let refused = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{}/pick", other["id"]),
            &sale_b,
            None,
        )
        .await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);

    let picked = frame_json(&mut board_a).await;
    assert_eq!(picked["type"], "contact.picked");
    assert_eq!(picked["data"]["picked_by"]["full_name"], "Nhân viên sale02");
    assert_eq!(picked["seq"], first_seq + 1);
    let second = frame_json(&mut board_a).await;
    assert_eq!(second["type"], "contact.created");
    assert_eq!(
        second["seq"],
        first_seq + 2,
        "the refused pick left no event"
    );

    // Customer care hears of nothing until a contact fails.
    app.bearer(
        Method::POST,
        &format!("/api/contacts/{id}/status"),
        &sale_b,
        Some(&json!({"status": "failed"})),
    )
    .await;
    let failed = frame_json(&mut board_care).await;
    assert_eq!(failed["type"], "contact.status_changed");
    assert_eq!(failed["data"]["to"], "failed");
    // Sale A never held it: the change is not theirs to see.
    board_a
        .send(Message::Text(r#"{"type":"ping"}"#.into()))
        .await
        .expect("ping");
    assert_eq!(frame_json(&mut board_a).await["type"], "pong");
}

#[tokio::test]
async fn a_reconnecting_socket_resumes_without_losing_events() {
    let app = spawn_app().await;
    let op = crate::contacts::operator(&app, "tongdai01").await;
    let (_, sale) = crate::contacts::sale(&app, "sale01").await;
    let mut socket = connect(&app, Some(&sale)).await.expect("connect");
    crate::contacts::new_contact(&app, &op, "Khách Một", "0913000001").await;
    let last_seen = frame_json(&mut socket).await["seq"].as_i64().expect("seq");
    drop(socket);

    // Missed while offline.
    for (i, phone) in ["0913000002", "0913000003", "0913000004"]
        .iter()
        .enumerate()
    {
        crate::contacts::new_contact(&app, &op, &format!("Khách {i}"), phone).await;
    }
    let mut socket = connect(&app, Some(&sale)).await.expect("reconnect");
    resume(&mut socket, last_seen).await;
    let mut replayed = Vec::new();
    for _ in 0..3 {
        replayed.push(frame_json(&mut socket).await["seq"].as_i64().expect("seq"));
    }
    assert_eq!(replayed, [last_seen + 1, last_seen + 2, last_seen + 3]);

    // The seq and the backlog survive a restart: a new server on the same database.
    let restarted = crate::helpers::spawn_app_with(crate::helpers::Options {
        database_url: Some(app.database_url.clone()),
        master_key: Some(master_key_of(&app)),
        ..Default::default()
    })
    .await;
    let latest: Value = restarted
        .bearer(Method::GET, "/api/events/latest", &sale, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(latest["seq"], last_seen + 3);
    let mut socket = connect(&restarted, Some(&sale)).await.expect("connect");
    resume(&mut socket, last_seen + 1).await;
    let event = frame_json(&mut socket).await;
    assert_eq!(event["seq"], last_seen + 2);
    assert_eq!(
        event["data"]["full_name"], "Khách 1",
        "sealed copy reopened"
    );
}

fn master_key_of(app: &TestApp) -> String {
    std::fs::read_to_string(app.dir.path().join("data/master.key"))
        .expect("key")
        .trim()
        .to_owned()
}

#[tokio::test]
async fn a_graceful_shutdown_tells_every_socket_the_server_is_going_away() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let mut sockets = Vec::new();
    for _ in 0..3 {
        sockets.push(connect(&app, Some(&token)).await.expect("connect"));
    }
    app.shut_down();
    for socket in &mut sockets {
        let frame = next(socket).await;
        assert_eq!(close_code(&frame), Some(1001));
    }
}

#[tokio::test]
async fn a_socket_that_never_reads_does_not_hold_up_another_one() {
    let app = spawn_app().await;
    let op = crate::contacts::operator(&app, "tongdai01").await;
    let (_, sale) = crate::contacts::sale(&app, "sale01").await;
    // This socket never reads; fan-out never waits on it (the hub's unit tests prove a
    // full queue gets it closed with 4008), so the other socket keeps receiving.
    let _stalled = connect(&app, Some(&sale)).await.expect("stalled");
    let mut live = connect(&app, Some(&sale)).await.expect("live");
    for i in 0..15 {
        crate::contacts::new_contact(
            &app,
            &op,
            &format!("Khách {i}"),
            &format!("09{:08}", 30_000_000 + i),
        )
        .await;
        let event = frame_json(&mut live).await;
        assert_eq!(
            event["type"], "contact.created",
            "event {i} arrived promptly"
        );
    }
}

#[tokio::test]
async fn concurrent_changes_reach_a_socket_in_seq_order() {
    let app = spawn_app().await;
    let op = crate::contacts::operator(&app, "tongdai01").await;
    let (_, sale) = crate::contacts::sale(&app, "sale01").await;
    let mut socket = connect(&app, Some(&sale)).await.expect("connect");
    // Commits that finish at nearly the same time must still be published in seq
    // order: the client drops any seq at or below the highest it has seen.
    let creations = (0..40).map(|i| {
        let (app, op) = (&app, &op);
        async move {
            crate::contacts::new_contact(app, op, &format!("Khách {i}"), &format!("09150{i:05}"))
                .await
        }
    });
    futures_util::future::join_all(creations).await;
    let mut seqs = Vec::new();
    for _ in 0..40 {
        seqs.push(frame_json(&mut socket).await["seq"].as_i64().expect("seq"));
    }
    let mut sorted = seqs.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(seqs, sorted, "frames out of seq order");
}

#[tokio::test]
async fn two_hundred_sockets_all_receive_a_new_contact_and_the_pick_their_race_settled() {
    let app = spawn_app().await;
    let op = crate::contacts::operator(&app, "tongdai01").await;
    let sales = app.seed_sales(200).await;
    let mut sockets = Vec::with_capacity(sales.len());
    for (_, token) in &sales {
        sockets.push(connect(&app, Some(token)).await.expect("connect"));
    }
    let created = crate::contacts::new_contact(&app, &op, "Khách Chung", "0914000001").await;
    let id = created["id"].as_i64().expect("id");
    // Every Sale races for it at once.
    let attempts = sales.iter().map(|(_, token)| {
        let app = &app;
        async move {
            let answer = app
                .bearer(
                    Method::POST,
                    &format!("/api/contacts/{id}/pick"),
                    token,
                    None,
                )
                .await;
            answer.status()
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    let won: Vec<usize> = (0..statuses.len())
        .filter(|i| statuses[*i] == StatusCode::OK)
        .collect();
    assert_eq!(won.len(), 1, "exactly one winner");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT)
    );
    let winner = sales[won[0]].0;
    let receipts = sockets.iter_mut().map(|socket| async move {
        let first = frame_json(socket).await;
        let second = frame_json(socket).await;
        (
            first["type"].clone(),
            second["type"].clone(),
            second["data"]["id"].clone(),
            second["data"]["picked_by"]["id"].clone(),
        )
    });
    let all = futures_util::future::join_all(receipts).await;
    assert_eq!(all.len(), 200);
    for (first, second, picked_id, by) in all {
        assert_eq!(first, "contact.created");
        assert_eq!(second, "contact.picked");
        assert_eq!(picked_id, id);
        assert_eq!(by, winner);
    }
}

#[tokio::test]
async fn a_new_deal_reaches_its_closer_and_admins_but_not_other_sales() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = crate::contacts::operator(&app, "tongdai01").await;
    let (closer_id, closer) = crate::contacts::sale(&app, "sale01").await;
    let (_, other) = crate::contacts::sale(&app, "sale02").await;
    let contact = crate::contacts::new_contact(&app, &op, "Lý Thị Hoa", "0912555666").await;
    let id = contact["id"].as_i64().expect("id");
    app.bearer(
        Method::POST,
        &format!("/api/contacts/{id}/reassign"),
        &admin,
        Some(&json!({ "user_id": closer_id })),
    )
    .await;
    let product: Value = app
        .bearer(
            Method::POST,
            "/api/products",
            &admin,
            Some(&json!({ "code": "TLDN-7", "name": "Gói nâng cao", "base_price": 1_500_000 })),
        )
        .await
        .json()
        .await
        .expect("product");
    let mut closer_socket = connect(&app, Some(&closer)).await.expect("closer");
    let mut admin_socket = connect(&app, Some(&admin)).await.expect("admin");
    let mut other_socket = connect(&app, Some(&other)).await.expect("other");
    let response = app
        .bearer(
            Method::POST,
            "/api/deals",
            &closer,
            Some(&json!({
                "contact_id": id,
                "lines": [{ "product_id": product["id"], "quantity": 2 }],
                "payment_status": "paid",
                "closed_on": "2026-01-23",
            })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    for socket in [&mut closer_socket, &mut admin_socket] {
        let status = frame_json(socket).await;
        assert_eq!(status["type"], "contact.status_changed");
        assert_eq!(status["data"]["to"], "won");
        let deal = frame_json(socket).await;
        assert_eq!(deal["type"], "deal.created");
        assert_eq!(deal["seq"], status["seq"].as_i64().expect("seq") + 1);
        assert_eq!(deal["data"]["total"], 3_000_000);
        assert_eq!(deal["data"]["contact_name"], "Lý Thị Hoa");
        assert_eq!(deal["data"]["closer"]["id"], closer_id);
    }
    other_socket
        .send(Message::Text(r#"{"type":"ping"}"#.into()))
        .await
        .expect("ping");
    assert_eq!(
        frame_json(&mut other_socket).await["type"],
        "pong",
        "another Sale hears nothing of it"
    );
}

#[tokio::test]
async fn an_oversized_client_frame_ends_the_socket_without_hurting_the_server() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let mut socket = connect(&app, Some(&token)).await.expect("connect");
    let huge = format!(r#"{{"type":"ping","pad":"{}"}}"#, "x".repeat(64 * 1024));
    let _ = socket.send(Message::Text(huge.into())).await;
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match socket.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the socket stays open after a 64 KiB frame");
    let mut fresh = connect(&app, Some(&token)).await.expect("reconnect");
    fresh
        .send(Message::Text(r#"{"type":"ping"}"#.into()))
        .await
        .expect("send");
    assert_eq!(frame_json(&mut fresh).await["type"], "pong");
}

/// Reads `count` event frames and checks they are numbered one after another from
/// `after + 1`, as they are when every event is for everyone.
async fn expect_events(socket: &mut Socket, after: i64, count: i64) {
    for expected in after + 1..=after + count {
        let frame = frame_json(socket).await;
        assert_eq!(frame["seq"], expected, "frame {frame}");
    }
}

#[tokio::test]
async fn a_backlog_longer_than_the_socket_queue_is_replayed_whole_both_ways() {
    let app = spawn_app().await;
    let op = crate::contacts::operator(&app, "tongdai01").await;
    let (_, sale) = crate::contacts::sale(&app, "sale01").await;
    let latest: Value = app
        .bearer(Method::GET, "/api/events/latest", &sale, None)
        .await
        .json()
        .await
        .expect("json");
    let after = latest["seq"].as_i64().expect("seq");
    // More missed events than a socket's queue holds (256).
    let missed = 300;
    for i in 0..missed {
        crate::contacts::new_contact(&app, &op, &format!("Khách {i}"), &format!("09160{i:05}"))
            .await;
    }

    let mut by_frame = connect(&app, Some(&sale)).await.expect("connect");
    resume(&mut by_frame, after).await;
    expect_events(&mut by_frame, after, missed).await;

    let mut by_url = connect_to(&app, &format!("/ws?after_seq={after}"), Some(&sale))
        .await
        .expect("connect");
    expect_events(&mut by_url, after, missed).await;

    // Both then carry on live.
    crate::contacts::new_contact(&app, &op, "Khách Sau", "0916999999").await;
    expect_events(&mut by_frame, after + missed, 1).await;
    expect_events(&mut by_url, after + missed, 1).await;
}

#[tokio::test]
async fn a_bad_resume_point_in_the_url_is_refused_in_the_api_shape() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    match connect_to(&app, "/ws?after_seq=abc", Some(&token)).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let body: Value =
                serde_json::from_slice(response.body().as_deref().unwrap_or_default())
                    .expect("json");
            assert_eq!(body["field"], "after_seq");
        }
        other => panic!("expected a 422, got {other:?}"),
    }
}
