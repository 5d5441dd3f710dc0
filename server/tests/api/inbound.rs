//! Inbound Facebook Messenger and Zalo OA webhooks: signatures, idempotency, matching
//! senders to contacts, pending messages, and `response.negative` notifications.

use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use reqwest::{Method, Response, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};
use server::inbound::InboundConfig;
use sha2::{Digest, Sha256};

use crate::{
    contacts::{new_contact, operator},
    helpers::{Options, TestApp, spawn_app, spawn_app_with},
};

const FB_SECRET: &str = "fb-app-secret";
const FB_TOKEN: &str = "fb-verify-token";
const ZALO_APP: &str = "4321987";
const ZALO_SECRET: &str = "zalo-oa-secret";

pub fn channels() -> InboundConfig {
    InboundConfig {
        facebook_app_secret: Some(SecretString::from(FB_SECRET)),
        facebook_verify_token: Some(SecretString::from(FB_TOKEN)),
        zalo_app_id: Some(ZALO_APP.into()),
        zalo_oa_secret: Some(SecretString::from(ZALO_SECRET)),
        service_type: Some("TLDN".into()),
    }
}

async fn app() -> TestApp {
    spawn_app_with(Options {
        inbound: Some(channels()),
        ..Options::default()
    })
    .await
}

fn fb_body(psid: &str, mid: &str, text: &str) -> String {
    json!({"object": "page", "entry": [{"id": "page-1", "time": 1_700_000_000_000_i64,
        "messaging": [{"sender": {"id": psid}, "recipient": {"id": "page-1"},
            "timestamp": 1_700_000_000_000_i64, "message": {"mid": mid, "text": text}}]}]})
    .to_string()
}

fn fb_signature(body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(FB_SECRET.as_bytes()).expect("key");
    mac.update(body.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A server-to-server POST: no cookie, no Origin.
async fn post_raw(app: &TestApp, path: &str, body: &str, headers: &[(&str, String)]) -> Response {
    let mut request = reqwest::Client::new()
        .post(app.url(path))
        .header("content-type", "application/json")
        .body(body.to_owned());
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    request.send().await.expect("request")
}

pub async fn facebook(app: &TestApp, psid: &str, mid: &str, text: &str) -> Response {
    let body = fb_body(psid, mid, text);
    let signature = fb_signature(&body);
    post_raw(
        app,
        "/api/webhooks/facebook",
        &body,
        &[("x-hub-signature-256", signature)],
    )
    .await
}

fn zalo_body(user: &str, msg_id: &str, text: &str) -> String {
    json!({"app_id": ZALO_APP, "user_id_by_app": "app-user", "event_name": "user_send_text",
        "timestamp": "1700000000000", "sender": {"id": user}, "recipient": {"id": "oa-1"},
        "message": {"msg_id": msg_id, "text": text}})
    .to_string()
}

fn zalo_signature(body: &str, timestamp: &str) -> String {
    let digest = Sha256::digest(format!("{ZALO_APP}{body}{timestamp}{ZALO_SECRET}").as_bytes());
    format!("mac={}", hex::encode(digest))
}

async fn zalo(app: &TestApp, user: &str, msg_id: &str, text: &str) -> Response {
    let body = zalo_body(user, msg_id, text);
    let signature = zalo_signature(&body, "1700000000000");
    post_raw(
        app,
        "/api/webhooks/zalo",
        &body,
        &[("x-zevent-signature", signature)],
    )
    .await
}

pub async fn contacts(app: &TestApp, admin: &str) -> Vec<Value> {
    let page: Value = app
        .bearer(Method::GET, "/api/contacts?sort=oldest", admin, None)
        .await
        .json()
        .await
        .expect("json");
    page["items"].as_array().cloned().unwrap_or_default()
}

/// The contact's timeline, oldest first.
pub async fn timeline(app: &TestApp, admin: &str, contact_id: i64) -> Vec<Value> {
    let mut items: Vec<Value> = app
        .bearer(
            Method::GET,
            &format!("/api/contacts/{contact_id}/interactions"),
            admin,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    items.reverse();
    items
}

fn contents(items: &[Value]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap_or_default().to_owned(),
                i["content"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn facebook_inbound_handshake_answers_the_challenge_only_for_our_token() {
    let app = app().await;
    let ok = reqwest::get(app.url(&format!(
        "/api/webhooks/facebook?hub.mode=subscribe&hub.verify_token={FB_TOKEN}&hub.challenge=98765"
    )))
    .await
    .expect("get");
    assert_eq!(ok.status(), StatusCode::OK);
    assert!(
        ok.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/plain")
    );
    assert_eq!(ok.text().await.expect("text"), "98765");
    for query in [
        "hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1",
        "hub.mode=unsubscribe&hub.verify_token=fb-verify-token&hub.challenge=1",
        "hub.mode=subscribe&hub.challenge=1",
    ] {
        let refused = reqwest::get(app.url(&format!("/api/webhooks/facebook?{query}")))
            .await
            .expect("get");
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{query}");
    }
    // A server without the channel configured has no such webhook.
    let off = spawn_app().await;
    let body = fb_body("1", "m", "Xin chào");
    let signature = fb_signature(&body);
    let response = post_raw(
        &off,
        "/api/webhooks/facebook",
        &body,
        &[("x-hub-signature-256", signature)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn inbound_deliveries_without_a_valid_signature_are_refused_and_store_nothing() {
    let app = app().await;
    let body = fb_body("psid-1", "m-1", "SĐT 0912345678");
    let missing = post_raw(&app, "/api/webhooks/facebook", &body, &[]).await;
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    let wrong = post_raw(
        &app,
        "/api/webhooks/facebook",
        &body,
        &[("x-hub-signature-256", fb_signature("{}"))],
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let body = zalo_body("z-1", "zm-1", "SĐT 0912345678");
    let wrong_time = post_raw(
        &app,
        "/api/webhooks/zalo",
        &body,
        &[("x-zevent-signature", zalo_signature(&body, "1"))],
    )
    .await;
    assert_eq!(wrong_time.status(), StatusCode::UNAUTHORIZED);
    let missing = post_raw(&app, "/api/webhooks/zalo", &body, &[]).await;
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    for table in [
        "inbound_messages",
        "inbound_identities",
        "inbound_pending",
        "contacts",
    ] {
        assert_eq!(app.count(table).await, 0, "{table}");
    }
}

#[tokio::test]
async fn inbound_facebook_message_with_a_phone_creates_a_contact_and_later_ones_append_once() {
    let app = app().await;
    let admin = app.admin_token().await;
    let first = "Tôi cần tư vấn thành lập công ty, sđt 0912 345 678";
    assert_eq!(
        facebook(&app, "psid-7", "mid-1", first).await.status(),
        StatusCode::OK
    );
    let all = contacts(&app, &admin).await;
    assert_eq!(all.len(), 1);
    let contact = &all[0];
    assert_eq!(contact["source"], "fb_mess");
    assert_eq!(contact["phone"], "0912345678");
    assert_eq!(contact["full_name"], "Khách Facebook …5678");
    assert_eq!(contact["status"], "new");
    let id = contact["id"].as_i64().expect("id");
    assert_eq!(
        contents(&timeline(&app, &admin, id).await),
        [("facebook".to_owned(), first.to_owned())]
    );
    // The same sender again, without a phone: appended to the same contact.
    assert_eq!(
        facebook(&app, "psid-7", "mid-2", "Khi nào có báo giá?")
            .await
            .status(),
        StatusCode::OK
    );
    // Facebook retrying a delivery changes nothing.
    assert_eq!(
        facebook(&app, "psid-7", "mid-2", "Khi nào có báo giá?")
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(contacts(&app, &admin).await.len(), 1);
    let items = timeline(&app, &admin, id).await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["content"], "Khi nào có báo giá?");
    assert_eq!(app.count("inbound_messages").await, 2);
    assert_eq!(
        app.count("audit_log WHERE action = 'inbound.message_received'")
            .await,
        2
    );
    // The audit trail records ids and lengths, never the text.
    assert_eq!(
        app.count("audit_log WHERE after_data LIKE '%báo giá%' OR after_data LIKE '%0912%'")
            .await,
        0
    );
}

#[tokio::test]
async fn inbound_zalo_message_is_checked_and_appended_to_the_contact_with_that_phone() {
    let app = app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let existing = new_contact(&app, &op, "Trần Thị Bích", "0987654321").await;
    let id = existing["id"].as_i64().expect("id");
    let text = "Em là Bích, số 0987.654.321, cho em hỏi tiến độ hồ sơ";
    assert_eq!(
        zalo(&app, "zalo-user-1", "zm-1", text).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        zalo(&app, "zalo-user-1", "zm-2", "Em cảm ơn")
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        zalo(&app, "zalo-user-1", "zm-2", "Em cảm ơn")
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(contacts(&app, &admin).await.len(), 1, "no new contact");
    assert_eq!(
        contents(&timeline(&app, &admin, id).await),
        [
            ("zalo".to_owned(), text.to_owned()),
            ("zalo".to_owned(), "Em cảm ơn".to_owned())
        ]
    );
    // Events other than user texts are acknowledged and ignored.
    let follow = json!({"app_id": ZALO_APP, "event_name": "follow", "timestamp": "5",
        "follower": {"id": "zalo-user-2"}})
    .to_string();
    let response = post_raw(
        &app,
        "/api/webhooks/zalo",
        &follow,
        &[("x-zevent-signature", zalo_signature(&follow, "5"))],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.count("inbound_messages").await, 2);
}

#[tokio::test]
async fn inbound_unknown_sender_without_phone_waits_until_a_later_message_names_one() {
    let app = app().await;
    let admin = app.admin_token().await;
    let question = "Cho tôi hỏi chi phí thành lập công ty";
    assert_eq!(
        facebook(&app, "psid-9", "mid-a", question).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.count("inbound_pending").await, 1);
    assert_eq!(app.count("contacts").await, 0);
    // A malformed item beside a good one is skipped, not a server error.
    let body = json!({"object": "page", "entry": [{"messaging": [
        {"sender": {"id": 12}, "message": {"mid": "bad"}},
        {"sender": {"id": "psid-9"}, "message": {"mid": "mid-b", "text": "Số tôi là 0903 123 456"}}
    ]}]})
    .to_string();
    let signature = fb_signature(&body);
    let response = post_raw(
        &app,
        "/api/webhooks/facebook",
        &body,
        &[("x-hub-signature-256", signature)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.count("inbound_pending").await, 0);
    let all = contacts(&app, &admin).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["phone"], "0903123456");
    let id = all[0]["id"].as_i64().expect("id");
    assert_eq!(
        contents(&timeline(&app, &admin, id).await),
        [
            ("facebook".to_owned(), question.to_owned()),
            ("facebook".to_owned(), "Số tôi là 0903 123 456".to_owned())
        ]
    );
}

#[tokio::test]
async fn inbound_negative_message_raises_response_negative_and_a_rule_delivers_in_app() {
    let app = app().await;
    let admin = app.admin_token().await;
    let rule = json!({
        "name": "Khách phàn nàn",
        "trigger": "response.negative",
        "conditions": {},
        "channels": ["in_app"],
        "template_title": "Khách {{contact.code}} phản hồi tiêu cực",
        "template_body": "Nguồn {{contact.source}}: {{response.terms}}",
    });
    let created = app
        .bearer(Method::POST, "/api/notification-rules", &admin, Some(&rule))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let calm = "Tư vấn giúp tôi, sđt 0912345678";
    assert_eq!(
        facebook(&app, "psid-3", "mid-1", calm).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.count("events WHERE kind = 'response.negative'").await,
        0
    );
    let angry = "Làm ăn quá tệ, tôi sẽ khiếu nại";
    assert_eq!(
        facebook(&app, "psid-3", "mid-2", angry).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.count("events WHERE kind = 'response.negative'").await,
        1
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let inbox = loop {
        let inbox: Value = app
            .bearer(Method::GET, "/api/notifications", &admin, None)
            .await
            .json()
            .await
            .expect("json");
        if inbox["total"] == 1 {
            break inbox;
        }
        assert!(Instant::now() < deadline, "no notification: {inbox}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    let title = inbox["items"][0]["title"].as_str().expect("title");
    assert_eq!(title, "Khách KH2026-001 phản hồi tiêu cực");
    let body = inbox["items"][0]["body"].as_str().expect("body");
    assert_eq!(body, "Nguồn Facebook Messenger: quá tệ, khiếu nại");
}

#[tokio::test]
async fn inbound_senders_and_pending_messages_survive_a_master_key_rotation() {
    use server::keys::Keys;

    let app = app().await;
    let question = "Cho em hỏi về dịch vụ kế toán";
    assert_eq!(
        facebook(&app, "psid-r", "mid-1", question).await.status(),
        StatusCode::OK
    );
    let old = Keys::load(None, &app.dir.path().join("data")).expect("old key");
    let (new, encoded) = Keys::generate();
    let done = server::rotate::rotate(&app.db, &old, &new, app.clock_now())
        .await
        .expect("rotate");
    assert_eq!(done.inbound_resealed, 2, "one sender, one pending message");
    let rotated = spawn_app_with(Options {
        master_key: Some(encoded),
        database_url: Some(app.database_url.clone()),
        inbound: Some(channels()),
        ..Options::default()
    })
    .await;
    let phone = "SĐT em 0977 111 222";
    assert_eq!(
        facebook(&rotated, "psid-r", "mid-2", phone).await.status(),
        StatusCode::OK
    );
    let admin = rotated.admin_token().await;
    let all = contacts(&rotated, &admin).await;
    assert_eq!(all.len(), 1);
    let id = all[0]["id"].as_i64().expect("id");
    let items = timeline(&rotated, &admin, id).await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["content"], question);
    assert_eq!(
        rotated.count("inbound_identities").await,
        1,
        "the sender was recognised"
    );
}
