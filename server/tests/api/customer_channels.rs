//! Customer channels in notification rules (issue #7): a rule naming `zalo` sends the
//! event's contact a ZNS template with its parameters mapped from placeholders or
//! fixed text; one naming `facebook` sends the rendered text to the PSID the inbound
//! webhook stored — each once per rule × event × contact, through the fakes of Zalo
//! and the Graph API on loopback.

use std::time::{Duration, Instant};

use entities::notification_delivery as delivery;
use reqwest::{Method, StatusCode};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::{
    contacts::{new_contact, operator},
    helpers::{
        Options, TestApp, error_of,
        facebook::{GraphFake, PAGE_TOKEN, Send},
        spawn_app, spawn_app_with,
        zalo::{ZaloFake, Zns},
    },
    inbound,
    zalo::{audit_of, connect, near_expiry},
};

const PATIENCE: Duration = Duration::from_secs(10);

async fn deliveries(app: &TestApp) -> Vec<delivery::Model> {
    delivery::Entity::find()
        .all(&app.db)
        .await
        .expect("deliveries")
}

/// Waits until the deliveries satisfy `check`.
async fn until(app: &TestApp, what: &str, check: impl Fn(&[delivery::Model]) -> bool) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let rows = deliveries(app).await;
        if check(&rows) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A ZNS template with three parameters, registered by the admin.
async fn welcome_template(app: &TestApp, admin: &str) -> i64 {
    let response = app
        .bearer(
            Method::POST,
            "/api/zalo/templates",
            admin,
            Some(&json!({
                "zalo_template_id": "231677",
                "name": "Chào mừng khách hàng mới",
                "params": [
                    { "name": "customer_name", "sample": "Nguyễn Văn A" },
                    { "name": "contact_code", "sample": "KH2026-001" },
                    { "name": "hotline", "sample": "1900 6868" }
                ]
            })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id")
}

fn zalo_rule(template_id: i64) -> Value {
    json!({
        "name": "Chào khách mới qua Zalo",
        "trigger": "contact.created",
        "channels": ["zalo"],
        "template_title": "",
        "template_body": "",
        "zalo": {
            "template_id": template_id,
            "params": {
                "customer_name": "{{contact.name}}",
                "contact_code": "{{contact.code}}",
                "hotline": "1900 6868"
            }
        }
    })
}

async fn create_rule(app: &TestApp, admin: &str, body: &Value) -> Value {
    let response = app
        .bearer(Method::POST, "/api/notification-rules", admin, Some(body))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "rule {body}");
    response.json().await.expect("json")
}

fn master_key_of(app: &TestApp) -> String {
    std::fs::read_to_string(app.dir.path().join("data/master.key"))
        .expect("key")
        .trim()
        .to_owned()
}

fn automatic<'a>(timeline: &'a [Value], kind: &str) -> Vec<&'a str> {
    timeline
        .iter()
        .filter(|i| i["kind"] == kind)
        .filter_map(|i| i["content"].as_str())
        .filter(|c| c.starts_with("Tự động"))
        .collect()
}

#[tokio::test]
async fn a_zalo_rule_sends_one_mapped_zns_per_new_contact_even_across_a_restart() {
    let fake = ZaloFake::start().await;
    let first = spawn_app_with(Options {
        zalo: Some(fake.config()),
        ..Options::default()
    })
    .await;
    let admin = first.admin_token().await;
    connect(&first, &fake, &admin).await;
    let template = welcome_template(&first, &admin).await;
    let rule = create_rule(&first, &admin, &zalo_rule(template)).await;
    assert_eq!(rule["channels"], json!(["zalo"]));
    assert_eq!(rule["zalo"]["params"]["hotline"], "1900 6868");
    // The first attempt meets Zalo's rate limit: the delivery stays pending.
    fake.script(&[Zns::RateLimited]);
    let op = operator(&first, "tongdai01").await;
    let contact = new_contact(&first, &op, "Trần Thị Bình", "0912000111").await;
    let contact_id = contact["id"].as_i64().expect("id");
    until(&first, "the rate-limited attempt", |rows| {
        rows.len() == 1
            && rows[0].attempts == 1
            && rows[0].status == "pending"
            && rows[0].last_error.is_some()
    })
    .await;
    let queued = &deliveries(&first).await[0];
    assert_eq!(queued.channel, "zalo");
    assert_eq!(
        queued.idempotency_key,
        format!(
            "rule:{}:{}:contact:{contact_id}:zalo",
            rule["id"], queued.event_seq
        )
    );
    assert!(
        !queued.body.contains("Trần Thị Bình") && queued.body.contains("{{contact.name}}"),
        "the name rests as its placeholder: {}",
        queued.body
    );
    first.stop().await;
    // As if the matcher had crashed after writing the delivery: every event is
    // matched again by the next server.
    let reopened = first.db_reopened().await;
    {
        use sea_orm::ConnectionTrait;
        reopened
            .execute_unprepared("UPDATE notification_cursor SET last_seq = 0")
            .await
            .expect("rewind");
    }
    reopened.close().await.expect("close");

    let second = spawn_app_with(Options {
        database_url: Some(first.database_url.clone()),
        master_key: Some(master_key_of(&first)),
        zalo: Some(fake.config()),
        ..Options::default()
    })
    .await;
    second.clock.advance(chrono::Duration::seconds(2));
    second.notifications_wake.notify_one();
    until(&second, "the retry", |rows| {
        rows.len() == 1 && rows[0].status == "sent"
    })
    .await;
    second.notifications_wake.notify_one();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(deliveries(&second).await.len(), 1);
    let requests = fake.sent();
    assert_eq!(requests.len(), 2, "one refused, one sent: {requests:?}");
    let (_, body) = &requests[1];
    assert_eq!(body["phone"], "84912000111");
    assert_eq!(body["template_id"], "231677");
    assert_eq!(
        body["template_data"],
        json!({
            "customer_name": "Trần Thị Bình",
            "contact_code": contact["code"],
            "hotline": "1900 6868"
        })
    );

    let admin = second.admin_token().await;
    let timeline = inbound::timeline(&second, &admin, contact_id).await;
    let sent = automatic(&timeline, "zalo");
    assert_eq!(sent.len(), 1, "{timeline:?}");
    assert!(
        sent[0].contains("Chào mừng khách hàng mới") && sent[0].contains("Trần Thị Bình"),
        "{}",
        sent[0]
    );
    assert_eq!(
        audit_of(&second, &admin, "notifications.sent").await.len(),
        1
    );
    assert_eq!(
        audit_of(&second, &admin, "notifications.send_retrying")
            .await
            .len(),
        1
    );
}

fn field_of(body: &Value) -> &str {
    body["field"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn customer_channel_rules_are_checked_field_by_field_in_vietnamese() {
    let fake = ZaloFake::start().await;
    let app = spawn_app_with(Options {
        zalo: Some(fake.config()),
        ..Options::default()
    })
    .await;
    let admin = app.admin_token().await;
    let template = welcome_template(&app, &admin).await;
    let refused = |change: Value| {
        let mut body = zalo_rule(template);
        for (k, v) in change.as_object().expect("object") {
            body[k] = v.clone();
        }
        body
    };
    let cases = [
        ("zalo.template_id", json!({ "zalo": null })),
        (
            "zalo.template_id",
            json!({ "zalo": { "template_id": 999, "params": {} } }),
        ),
        (
            "zalo.params.hotline",
            json!({ "zalo": { "template_id": template, "params": {
                "customer_name": "{{contact.name}}", "contact_code": "{{contact.code}}" } } }),
        ),
        (
            "zalo.params.customer_name",
            json!({ "zalo": { "template_id": template, "params": {
                "customer_name": "{{contact.phone}}", "contact_code": "x", "hotline": "y" } } }),
        ),
        (
            "zalo.params.voucher",
            json!({ "zalo": { "template_id": template, "params": {
                "customer_name": "a", "contact_code": "b", "hotline": "c", "voucher": "d" } } }),
        ),
        ("channels", json!({ "channels": ["facebook"] })),
        ("template_title", json!({ "channels": ["zalo", "in_app"] })),
    ];
    for (field, change) in cases {
        let body = refused(change.clone());
        let (status, error) = error_of(
            app.bearer(Method::POST, "/api/notification-rules", &admin, Some(&body))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{change}");
        assert_eq!(field_of(&error), field, "{change}: {error}");
    }
    let (_, error) = error_of(
        app.bearer(
            Method::POST,
            "/api/notification-rules",
            &admin,
            Some(&refused(json!({ "channels": ["facebook"] }))),
        )
        .await,
    )
    .await;
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("ANKHANG_FACEBOOK_PAGE_TOKEN"),
        "{error}"
    );

    // A template turned off cannot be chosen, and the form no longer offers it.
    let response = app
        .bearer(
            Method::PUT,
            &format!("/api/zalo/templates/{template}"),
            &admin,
            Some(&json!({
                "zalo_template_id": "231677",
                "name": "Chào mừng khách hàng mới",
                "params": [
                    { "name": "customer_name" }, { "name": "contact_code" }, { "name": "hotline" }
                ],
                "enabled": false
            })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (status, error) = error_of(
        app.bearer(
            Method::POST,
            "/api/notification-rules",
            &admin,
            Some(&zalo_rule(template)),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&error), "zalo.template_id");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("đang tắt"),
        "{error}"
    );
    let options: Value = app
        .bearer(Method::GET, "/api/notification-rules/options", &admin, None)
        .await
        .json()
        .await
        .expect("options");
    assert_eq!(options["customer_channels"], json!(["zalo"]));
    assert_eq!(options["zalo_templates"], json!([]));

    // A server without Zalo OA settings neither offers nor accepts the channel.
    let plain = spawn_app().await;
    let admin = plain.admin_token().await;
    let (status, error) = error_of(
        plain
            .bearer(
                Method::POST,
                "/api/notification-rules",
                &admin,
                Some(&zalo_rule(1)),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&error), "channels");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("ANKHANG_ZALO_APP_ID"),
        "{error}"
    );
    let options: Value = plain
        .bearer(Method::GET, "/api/notification-rules/options", &admin, None)
        .await
        .json()
        .await
        .expect("options");
    assert_eq!(options["customer_channels"], json!([]));
}

#[tokio::test]
async fn a_preview_fills_the_zns_parameters_and_the_messenger_text_for_the_sample_contact() {
    let fake = ZaloFake::start().await;
    let app = spawn_app_with(Options {
        zalo: Some(fake.config()),
        ..Options::default()
    })
    .await;
    let admin = app.admin_token().await;
    let template = welcome_template(&app, &admin).await;
    let preview: Value = app
        .bearer(
            Method::POST,
            "/api/notification-rules/preview",
            &admin,
            Some(&json!({
                "template_title": "",
                "template_body": "",
                "zalo": { "template_id": template, "params": {
                    "customer_name": "{{contact.name}}", "hotline": "1900 6868" } },
                "facebook_text": "Chào {{contact.name}}, hồ sơ {{contact.code}} đã được tiếp nhận"
            })),
        )
        .await
        .json()
        .await
        .expect("preview");
    assert_eq!(
        preview["zalo"],
        json!({
            "template_name": "Chào mừng khách hàng mới",
            "zalo_template_id": "231677",
            "params": [
                { "name": "customer_name", "value": "Nguyễn Văn An" },
                { "name": "contact_code", "value": "" },
                { "name": "hotline", "value": "1900 6868" }
            ]
        })
    );
    assert_eq!(
        preview["facebook"],
        "Chào Nguyễn Văn An, hồ sơ KH2026-001 đã được tiếp nhận"
    );
}

async fn messenger_app() -> (TestApp, GraphFake, String) {
    let graph = GraphFake::start().await;
    let app = spawn_app_with(Options {
        inbound: Some(inbound::channels()),
        facebook: Some(graph.config()),
        ..Options::default()
    })
    .await;
    let admin = app.admin_token().await;
    create_rule(
        &app,
        &admin,
        &json!({
            "name": "Xác nhận qua Messenger",
            "trigger": "contact.created",
            "channels": ["facebook"],
            "template_title": "",
            "template_body": "",
            "facebook_text": "Chào {{contact.name}}, An Khang đã nhận yêu cầu (mã {{contact.code}}). Chúng tôi sẽ gọi lại sớm."
        }),
    )
    .await;
    (app, graph, admin)
}

#[tokio::test]
async fn a_contact_who_wrote_on_messenger_gets_the_rules_text_at_its_psid() {
    let (app, graph, admin) = messenger_app().await;
    let response = inbound::facebook(
        &app,
        "psid-42",
        "mid-1",
        "Tư vấn giúp tôi, sđt 0912 345 678",
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    until(&app, "the Messenger send", |rows| {
        rows.len() == 1 && rows[0].status == "sent"
    })
    .await;
    let contact = inbound::contacts(&app, &admin).await.remove(0);
    let requests = graph.sent();
    assert_eq!(requests.len(), 1);
    let (token, body) = &requests[0];
    assert_eq!(token, PAGE_TOKEN);
    assert_eq!(
        body,
        &json!({
            "recipient": { "id": "psid-42" },
            "messaging_type": "RESPONSE",
            "message": { "text": format!(
                "Chào Khách Facebook …5678, An Khang đã nhận yêu cầu (mã {}). Chúng tôi sẽ gọi lại sớm.",
                contact["code"].as_str().expect("code")
            ) }
        })
    );
    let row = &deliveries(&app).await[0];
    assert!(
        !row.body.contains("Khách Facebook"),
        "the name rests as its placeholder: {}",
        row.body
    );
    let timeline = inbound::timeline(&app, &admin, contact["id"].as_i64().expect("id")).await;
    let sent = automatic(&timeline, "facebook");
    assert_eq!(sent.len(), 1, "{timeline:?}");
    assert!(sent[0].contains("An Khang đã nhận yêu cầu"), "{}", sent[0]);
    // The sends' audit trail names the delivery and contact, never the text or PSID
    // (the rule's own audit entry holds its template, as for every rule).
    assert_eq!(
        app.count("audit_log WHERE action = 'notifications.sent' AND after_data LIKE '%\"channel\":\"facebook\"%'")
            .await,
        1
    );
    assert_eq!(
        app.count(
            "audit_log WHERE action <> 'notifications.rule_created' \
             AND (after_data LIKE '%psid-42%' OR after_data LIKE '%An Khang đã nhận%')"
        )
        .await,
        0
    );

    // A contact created by an operator never wrote on Messenger: skipped, with why.
    let op = operator(&app, "tongdai01").await;
    new_contact(&app, &op, "Lê Văn Cường", "0912000222").await;
    until(&app, "the skip", |rows| {
        rows.len() == 2 && rows.iter().any(|r| r.status == "skipped")
    })
    .await;
    let skipped = deliveries(&app)
        .await
        .into_iter()
        .find(|r| r.status == "skipped")
        .expect("skipped");
    assert!(
        skipped
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("không có PSID"),
        "{skipped:?}"
    );
    assert_eq!(graph.sent().len(), 1);
}

#[tokio::test]
async fn messenger_rate_limits_are_retried_and_refusals_fail_at_once() {
    let (app, graph, _admin) = messenger_app().await;
    graph.script(&[Send::RateLimited]);
    inbound::facebook(&app, "psid-1", "mid-1", "Số của tôi 0912 000 111").await;
    until(&app, "the rate-limited attempt", |rows| {
        rows.len() == 1
            && rows[0].attempts == 1
            && rows[0].status == "pending"
            && rows[0].last_error.is_some()
    })
    .await;
    let waiting = &deliveries(&app).await[0];
    assert!(
        waiting
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("613"),
        "{waiting:?}"
    );
    app.clock.advance(chrono::Duration::seconds(2));
    app.notifications_wake.notify_one();
    until(&app, "the retry", |rows| {
        rows.len() == 1 && rows[0].status == "sent" && rows[0].attempts == 2
    })
    .await;

    graph.script(&[Send::Refused]);
    inbound::facebook(&app, "psid-2", "mid-2", "Gọi tôi: 0912 000 222").await;
    until(&app, "the refusal", |rows| {
        rows.iter().any(|r| r.status == "failed")
    })
    .await;
    let failed = deliveries(&app)
        .await
        .into_iter()
        .find(|r| r.status == "failed")
        .expect("failed");
    assert_eq!(failed.attempts, 1, "never retried");
    assert!(
        failed
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("Facebook từ chối"),
        "{failed:?}"
    );
    assert_eq!(graph.sent().len(), 3);
}

#[tokio::test]
async fn while_zalo_needs_reconnecting_failed_messages_raise_no_alert_each() {
    let fake = ZaloFake::start().await;
    let app = spawn_app_with(Options {
        zalo: Some(fake.config()),
        ..Options::default()
    })
    .await;
    let admin = app.admin_token().await;
    connect(&app, &fake, &admin).await;
    let template = welcome_template(&app, &admin).await;
    create_rule(&app, &admin, &zalo_rule(template)).await;
    fake.revoke();
    near_expiry(&app).await;
    let op = operator(&app, "tongdai01").await;
    new_contact(&app, &op, "Trần Thị Bình", "0912000111").await;
    new_contact(&app, &op, "Lê Văn Cường", "0912000222").await;
    until(&app, "both refusals", |rows| {
        rows.len() == 2 && rows.iter().all(|r| r.status == "failed")
    })
    .await;
    for row in deliveries(&app).await {
        assert!(
            row.last_error
                .as_deref()
                .unwrap_or_default()
                .contains("cần kết nối lại"),
            "{row:?}"
        );
    }
    assert!(fake.sent().is_empty());
    let inbox: Value = app
        .bearer(Method::GET, "/api/notifications", &admin, None)
        .await
        .json()
        .await
        .expect("inbox");
    let titles: Vec<&str> = inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|n| n["title"].as_str())
        .collect();
    assert_eq!(titles, ["Zalo OA cần kết nối lại"], "{inbox}");
    assert_eq!(
        audit_of(&app, &admin, "notifications.send_failed")
            .await
            .len(),
        2
    );
}
