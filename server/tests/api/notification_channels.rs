//! The outbound notification channels end to end: email over SMTP, Slack's incoming
//! webhook and Web Push, each against a fake service on loopback, with the real worker
//! running in the background and the test clock driving the retries.

use std::time::{Duration, Instant};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use entities::{notification_delivery as delivery, push_subscription};
use reqwest::{Method, StatusCode};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{Value, json};

use crate::{
    contacts::{new_contact, operator, sale},
    helpers::{
        Options, TestApp, error_of,
        push::PushFake,
        smtp::{SmtpFake, decoded},
        spawn_app_with,
        webhook::WebhookFake,
    },
};

const PATIENCE: Duration = Duration::from_secs(10);
/// A browser's real subscription keys (from web-push's own tests): the server must be
/// able to encrypt for them.
const P256DH: &str =
    "BGa4N1PI79lboMR_YrwCiCsgp35DRvedt7opHcf0yM3iOBTSoQYqQLwWxAfRKE6tsDnReWmhsImkhDF_DBdkNSU";
const AUTH: &str = "EvcWjEgzr4rbvhfi3yds0A";

fn rule_body(channels: &[&str], conditions: Value) -> Value {
    json!({
        "name": format!("Báo {}", channels.join(", ")),
        "trigger": "contact.created",
        "conditions": conditions,
        "channels": channels,
        "template_title": "Khách mới {{contact.code}} – {{contact.service_type}}",
        "template_body": "{{contact.name}} cần tư vấn, tạo bởi {{actor.name}}",
    })
}

async fn rule(app: &TestApp, admin: &str, body: Value) {
    let response = app
        .bearer(Method::POST, "/api/notification-rules", admin, Some(&body))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "rule {body}");
}

async fn deliveries(app: &TestApp) -> Vec<delivery::Model> {
    delivery::Entity::find()
        .order_by_asc(delivery::Column::Id)
        .all(&app.db)
        .await
        .expect("deliveries")
}

/// Waits until the deliveries satisfy `check`; returns them.
async fn until(
    app: &TestApp,
    what: &str,
    check: impl Fn(&[delivery::Model]) -> bool,
) -> Vec<delivery::Model> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let rows = deliveries(app).await;
        if check(&rows) {
            return rows;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn of<'a>(rows: &'a [delivery::Model], channel: &str) -> Vec<&'a delivery::Model> {
    rows.iter().filter(|d| d.channel == channel).collect()
}

/// The channel's single delivery has made `attempts` attempts and rests until its
/// next one (a claimed row is leased 60 s ahead; a finished attempt is due sooner).
async fn attempts_reach(app: &TestApp, channel: &str, attempts: i32) -> delivery::Model {
    let horizon = app.clock_now() + chrono::Duration::seconds(30);
    let rows = until(app, &format!("{channel} attempt {attempts}"), |rows| {
        of(rows, channel).first().is_some_and(|d| {
            d.attempts == attempts && (d.status != "pending" || d.next_attempt_at < horizon)
        })
    })
    .await;
    of(&rows, channel)[0].clone()
}

async fn audit_total(app: &TestApp, admin: &str, action: &str) -> u64 {
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
    page["total"].as_u64().expect("total")
}

/// The `Subject:` header with RFC 2047 encoded words decoded.
fn subject_of(message: &str) -> String {
    let headers = message.split("\n\n").next().unwrap_or_default();
    let unfolded = headers.replace("\r\n", "\n").replace("\n ", " ");
    let line = unfolded
        .lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .expect("a subject");
    // Whitespace between two encoded words is folding, not text (RFC 2047 §6.2).
    let mut subject = String::new();
    let mut previous_encoded = false;
    for word in line.split_whitespace() {
        let encoded = word.to_ascii_lowercase().starts_with("=?utf-8?b?") && word.ends_with("?=");
        if !subject.is_empty() && (!encoded || !previous_encoded) {
            subject.push(' ');
        }
        if encoded {
            let raw = base64::engine::general_purpose::STANDARD
                .decode(&word[10..word.len() - 2])
                .expect("base64 word");
            subject.push_str(&String::from_utf8(raw).expect("utf-8"));
        } else {
            subject.push_str(word);
        }
        previous_encoded = encoded;
    }
    subject
}

/// An address nothing listens on: SMTP (or Slack) is down.
async fn closed_port() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    addr.to_string()
}

#[tokio::test]
async fn an_email_rule_mails_each_recipient_with_the_vietnamese_title_and_skips_those_without_an_address()
 {
    let app = spawn_app_with(Options::default()).await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (a, _) = sale(&app, "sale01").await;
    let (b, _) = sale(&app, "sale02").await;
    app.execute(&format!("UPDATE users SET email = NULL WHERE id = {b}"))
        .await;
    rule(
        &app,
        &admin,
        rule_body(&["email"], json!({ "user_ids": [a, b] })),
    )
    .await;
    new_contact(&app, &op, "Trần Thị Bình", "0912000111").await;

    let rows = until(&app, "both deliveries to settle", |rows| {
        rows.len() == 2 && rows.iter().all(|d| d.status != "pending")
    })
    .await;
    let mail = app.smtp.wait_for(1).await;
    assert_eq!(mail.len(), 1, "only sale01 has an address");
    let message = &mail[0];
    assert!(message.contains("To: sale01@ankhang.test"), "{message}");
    assert_eq!(
        subject_of(message),
        "Khách mới KH2026-001 – Thành lập doanh nghiệp"
    );
    let text = decoded(message);
    assert!(
        text.contains("Trần Thị Bình cần tư vấn, tạo bởi Nhân viên tongdai01"),
        "{text}"
    );
    assert!(
        text.contains("Xem chi tiết: http://ankhang.test/contacts/"),
        "{text}"
    );

    let sent = rows.iter().find(|d| d.recipient_id == a).expect("a");
    assert_eq!((sent.status.as_str(), sent.attempts), ("sent", 1));
    let skipped = rows.iter().find(|d| d.recipient_id == b).expect("b");
    assert_eq!(skipped.status, "skipped");
    assert_eq!(
        skipped.last_error.as_deref(),
        Some("Nhân viên chưa có địa chỉ email")
    );
    // Each message that leaves the system is audited.
    assert_eq!(audit_total(&app, &admin, "notifications.sent").await, 1);
    assert_eq!(audit_total(&app, &admin, "notifications.skipped").await, 1);
    let listed: Value = app
        .bearer(
            Method::GET,
            "/api/notification-deliveries?status=skipped",
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed["total"], 1);
}

#[tokio::test]
async fn a_slack_rule_posts_once_per_event_however_many_recipients_and_rules_match() {
    let slack = WebhookFake::start().await;
    let app = spawn_app_with(Options {
        slack_webhook_url: Some(slack.url.clone()),
        ..Options::default()
    })
    .await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    for name in ["sale01", "sale02", "sale03"] {
        sale(&app, name).await;
    }
    let sale_role = app.role_id("Sale").await;
    rule(
        &app,
        &admin,
        rule_body(&["slack", "in_app"], json!({ "role_ids": [sale_role] })),
    )
    .await;
    // A second rule for the same event and channel adds no second post.
    rule(&app, &admin, rule_body(&["slack"], json!({}))).await;

    new_contact(&app, &op, "Lê Văn Cường", "0912000222").await;
    new_contact(&app, &op, "Phạm <b>Dung</b> & co", "0912000333").await;
    let rows = until(&app, "every delivery sent", |rows| {
        rows.len() == 8 && rows.iter().all(|d| d.status == "sent")
    })
    .await;
    assert_eq!(of(&rows, "in_app").len(), 6, "3 sales × 2 events");
    let posts = of(&rows, "slack");
    assert_eq!(posts.len(), 2, "one per event");
    for post in &posts {
        assert_eq!(post.idempotency_key, format!("{}:slack", post.event_seq));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let texts = slack.texts();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(
        texts[0].starts_with(
            "*Khách mới KH2026-001 – Thành lập doanh nghiệp*\nLê Văn Cường cần tư vấn"
        ),
        "{}",
        texts[0]
    );
    assert!(texts[0].contains("|Mở trong AnKhangCRM>"), "{}", texts[0]);
    // Markup typed into a contact's name is shown, not obeyed.
    assert!(
        texts[1].contains("Phạm &lt;b&gt;Dung&lt;/b&gt; &amp; co"),
        "{}",
        texts[1]
    );
    assert_eq!(audit_total(&app, &admin, "notifications.sent").await, 2);
}

#[tokio::test]
async fn slack_is_refused_in_rules_while_no_webhook_is_configured() {
    let app = spawn_app_with(Options::default()).await;
    let admin = app.admin_token().await;
    let (status, body) = error_of(
        app.bearer(
            Method::POST,
            "/api/notification-rules",
            &admin,
            Some(&rule_body(&["slack"], json!({}))),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "channels");
    let message = body["message"].as_str().expect("message");
    assert!(message.contains("ANKHANG_SLACK_WEBHOOK_URL"), "{message}");
    // The channels that work are accepted.
    rule(
        &app,
        &admin,
        rule_body(&["email", "web_push", "in_app"], json!({})),
    )
    .await;
}

async fn subscribe(app: &TestApp, token: &str, endpoint: &str) -> reqwest::Response {
    app.bearer(
        Method::POST,
        "/api/push/subscriptions",
        token,
        Some(&json!({
            "endpoint": endpoint,
            "expirationTime": null,
            "keys": { "p256dh": P256DH, "auth": AUTH },
        })),
    )
    .await
}

async fn push_app(push: &PushFake) -> TestApp {
    spawn_app_with(Options {
        push_services: Some(vec![push.origin.clone()]),
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn a_push_subscription_is_stored_sealed_and_each_event_reaches_the_browser() {
    let push = PushFake::start().await;
    let app = push_app(&push).await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (sale_id, sale_token) = sale(&app, "sale01").await;

    let key: Value = app
        .bearer(Method::GET, "/api/push/vapid-public-key", &sale_token, None)
        .await
        .json()
        .await
        .expect("json");
    let public_key = key["public_key"].as_str().expect("key").to_owned();
    let raw = URL_SAFE_NO_PAD.decode(&public_key).expect("base64url");
    assert_eq!((raw.len(), raw[0]), (65, 0x04), "uncompressed P-256 point");

    // Only the configured push services: the server would POST to anything else.
    let (status, body) =
        error_of(subscribe(&app, &sale_token, "http://10.0.0.1/admin").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "endpoint");
    let endpoint = push.endpoint("sale01-chrome");
    assert_eq!(
        subscribe(&app, &sale_token, &endpoint).await.status(),
        StatusCode::NO_CONTENT
    );
    // Subscribing again (a page reload) keeps one row.
    assert_eq!(
        subscribe(&app, &sale_token, &endpoint).await.status(),
        StatusCode::NO_CONTENT
    );
    let stored = push_subscription::Entity::find()
        .all(&app.db)
        .await
        .expect("rows");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].user_id, sale_id);
    let at_rest = format!("{stored:?}");
    for personal in ["sale01-chrome", "127.0.0.1", P256DH, AUTH] {
        assert!(!at_rest.contains(personal), "{personal} in {at_rest}");
    }

    rule(
        &app,
        &admin,
        rule_body(&["web_push"], json!({ "user_ids": [sale_id] })),
    )
    .await;
    new_contact(&app, &op, "Đỗ Thị Em", "0912000444").await;
    let got = push.wait_for(1).await;
    let request = &got[0];
    assert_eq!(request.path, "/push/sale01-chrome");
    assert_eq!(request.header("content-encoding"), "aes128gcm");
    let authorization = request.header("authorization");
    assert!(authorization.starts_with("vapid t="), "{authorization}");
    assert!(
        authorization.contains(&format!("k={public_key}")),
        "{authorization}"
    );
    assert_eq!(request.header("ttl"), "86400");
    assert!(request.header("topic").starts_with('d'));
    // Encrypted: the 86-byte aes128gcm header plus ciphertext, no plain text.
    assert!(request.body_len > 86);
    let rows = until(&app, "the push to be sent", |rows| {
        rows.len() == 1 && rows[0].status == "sent"
    })
    .await;
    assert_eq!(rows[0].attempts, 1);
    let stored = push_subscription::Entity::find()
        .all(&app.db)
        .await
        .expect("rows");
    assert!(stored[0].last_success_at.is_some());

    // Unsubscribing forgets the browser; both changes are audited.
    let gone = app
        .bearer(
            Method::DELETE,
            "/api/push/subscriptions",
            &sale_token,
            Some(&json!({ "endpoint": endpoint })),
        )
        .await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.count("push_subscriptions").await, 0);
    assert_eq!(audit_total(&app, &admin, "push.subscribed").await, 2);
    assert_eq!(audit_total(&app, &admin, "push.unsubscribed").await, 1);
}

#[tokio::test]
async fn a_push_service_answering_410_gets_the_subscription_deleted() {
    let push = PushFake::start().await;
    let app = push_app(&push).await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (sale_id, sale_token) = sale(&app, "sale01").await;
    subscribe(&app, &sale_token, &push.endpoint("old-browser")).await;
    push.answer(410);
    rule(
        &app,
        &admin,
        rule_body(&["web_push"], json!({ "user_ids": [sale_id] })),
    )
    .await;
    new_contact(&app, &op, "Hồ Văn Giang", "0912000555").await;

    let rows = until(&app, "the delivery to settle", |rows| {
        rows.len() == 1 && rows[0].status != "pending"
    })
    .await;
    assert_eq!(rows[0].status, "skipped");
    assert_eq!(rows[0].attempts, 1, "a gone browser is not retried");
    assert_eq!(app.count("push_subscriptions").await, 0);
    assert_eq!(push.received().len(), 1);
}

#[tokio::test]
async fn push_service_errors_are_retried_with_backoff_until_it_accepts() {
    let push = PushFake::start().await;
    let app = push_app(&push).await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (sale_id, sale_token) = sale(&app, "sale01").await;
    subscribe(&app, &sale_token, &push.endpoint("busy")).await;
    push.answer(500);
    rule(
        &app,
        &admin,
        rule_body(&["web_push"], json!({ "user_ids": [sale_id] })),
    )
    .await;
    new_contact(&app, &op, "Vũ Thị Hoa", "0912000666").await;
    let start = app.clock_now();
    let first = attempts_reach(&app, "web_push", 1).await;
    assert_eq!(first.status, "pending");
    assert_eq!(first.next_attempt_at, start + chrono::Duration::seconds(1));
    assert_eq!(
        first.last_error.as_deref(),
        Some("Dịch vụ thông báo trả lời 500")
    );

    app.clock.advance(chrono::Duration::seconds(1));
    app.notifications_wake.notify_one();
    let second = attempts_reach(&app, "web_push", 2).await;
    assert_eq!(
        second.next_attempt_at,
        start + chrono::Duration::seconds(1 + 2)
    );

    push.answer(201);
    app.clock.advance(chrono::Duration::seconds(2));
    app.notifications_wake.notify_one();
    let done = attempts_reach(&app, "web_push", 3).await;
    assert_eq!((done.status.as_str(), done.last_error), ("sent", None));
    assert_eq!(push.received().len(), 3);
    assert_eq!(app.count("push_subscriptions").await, 1, "kept: not gone");
    assert_eq!(
        audit_total(&app, &admin, "notifications.send_retrying").await,
        2
    );
}

#[tokio::test]
async fn smtp_down_blocks_neither_contacts_nor_slack_and_email_fails_after_five_attempts_with_an_alert()
 {
    let slack = WebhookFake::start().await;
    let app = spawn_app_with(Options {
        smtp_url: Some(format!("smtp://{}", closed_port().await)),
        slack_webhook_url: Some(slack.url.clone()),
        ..Options::default()
    })
    .await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (sale_id, _) = sale(&app, "sale01").await;
    rule(
        &app,
        &admin,
        rule_body(&["email", "slack"], json!({ "user_ids": [sale_id] })),
    )
    .await;

    let began = Instant::now();
    new_contact(&app, &op, "Ngô Văn Khánh", "0912000777").await;
    // Far below the SMTP client's timeouts, far above a loaded machine's slowest POST.
    assert!(
        began.elapsed() < Duration::from_secs(5),
        "creating a contact waits for no channel: {:?}",
        began.elapsed()
    );
    assert_eq!(slack.wait_for(1).await.len(), 1);

    let start = app.clock_now();
    let first = attempts_reach(&app, "email", 1).await;
    assert_eq!(first.status, "pending");
    assert_eq!(first.next_attempt_at, start + chrono::Duration::seconds(1));
    let error = first.last_error.clone().expect("error");
    assert!(error.starts_with("máy chủ SMTP chưa nhận thư"), "{error}");

    for (attempt, wait) in [(2, 1), (3, 2), (4, 4), (5, 8)] {
        app.clock.advance(chrono::Duration::seconds(wait));
        app.notifications_wake.notify_one();
        attempts_reach(&app, "email", attempt).await;
    }
    let failed = attempts_reach(&app, "email", 5).await;
    assert_eq!(failed.status, "failed");

    // Admins are told in-app, naming the channel and the cause.
    let deadline = Instant::now() + PATIENCE;
    let inbox = loop {
        let inbox: Value = app
            .bearer(Method::GET, "/api/notifications", &admin, None)
            .await
            .json()
            .await
            .expect("inbox");
        if inbox["total"] == 1 {
            break inbox;
        }
        assert!(Instant::now() < deadline, "no alert: {inbox}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert_eq!(inbox["items"][0]["title"], "Gửi thông báo thất bại");
    let body = inbox["items"][0]["body"].as_str().expect("body");
    assert!(body.contains("qua kênh Email"), "{body}");
    assert!(body.contains("5 lần"), "{body}");

    let rows = deliveries(&app).await;
    assert_eq!(of(&rows, "slack")[0].status, "sent");
    assert_eq!(slack.texts().len(), 1, "Slack was not retried with email");
    assert_eq!(
        audit_total(&app, &admin, "notifications.send_retrying").await,
        4
    );
    assert_eq!(
        audit_total(&app, &admin, "notifications.send_failed").await,
        1
    );
}

fn master_key_of(app: &TestApp) -> String {
    std::fs::read_to_string(app.dir.path().join("data/master.key"))
        .expect("key")
        .trim()
        .to_owned()
}

#[tokio::test]
async fn a_restart_with_pending_email_and_slack_deliveries_sends_each_once() {
    // The first server reaches neither SMTP nor Slack: both deliveries stay pending.
    let down = closed_port().await;
    let first = spawn_app_with(Options {
        smtp_url: Some(format!("smtp://{down}")),
        slack_webhook_url: Some(format!("http://{down}/services/T000/B000/hook")),
        ..Options::default()
    })
    .await;
    let admin = first.admin_token().await;
    let op = operator(&first, "tongdai01").await;
    let (sale_id, _) = sale(&first, "sale01").await;
    let (other_id, _) = sale(&first, "sale02").await;
    rule(
        &first,
        &admin,
        rule_body(
            &["email", "slack"],
            json!({ "user_ids": [sale_id, other_id] }),
        ),
    )
    .await;
    new_contact(&first, &op, "Mai Văn Long", "0912000888").await;
    until(&first, "a failed first attempt each", |rows| {
        rows.len() == 3
            && rows
                .iter()
                .all(|d| d.attempts == 1 && d.last_error.is_some())
    })
    .await;
    first.stop().await;
    // As if the matcher had crashed after writing the deliveries: it matches again.
    let reopened = first.db_reopened().await;
    {
        use sea_orm::ConnectionTrait;
        reopened
            .execute_unprepared("UPDATE notification_cursor SET last_seq = 0")
            .await
            .expect("rewind");
    }
    reopened.close().await.expect("close");

    let slack = WebhookFake::start().await;
    let smtp = SmtpFake::start().await;
    let second = spawn_app_with(Options {
        database_url: Some(first.database_url.clone()),
        master_key: Some(master_key_of(&first)),
        smtp_url: Some(format!("smtp://{}", smtp.addr)),
        slack_webhook_url: Some(slack.url.clone()),
        ..Options::default()
    })
    .await;
    second.clock.advance(chrono::Duration::seconds(2));
    second.notifications_wake.notify_one();
    until(&second, "every delivery sent", |rows| {
        rows.iter().all(|d| d.status == "sent")
    })
    .await;
    second.notifications_wake.notify_one();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rows = deliveries(&second).await;
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(slack.texts().len(), 1);
    assert_eq!(smtp.messages().len(), 2);
}

#[tokio::test]
async fn the_service_worker_is_served_from_the_root_so_it_controls_the_whole_app() {
    let static_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../client-yew/static");
    let app = spawn_app_with(Options {
        web_dir: Some(static_dir),
        ..Options::default()
    })
    .await;
    let response = app.get("/sw.js").await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.contains("javascript"), "{content_type}");
    let script = response.text().await.expect("text");
    for needed in [
        "addEventListener('push'",
        "showNotification",
        "addEventListener('notificationclick'",
        "openWindow",
        "focus()",
    ] {
        assert!(script.contains(needed), "sw.js lacks {needed}");
    }
}
