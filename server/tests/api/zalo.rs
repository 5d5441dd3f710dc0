//! Zalo OA end to end against a fake Zalo on loopback: connecting through OAuth v4 with
//! PKCE (state checked, tokens sealed), token rotation when two sends race, a revoked
//! refresh token stopping all sends and alerting admins, and ZNS deliveries through
//! the notification worker with retries on Zalo's rate limit.

use std::time::{Duration, Instant};

use entities::{notification_delivery as delivery, zalo_connection};
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::{Map, Value, json};
use server::zalo::{ZaloError, api::ZnsMessage};

use crate::{
    contacts::{new_contact, operator, sale},
    helpers::{
        Options, TestApp, error_of, spawn_app_with,
        zalo::{CODE, OA_NAME, ZaloFake, Zns},
    },
};

async fn app_with_zalo() -> (TestApp, ZaloFake, String) {
    let fake = ZaloFake::start().await;
    let app = spawn_app_with(Options {
        zalo: Some(fake.config()),
        ..Options::default()
    })
    .await;
    let admin = app.admin_token().await;
    (app, fake, admin)
}

fn query_of(url: &str) -> Map<String, Value> {
    let url = url::Url::parse(url).expect("url");
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
        .collect()
}

/// The browser coming back from Zalo's permission page (redirects not followed).
async fn callback(app: &TestApp, admin: &str, code: &str, state: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(format!(
            "{}?{}",
            app.url("/api/zalo/callback"),
            serde_urlencoded::to_string([("code", code), ("state", state), ("oa_id", "1")])
                .expect("query")
        ))
        .bearer_auth(admin)
        .send()
        .await
        .expect("callback")
}

/// Starts connecting and answers the authorization URL's query.
async fn start_connect(app: &TestApp, fake: &ZaloFake, admin: &str) -> Map<String, Value> {
    let response = app
        .bearer(Method::POST, "/api/zalo/connect", admin, None)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    let url = body["authorization_url"].as_str().expect("url");
    assert!(
        url.starts_with(&format!("{}/v4/oa/permission?", fake.base)),
        "{url}"
    );
    let query = query_of(url);
    fake.expect_challenge(query["code_challenge"].as_str().expect("challenge"));
    query
}

pub async fn connect(app: &TestApp, fake: &ZaloFake, admin: &str) {
    let query = start_connect(app, fake, admin).await;
    let state = query["state"].as_str().expect("state");
    let response = callback(app, admin, CODE, state).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

async fn connection(app: &TestApp, admin: &str) -> Value {
    app.bearer(Method::GET, "/api/zalo/connection", admin, None)
        .await
        .json()
        .await
        .expect("json")
}

pub async fn audit_of(app: &TestApp, admin: &str, action: &str) -> Vec<Value> {
    let page: Value = app
        .bearer(
            Method::GET,
            &format!("/api/audit?action={action}"),
            admin,
            None,
        )
        .await
        .json()
        .await
        .expect("audit");
    page["items"].as_array().cloned().unwrap_or_default()
}

fn message(phone: &str) -> ZnsMessage {
    let mut data = Map::new();
    data.insert("customer_name".into(), json!("Trần Thị Bình"));
    ZnsMessage {
        phone: phone.into(),
        template_id: "231677".into(),
        template_data: data,
        tracking_id: "t-1".into(),
    }
}

/// Moves the app clock to one minute before the access token expires.
pub async fn near_expiry(app: &TestApp) {
    let row = zalo_connection::Entity::find_by_id(zalo_connection::ID)
        .one(&app.db)
        .await
        .expect("query")
        .expect("connected");
    let wait = row.access_expires_at - app.clock_now() - chrono::Duration::minutes(1);
    app.clock.advance(wait);
}

#[tokio::test]
async fn an_admin_connects_zalo_oa_with_pkce_and_the_tokens_rest_sealed() {
    let (app, fake, admin) = app_with_zalo().await;
    let before = connection(&app, &admin).await;
    assert_eq!(before["status"], "not_connected");
    assert_eq!(before["configured"], true);

    let query = start_connect(&app, &fake, &admin).await;
    assert_eq!(query["app_id"], "4242");
    assert_eq!(
        query["redirect_uri"],
        "http://ankhang.test/api/zalo/callback"
    );
    let state = query["state"].as_str().expect("state").to_owned();

    // A forged state is refused and nothing is connected.
    let (status, body) = error_of(callback(&app, &admin, CODE, "forged").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "zalo_state_invalid", "{body}");
    let response = callback(&app, &admin, CODE, &state).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/zalo?ket_noi=thanh_cong");
    let after = connection(&app, &admin).await;
    assert_eq!(after["status"], "connected");
    assert_eq!(after["oa_name"], OA_NAME);
    assert_eq!(after["scopes"], json!(["oa.info", "zns.send"]));
    assert_eq!(after["connected_by"], "Quản Trị Viên");

    // The state is single-use.
    let (status, _) = error_of(callback(&app, &admin, CODE, &state).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Tokens rest sealed: the row never holds them in clear.
    let row = zalo_connection::Entity::find_by_id(zalo_connection::ID)
        .one(&app.db)
        .await
        .expect("query")
        .expect("row");
    assert!(!row.tokens_sealed.contains("access-1"));
    assert!(!row.tokens_sealed.contains("refresh-1"));
    // Audited, without the tokens.
    let entries = audit_of(&app, &admin, "zalo.connected").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let text = entries[0].to_string();
    assert!(
        !text.contains("access-1") && !text.contains("refresh-1"),
        "{text}"
    );

    // Disconnecting forgets the tokens, audited.
    let response = app
        .bearer(Method::DELETE, "/api/zalo/connection", &admin, None)
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(connection(&app, &admin).await["status"], "not_connected");
    assert_eq!(audit_of(&app, &admin, "zalo.disconnected").await.len(), 1);
}

#[tokio::test]
async fn only_channel_admins_reach_the_zalo_connection() {
    let (app, _fake, _admin) = app_with_zalo().await;
    let (_, sale) = sale(&app, "sale01").await;
    for (method, path) in [
        (Method::GET, "/api/zalo/connection"),
        (Method::POST, "/api/zalo/connect"),
        (Method::DELETE, "/api/zalo/connection"),
    ] {
        let response = app.bearer(method, path, &sale, None).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn two_zalo_sends_racing_an_expiring_token_refresh_it_once_and_both_use_the_new_one() {
    let (app, fake, admin) = app_with_zalo().await;
    connect(&app, &fake, &admin).await;
    near_expiry(&app).await;

    let (first, second) = (message("84912000111"), message("84912000222"));
    let (a, b) = tokio::join!(app.zalo.send_zns(&first), app.zalo.send_zns(&second));
    a.expect("first send");
    b.expect("second send");
    assert_eq!(fake.refreshes(), 1, "one refresh for both");
    let tokens: Vec<String> = fake.sent().into_iter().map(|(token, _)| token).collect();
    assert_eq!(tokens, vec!["access-2", "access-2"]);
    let row = zalo_connection::Entity::find_by_id(zalo_connection::ID)
        .one(&app.db)
        .await
        .expect("query")
        .expect("row");
    assert_eq!(row.version, 2);
    assert!(row.refreshing_until.is_none());
    assert_eq!(
        audit_of(&app, &admin, "zalo.token_refreshed").await.len(),
        1
    );
}

#[tokio::test]
async fn a_token_zalo_rejects_is_refreshed_and_the_send_repeated() {
    let (app, fake, admin) = app_with_zalo().await;
    connect(&app, &fake, &admin).await;
    fake.script(&[Zns::TokenExpired]);
    app.zalo
        .send_zns(&message("84912000111"))
        .await
        .expect("sent after refresh");
    assert_eq!(fake.refreshes(), 1);
    let tokens: Vec<String> = fake.sent().into_iter().map(|(token, _)| token).collect();
    assert_eq!(tokens, vec!["access-1", "access-2"]);
}

#[tokio::test]
async fn a_revoked_refresh_token_marks_zalo_for_reconnecting_alerts_admins_and_stops_sends() {
    let (app, fake, admin) = app_with_zalo().await;
    connect(&app, &fake, &admin).await;
    fake.revoke();
    near_expiry(&app).await;

    let first = app.zalo.send_zns(&message("84912000111")).await;
    assert!(matches!(first, Err(ZaloError::NeedsReconnect)), "{first:?}");
    assert_eq!(connection(&app, &admin).await["status"], "needs_reconnect");
    // No hammering: later sends fail at once, without asking Zalo again.
    let second = app.zalo.send_zns(&message("84912000111")).await;
    assert!(matches!(second, Err(ZaloError::NeedsReconnect)));
    assert_eq!(fake.refreshes(), 1);
    assert!(fake.sent().is_empty());
    assert_eq!(audit_of(&app, &admin, "zalo.refresh_failed").await.len(), 1);

    let inbox: Value = app
        .bearer(Method::GET, "/api/notifications", &admin, None)
        .await
        .json()
        .await
        .expect("inbox");
    let alert = inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|n| n["title"] == "Zalo OA cần kết nối lại")
        .unwrap_or_else(|| panic!("an alert: {inbox}"));
    assert!(
        alert["body"]
            .as_str()
            .expect("body")
            .contains("Kết nối lại Zalo OA"),
        "{alert}"
    );
    assert_eq!(alert["link"], "/zalo");

    // Reconnecting brings it back.
    connect(&app, &fake, &admin).await;
    assert_eq!(connection(&app, &admin).await["status"], "connected");
}

const PATIENCE: Duration = Duration::from_secs(10);

async fn zalo_delivery(app: &TestApp) -> delivery::Model {
    delivery::Entity::find()
        .all(&app.db)
        .await
        .expect("deliveries")
        .into_iter()
        .find(|d| d.channel == "zalo")
        .expect("a zalo delivery")
}

async fn until_delivery(
    app: &TestApp,
    what: &str,
    check: impl Fn(&delivery::Model) -> bool,
) -> delivery::Model {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let row = zalo_delivery(app).await;
        if check(&row) {
            return row;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {row:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Queues a ZNS delivery for the contact, as the composer and rules do.
async fn queue_zns(app: &TestApp, contact_id: i64, recipient: i64) {
    let now = app.clock_now();
    delivery::Entity::insert(delivery::ActiveModel {
        rule_id: Set(0),
        event_seq: Set(0),
        contact_id: Set(Some(contact_id)),
        recipient_id: Set(recipient),
        channel: Set("zalo".into()),
        idempotency_key: Set(format!("test:{contact_id}:zalo")),
        status: Set("pending".into()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        title: Set("Chào mừng".into()),
        body: Set(json!({
            "template_id": "231677",
            "template_data": { "customer_name": "{{contact.name}}", "order_code": "KH2026-001" }
        })
        .to_string()),
        link: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    })
    .exec(&app.db)
    .await
    .expect("queue");
    app.notifications_wake.notify_one();
}

#[tokio::test]
async fn a_zns_delivery_goes_to_the_contacts_phone_and_is_retried_after_zalos_rate_limit() {
    let (app, fake, admin) = app_with_zalo().await;
    connect(&app, &fake, &admin).await;
    let op = operator(&app, "tongdai01").await;
    let contact = new_contact(&app, &op, "Trần Thị Bình", "0912000111").await;
    let contact_id = contact["id"].as_i64().expect("id");
    fake.script(&[Zns::RateLimited]);
    queue_zns(&app, contact_id, 1).await;

    let first = until_delivery(&app, "the rate-limited attempt", |d| {
        d.attempts == 1 && d.last_error.is_some()
    })
    .await;
    assert_eq!(first.status, "pending");
    assert!(
        first
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("-32"),
        "{first:?}"
    );
    app.clock.advance(chrono::Duration::seconds(2));
    app.notifications_wake.notify_one();
    let sent = until_delivery(&app, "the retry", |d| d.status == "sent").await;
    assert_eq!(sent.attempts, 2);

    let (token, body) = fake.sent().pop().expect("a ZNS request");
    assert_eq!(token, "access-1");
    assert_eq!(body["phone"], "84912000111");
    assert_eq!(body["template_id"], "231677");
    assert_eq!(body["template_data"]["customer_name"], "Trần Thị Bình");
    assert_eq!(body["tracking_id"], sent.id.to_string());
}

#[tokio::test]
async fn zns_deliveries_fail_at_once_with_a_vietnamese_reason_when_zalo_is_not_connected() {
    let (app, _fake, _admin) = app_with_zalo().await;
    let op = operator(&app, "tongdai01").await;
    let contact = new_contact(&app, &op, "Trần Thị Bình", "0912000111").await;
    queue_zns(&app, contact["id"].as_i64().expect("id"), 1).await;
    let failed = until_delivery(&app, "the refusal", |d| d.status == "failed").await;
    assert_eq!(failed.attempts, 1);
    assert_eq!(failed.last_error.as_deref(), Some("Chưa kết nối Zalo OA"));
}

fn welcome_template() -> Value {
    json!({
        "zalo_template_id": "231677",
        "name": "Chào mừng khách hàng mới",
        "params": [
            { "name": "customer_name", "sample": "Nguyễn Văn A" },
            { "name": "contact_code", "sample": "KH2026-001" }
        ]
    })
}

pub async fn create_template(app: &TestApp, admin: &str) -> i64 {
    let response = app
        .bearer(
            Method::POST,
            "/api/zalo/templates",
            admin,
            Some(&welcome_template()),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.expect("json");
    body["id"].as_i64().expect("id")
}

fn compose(template_id: i64, contact_id: i64, request_id: &str) -> Value {
    json!({
        "template_id": template_id,
        "request_id": request_id,
        "messages": [{
            "contact_id": contact_id,
            "params": { "customer_name": "Trần Thị Bình", "contact_code": "KH2026-001" }
        }]
    })
}

#[tokio::test]
async fn admins_manage_zns_templates_with_checked_parameter_names() {
    let (app, _fake, admin) = app_with_zalo().await;
    let id = create_template(&app, &admin).await;
    let mut bad = welcome_template();
    bad["params"][0]["name"] = json!("tên khách");
    let (status, body) = error_of(
        app.bearer(Method::POST, "/api/zalo/templates", &admin, Some(&bad))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "params", "{body}");

    let mut off = welcome_template();
    off["enabled"] = json!(false);
    let response = app
        .bearer(
            Method::PUT,
            &format!("/api/zalo/templates/{id}"),
            &admin,
            Some(&off),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let listed: Value = app
        .bearer(Method::GET, "/api/zalo/templates", &admin, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed[0]["enabled"], false);
    assert_eq!(listed[0]["params"][1]["name"], "contact_code");
    assert_eq!(
        audit_of(&app, &admin, "zalo.template_updated").await.len(),
        1
    );

    // Sales neither read nor edit templates.
    let (_, sale) = sale(&app, "sale01").await;
    let response = app
        .bearer(Method::GET, "/api/zalo/templates", &sale, None)
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = app
        .bearer(
            Method::DELETE,
            &format!("/api/zalo/templates/{id}"),
            &sale,
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_composed_zns_is_queued_once_sent_to_the_contact_and_recorded_in_the_timeline() {
    let (app, fake, admin) = app_with_zalo().await;
    connect(&app, &fake, &admin).await;
    let template = create_template(&app, &admin).await;
    let op = operator(&app, "tongdai01").await;
    let contact = new_contact(&app, &op, "Trần Thị Bình", "0912000111").await;
    let contact_id = contact["id"].as_i64().expect("id");

    let request = compose(template, contact_id, "req-00000001");
    let response = app
        .bearer(Method::POST, "/api/zalo/messages", &admin, Some(&request))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["queued"], 1);
    // Pressing "Gửi" twice queues nothing twice.
    let again: Value = app
        .bearer(Method::POST, "/api/zalo/messages", &admin, Some(&request))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(again["queued"], 0);

    let sent = until_delivery(&app, "the composed message", |d| d.status == "sent").await;
    assert!(
        !sent.body.contains("Trần Thị Bình") && sent.body.contains("{{contact.name}}"),
        "the name rests as its placeholder: {}",
        sent.body
    );
    let requests = fake.sent();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].1["phone"], "84912000111");
    assert_eq!(
        requests[0].1["template_data"],
        json!({ "customer_name": "Trần Thị Bình", "contact_code": "KH2026-001" })
    );

    let timeline: Value = app
        .bearer(
            Method::GET,
            &format!("/api/contacts/{contact_id}/interactions"),
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    let zalo = timeline
        .as_array()
        .expect("list")
        .iter()
        .find(|i| i["kind"] == "zalo")
        .unwrap_or_else(|| panic!("a zalo interaction: {timeline}"));
    let content = zalo["content"].as_str().expect("content");
    assert!(
        content.contains("Chào mừng khách hàng mới") && content.contains("Trần Thị Bình"),
        "{content}"
    );
    assert_eq!(audit_of(&app, &admin, "zalo.message_queued").await.len(), 1);
}

#[tokio::test]
async fn the_composer_refuses_contacts_the_sender_cannot_see_and_a_disconnected_oa() {
    let (app, fake, admin) = app_with_zalo().await;
    let template = create_template(&app, &admin).await;
    let op = operator(&app, "tongdai01").await;
    let contact = new_contact(&app, &op, "Trần Thị Bình", "0912000111").await;
    let contact_id = contact["id"].as_i64().expect("id");
    let request = compose(template, contact_id, "req-00000002");

    let (status, body) = error_of(
        app.bearer(Method::POST, "/api/zalo/messages", &admin, Some(&request))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"], "zalo_not_connected", "{body}");

    connect(&app, &fake, &admin).await;
    app.create_user("cskh01", "Cskh12345", "CSKH").await;
    let cskh = app.token_for("cskh01", "Cskh12345").await;
    // A new contact is not in the care queue: CSKH cannot see it.
    let response = app
        .bearer(Method::POST, "/api/zalo/messages", &cskh, Some(&request))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let (_, sale) = sale(&app, "sale01").await;
    let response = app
        .bearer(Method::POST, "/api/zalo/messages", &sale, Some(&request))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "no zalo.send");
}

#[tokio::test]
async fn a_composed_zns_zalo_keeps_refusing_fails_after_five_attempts_and_tells_the_sender() {
    let (app, fake, admin) = app_with_zalo().await;
    connect(&app, &fake, &admin).await;
    let template = create_template(&app, &admin).await;
    let op = operator(&app, "tongdai01").await;
    let contact = new_contact(&app, &op, "Trần Thị Bình", "0912000111").await;
    fake.script(&[Zns::RateLimited; 5]);
    let request = compose(
        template,
        contact["id"].as_i64().expect("id"),
        "req-00000003",
    );
    let response = app
        .bearer(Method::POST, "/api/zalo/messages", &admin, Some(&request))
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    for attempt in 1..5 {
        let horizon = app.clock_now() + chrono::Duration::seconds(30);
        until_delivery(&app, &format!("attempt {attempt}"), |d| {
            d.attempts == attempt && d.next_attempt_at < horizon
        })
        .await;
        app.clock.advance(chrono::Duration::seconds(20));
        app.notifications_wake.notify_one();
    }
    let failed = until_delivery(&app, "giving up", |d| d.status == "failed").await;
    assert_eq!(failed.attempts, 5);

    let inbox: Value = app
        .bearer(Method::GET, "/api/notifications", &admin, None)
        .await
        .json()
        .await
        .expect("inbox");
    let told = inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|n| n["title"] == "Gửi tin Zalo thất bại")
        .unwrap_or_else(|| panic!("the sender is told: {inbox}"));
    assert!(
        told["body"]
            .as_str()
            .expect("body")
            .ends_with("Hệ thống đang bận, vui lòng thử lại sau"),
        "{told}"
    );
}

#[tokio::test]
async fn zalo_keeps_sending_after_the_master_key_is_rotated() {
    let (app, fake, admin) = app_with_zalo().await;
    connect(&app, &fake, &admin).await;
    let old = server::keys::Keys::load(None, &app.dir.path().join("data")).expect("old key");
    let (new, encoded) = server::keys::Keys::generate();
    let done = server::rotate::rotate(&app.db, &old, &new, app.clock_now())
        .await
        .expect("rotate");
    assert_eq!(done.zalo_tokens_resealed, 1);
    let rotated = spawn_app_with(Options {
        master_key: Some(encoded),
        database_url: Some(app.database_url.clone()),
        zalo: Some(fake.config()),
        ..Options::default()
    })
    .await;
    rotated
        .zalo
        .send_zns(&message("84912000111"))
        .await
        .expect("sent with the resealed token");
    assert_eq!(fake.sent()[0].0, "access-1");
}
