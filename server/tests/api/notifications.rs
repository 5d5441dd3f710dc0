//! Notification rules, the durable outbox and the in-app channel, end to end: real
//! server, real sockets, the worker running in the background.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use entities::notification_delivery as delivery;
use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use server::notifications::channels::{Channel, ChannelError, Outgoing};
use tokio_tungstenite::tungstenite::Message;

use crate::{
    contacts::{new_contact, operator, sale},
    helpers::{Options, TestApp, error_of, spawn_app, spawn_app_with},
    ws::{Socket, connect},
};

const PATIENCE: Duration = Duration::from_secs(10);

/// Waits until the caller's inbox answers `n` for `field` (`total`, `unread_count`).
async fn until_inbox(app: &TestApp, token: &str, field: &str, n: u64) {
    let deadline = Instant::now() + PATIENCE;
    while inbox(app, token, "").await[field] != n {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {field} = {n}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until there is one delivery and it satisfies `check`.
async fn until_delivery(app: &TestApp, what: &str, check: impl Fn(&delivery::Model) -> bool) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let rows = deliveries(app).await;
        assert!(rows.len() <= 1, "{rows:?}");
        if rows.first().is_some_and(&check) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The next `notification` frame, skipping other events.
async fn next_notification(socket: &mut Socket) -> Value {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a notification in time")
            .expect("open")
            .expect("frame");
        if let Message::Text(text) = frame {
            let value: Value = serde_json::from_str(&text).expect("json");
            if value["type"] == "notification" {
                return value;
            }
        }
    }
}

async fn rule(app: &TestApp, admin: &str, body: Value) -> Value {
    let response = app
        .bearer(Method::POST, "/api/notification-rules", admin, Some(&body))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "rule {body}");
    response.json().await.expect("json")
}

/// The rule most tests need: `contact.created` → every Sale, in-app.
async fn every_sale_hears_of_new_contacts(app: &TestApp, admin: &str) {
    let sale_role = app.role_id("Sale").await;
    rule(
        app,
        admin,
        rule_body("contact.created", json!({ "role_ids": [sale_role] })),
    )
    .await;
}

fn rule_body(trigger: &str, conditions: Value) -> Value {
    json!({
        "name": format!("Quy tắc {trigger}"),
        "trigger": trigger,
        "conditions": conditions,
        "channels": ["in_app"],
        "template_title": "Khách {{contact.code}}: {{contact.status}}",
        "template_body": "{{contact.name}} – {{contact.service_type}}, bởi {{actor.name}}",
    })
}

async fn inbox(app: &TestApp, token: &str, query: &str) -> Value {
    let response = app
        .bearer(
            Method::GET,
            &format!("/api/notifications{query}"),
            token,
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json")
}

async fn deliveries(app: &TestApp) -> Vec<delivery::Model> {
    delivery::Entity::find()
        .order_by_asc(delivery::Column::Id)
        .all(&app.db)
        .await
        .expect("deliveries")
}

/// The deliveries once every one is `sent`: the in-app frame can reach a socket a
/// moment before the dispatcher records the send.
async fn sent_deliveries(app: &TestApp) -> Vec<delivery::Model> {
    sent_deliveries_at_least(app, 0).await
}

/// [`sent_deliveries`] once there are at least `n`.
async fn sent_deliveries_at_least(app: &TestApp, n: usize) -> Vec<delivery::Model> {
    for _ in 0..100 {
        let rows = deliveries(app).await;
        if rows.len() >= n && rows.iter().all(|d| d.status == "sent") {
            return rows;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("deliveries never all sent: {:?}", deliveries(app).await);
}

pub async fn team_with(app: &TestApp, admin: &str, name: &str, members: &[i64]) -> i64 {
    let created: Value = app
        .bearer(
            Method::POST,
            "/api/teams",
            admin,
            Some(&json!({ "name": name })),
        )
        .await
        .json()
        .await
        .expect("team");
    let id = created["id"].as_i64().expect("id");
    for member in members {
        let added = app
            .bearer(
                Method::POST,
                &format!("/api/teams/{id}/members"),
                admin,
                Some(&json!({ "user_id": member })),
            )
            .await;
        assert!(added.status().is_success(), "member {member}");
    }
    id
}

#[tokio::test]
async fn a_rule_for_one_teams_sales_notifies_each_of_them_once_over_the_socket_and_nobody_else() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (north_a, north_a_token) = sale(&app, "sale01").await;
    let (north_b, north_b_token) = sale(&app, "sale02").await;
    let (south, south_token) = sale(&app, "sale03").await;
    let (locked, _) = sale(&app, "sale04").await;
    let north = team_with(&app, &admin, "Hà Nội", &[north_a, north_b, locked]).await;
    team_with(&app, &admin, "Hồ Chí Minh", &[south]).await;
    app.bearer(
        Method::POST,
        &format!("/api/users/{locked}/lock"),
        &admin,
        None,
    )
    .await;
    let sale_role = app.role_id("Sale").await;
    rule(
        &app,
        &admin,
        rule_body(
            "contact.created",
            json!({ "role_ids": [sale_role], "team_ids": [north] }),
        ),
    )
    .await;
    let mut socket_a = connect(&app, Some(&north_a_token)).await.expect("a");
    let mut socket_b = connect(&app, Some(&north_b_token)).await.expect("b");

    let created = new_contact(&app, &op, "Nguyễn Văn An", "0912000111").await;

    for socket in [&mut socket_a, &mut socket_b] {
        let frame = next_notification(socket).await;
        assert!(frame["seq"].as_i64().is_some(), "a seq: {frame}");
        assert_eq!(frame["data"]["title"], "Khách KH2026-001: Mới");
        assert_eq!(
            frame["data"]["body"],
            "Nguyễn Văn An – Thành lập doanh nghiệp, bởi Nhân viên tongdai01"
        );
        assert_eq!(
            frame["data"]["link"],
            format!("/contacts/{}", created["id"])
        );
    }
    let rows = sent_deliveries(&app).await;
    let mut recipients: Vec<i64> = rows.iter().map(|d| d.recipient_id).collect();
    recipients.sort_unstable();
    assert_eq!(recipients, vec![north_a, north_b]);
    let mine = inbox(&app, &north_a_token, "").await;
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["unread_count"], 1);
    assert_eq!(
        mine["items"][0]["body"],
        "Nguyễn Văn An – Thành lập doanh nghiệp, bởi Nhân viên tongdai01"
    );
    assert_eq!(inbox(&app, &south_token, "").await["total"], 0);

    // The customer's name rests nowhere in clear: not in the outbox, the inbox or the
    // stored events.
    for (table, columns) in [
        ("notification_deliveries", ["title", "body"]),
        ("notifications", ["title", "body"]),
        ("events", ["payload", "payload"]),
    ] {
        use sea_orm::{ConnectionTrait, Statement};
        let found = app
            .db
            .query_one_raw(Statement::from_string(
                app.db.get_database_backend(),
                format!(
                    "SELECT COUNT(*) AS n FROM {table} WHERE {} LIKE '%Nguyễn Văn An%' \
                     OR {} LIKE '%Nguyễn Văn An%'",
                    columns[0], columns[1]
                ),
            ))
            .await
            .expect("query")
            .expect("row")
            .try_get::<i64>("", "n")
            .expect("n");
        assert_eq!(found, 0, "plaintext name in {table}");
    }
}

#[tokio::test]
async fn two_rules_matching_the_same_event_and_person_make_one_delivery() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (sale_id, sale_token) = sale(&app, "sale01").await;
    every_sale_hears_of_new_contacts(&app, &admin).await;
    rule(
        &app,
        &admin,
        rule_body("contact.created", json!({ "user_ids": [sale_id] })),
    )
    .await;
    new_contact(&app, &op, "Trần Thị Bình", "0912000222").await;
    until_inbox(&app, &sale_token, "total", 1).await;
    let rows = deliveries(&app).await;
    let to_sale: Vec<_> = rows.iter().filter(|d| d.recipient_id == sale_id).collect();
    assert_eq!(to_sale.len(), 1, "{rows:?}");
    assert_eq!(app.count("notifications").await, 1);
}

#[tokio::test]
async fn a_status_change_of_a_held_contact_reaches_only_the_sales_who_may_see_it() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (_, holder) = sale(&app, "sale01").await;
    let (_, other) = sale(&app, "sale02").await;
    let sale_role = app.role_id("Sale").await;
    rule(
        &app,
        &admin,
        rule_body("contact.status_changed", json!({ "role_ids": [sale_role] })),
    )
    .await;
    let created = new_contact(&app, &op, "Lê Văn Cường", "0912000333").await;
    let id = created["id"].as_i64().expect("id");
    let picked = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{id}/pick"),
            &holder,
            None,
        )
        .await;
    assert_eq!(picked.status(), StatusCode::OK);
    let failed = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{id}/status"),
            &holder,
            Some(&json!({ "status": "failed" })),
        )
        .await;
    assert_eq!(failed.status(), StatusCode::OK);
    until_inbox(&app, &holder, "total", 1).await;
    let mine = inbox(&app, &holder, "").await;
    assert_eq!(mine["items"][0]["title"], "Khách KH2026-001: Thất bại");
    assert_eq!(
        mine["items"][0]["body"],
        "Lê Văn Cường – Thành lập doanh nghiệp, bởi Nhân viên sale01"
    );
    assert_eq!(inbox(&app, &other, "").await["total"], 0);
    assert_eq!(deliveries(&app).await.len(), 1);
}

/// Each `notification` event stored: (seq, inbox entry id, recipient).
async fn notification_events(app: &TestApp) -> Vec<(i64, i64, i64)> {
    use entities::event;
    event::Entity::find()
        .filter(event::Column::Kind.eq("notification"))
        .order_by_asc(event::Column::Id)
        .all(&app.db)
        .await
        .expect("events")
        .into_iter()
        .map(|row| {
            let payload: Value = serde_json::from_str(&row.payload).expect("payload");
            let audience: Value = serde_json::from_str(&row.audience).expect("audience");
            (
                row.id,
                payload["id"].as_i64().expect("entry id"),
                audience["user_id"].as_i64().expect("recipient"),
            )
        })
        .collect()
}

/// Inbox entries as (id, recipient).
async fn inbox_entries(app: &TestApp) -> Vec<(i64, i64)> {
    use entities::notification;
    notification::Entity::find()
        .order_by_asc(notification::Column::Id)
        .all(&app.db)
        .await
        .expect("inbox")
        .into_iter()
        .map(|row| (row.id, row.user_id))
        .collect()
}

#[tokio::test]
async fn an_event_for_more_recipients_than_one_statement_holds_gives_each_their_own_entry_and_event()
 {
    // 150 recipients: the inbox entries and their events are written 100 rows a
    // statement, and the rows the database hands back must be matched to the right
    // people.
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let sales = app.seed_sales(150).await;
    every_sale_hears_of_new_contacts(&app, &admin).await;
    let watched = [&sales[0], &sales[100], &sales[149]];
    let mut sockets = Vec::new();
    for (_, token) in watched {
        sockets.push(connect(&app, Some(token)).await.expect("socket"));
    }

    new_contact(&app, &op, "Đặng Thị Hoa", "0912000777").await;

    let mut frames = Vec::new();
    for socket in &mut sockets {
        frames.push(next_notification(socket).await);
    }
    let rows = sent_deliveries(&app).await;
    assert_eq!(rows.len(), 150);
    let entries = inbox_entries(&app).await;
    let mut recipients: Vec<i64> = entries.iter().map(|(_, user)| *user).collect();
    recipients.sort_unstable();
    let mut expected: Vec<i64> = sales.iter().map(|(id, _)| *id).collect();
    expected.sort_unstable();
    assert_eq!(recipients, expected, "one entry per Sale");
    let owner: std::collections::HashMap<i64, i64> = entries.into_iter().collect();
    let events = notification_events(&app).await;
    assert_eq!(events.len(), 150);
    for (seq, entry, to) in &events {
        assert_eq!(
            owner.get(entry),
            Some(to),
            "event {seq} goes to its entry's owner"
        );
    }
    let first_seq = events[0].0;
    for ((id, token), frame) in watched.into_iter().zip(&frames) {
        let theirs = events
            .iter()
            .find(|(_, _, to)| to == id)
            .expect("their event");
        assert_eq!(frame["seq"], theirs.0);
        assert_eq!(frame["data"]["id"], theirs.1);
        assert_eq!(
            frame["data"]["body"],
            "Đặng Thị Hoa – Thành lập doanh nghiệp, bởi Nhân viên tongdai01"
        );
        // A tab that reconnects from before the batch is handed the same one again.
        let mut resumed = crate::ws::connect_to(
            &app,
            &format!("/ws?after_seq={}", first_seq - 1),
            Some(token),
        )
        .await
        .expect("resume");
        let replayed = next_notification(&mut resumed).await;
        assert_eq!(replayed["seq"], theirs.0);
        assert_eq!(replayed["data"], frame["data"]);
    }
}

#[tokio::test]
async fn a_delivery_sent_again_after_a_crash_adds_no_second_entry_beside_new_ones() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let sales = app.seed_sales(3).await;
    every_sale_hears_of_new_contacts(&app, &admin).await;
    new_contact(&app, &op, "Khách Một", "0912000801").await;
    let first = sent_deliveries_at_least(&app, 3).await;
    assert_eq!(first.len(), 3);
    // As if a worker had written two entries and died before recording the sends:
    // they are due again, and (unless the worker's 5 s poll comes between) go out in
    // the same batch as the next event's.
    app.execute(&format!(
        "UPDATE notification_deliveries SET status = 'pending', next_attempt_at = created_at \
         WHERE id IN ({}, {})",
        first[0].id, first[2].id
    ))
    .await;
    new_contact(&app, &op, "Khách Hai", "0912000802").await;

    let rows = sent_deliveries_at_least(&app, 6).await;
    assert_eq!(rows.len(), 6, "{rows:?}");
    assert_eq!(app.count("notifications").await, 6);
    let events = notification_events(&app).await;
    assert_eq!(events.len(), 6, "{events:?}");
    for (id, token) in &sales {
        let mine = inbox(&app, token, "").await;
        assert_eq!(mine["total"], 2, "Sale {id}: {mine}");
    }
}

#[tokio::test]
async fn the_unread_count_follows_marking_read_one_by_one_and_all_at_once() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (_, sale_token) = sale(&app, "sale01").await;
    let (_, other_token) = sale(&app, "sale02").await;
    every_sale_hears_of_new_contacts(&app, &admin).await;
    for (name, phone) in [("Khách Một", "0912000401"), ("Khách Hai", "0912000402")] {
        new_contact(&app, &op, name, phone).await;
    }
    until_inbox(&app, &sale_token, "unread_count", 2).await;
    let page = inbox(&app, &sale_token, "").await;
    let newest = page["items"][0]["id"].as_i64().expect("id");
    assert_eq!(
        page["items"][0]["body"],
        "Khách Hai – Thành lập doanh nghiệp, bởi Nhân viên tongdai01"
    );

    let (status, _) = error_of(
        app.bearer(
            Method::POST,
            &format!("/api/notifications/{newest}/read"),
            &other_token,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not someone else's");

    let read: Value = app
        .bearer(
            Method::POST,
            &format!("/api/notifications/{newest}/read"),
            &sale_token,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(read["unread_count"], 1);
    let unread = inbox(&app, &sale_token, "?unread=true").await;
    assert_eq!(unread["total"], 1);
    assert_ne!(unread["items"][0]["id"], newest);
    assert!(inbox(&app, &sale_token, "").await["items"][0]["read_at"].is_string());

    let all: Value = app
        .bearer(
            Method::POST,
            "/api/notifications/read-all",
            &sale_token,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(all["unread_count"], 0);
    assert_eq!(inbox(&app, &other_token, "").await["unread_count"], 2);
}

/// A channel whose service is always down (stands in for `in_app`).
struct Down;

#[async_trait::async_trait]
impl Channel for Down {
    fn name(&self) -> &'static str {
        "in_app"
    }

    async fn send(&self, _: &Outgoing) -> Result<(), ChannelError> {
        Err(ChannelError::Unavailable("Dịch vụ gửi tạm ngừng".into()))
    }
}

fn down() -> Options {
    Options {
        notification_channels: Some(vec![Arc::new(Down) as Arc<dyn Channel>]),
        ..Options::default()
    }
}

async fn only_delivery(app: &TestApp) -> delivery::Model {
    let rows = deliveries(app).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    rows.into_iter().next().expect("one")
}

async fn attempts_reach(app: &TestApp, attempts: i32) {
    // Claimed rows are leased 60 s ahead; a finished attempt is due within 30 s.
    let horizon = app.clock_now() + chrono::Duration::seconds(30);
    until_delivery(app, &format!("attempt {attempts}"), |d| {
        d.attempts == attempts && d.next_attempt_at < horizon
    })
    .await;
}

#[tokio::test]
async fn a_failing_channel_is_retried_with_backoff_then_failed_and_admins_are_told() {
    let app = spawn_app_with(down()).await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (sale_id, _) = sale(&app, "sale01").await;
    let mut admin_socket = connect(&app, Some(&admin)).await.expect("admin");
    rule(
        &app,
        &admin,
        rule_body("contact.created", json!({ "user_ids": [sale_id] })),
    )
    .await;
    new_contact(&app, &op, "Phạm Thị Dung", "0912000555").await;
    let start = app.clock_now();
    attempts_reach(&app, 1).await;
    let first = only_delivery(&app).await;
    assert_eq!(first.status, "pending");
    assert_eq!(first.next_attempt_at, start + chrono::Duration::seconds(1));
    assert_eq!(first.last_error.as_deref(), Some("Dịch vụ gửi tạm ngừng"));

    // Not before its time, however often the worker wakes.
    app.notifications_wake.notify_one();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(only_delivery(&app).await.attempts, 1);

    let mut waited = 0;
    for (attempt, wait) in [(2, 1), (3, 2), (4, 4)] {
        app.clock.advance(chrono::Duration::seconds(wait));
        waited += wait;
        app.notifications_wake.notify_one();
        attempts_reach(&app, attempt).await;
        let row = only_delivery(&app).await;
        assert_eq!(row.status, "pending");
        assert_eq!(
            row.next_attempt_at,
            start + chrono::Duration::seconds(waited + 2 * wait),
            "attempt {attempt} waits {}s",
            2 * wait
        );
    }
    app.clock.advance(chrono::Duration::seconds(8));
    app.notifications_wake.notify_one();
    until_delivery(&app, "the delivery to fail", |d| d.status == "failed").await;
    let failed = only_delivery(&app).await;
    assert_eq!(failed.attempts, 5);
    assert_eq!(failed.last_error.as_deref(), Some("Dịch vụ gửi tạm ngừng"));

    let alert = next_notification(&mut admin_socket).await;
    assert_eq!(alert["data"]["title"], "Gửi thông báo thất bại");
    let body = alert["data"]["body"].as_str().expect("body");
    assert!(body.contains("Nhân viên sale01"), "{body}");
    assert!(body.contains("Dịch vụ gửi tạm ngừng"), "{body}");
    assert_eq!(inbox(&app, &admin, "").await["unread_count"], 1);

    // An admin sends it again: pending, due now, attempts reset, audited.
    let listed: Value = app
        .bearer(
            Method::GET,
            "/api/notification-deliveries?status=failed",
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["title"], "Khách KH2026-001: Mới");
    assert_eq!(listed["items"][0]["recipient_name"], "Nhân viên sale01");
    let retried = app
        .bearer(
            Method::POST,
            &format!("/api/notification-deliveries/{}/retry", failed.id),
            &admin,
            None,
        )
        .await;
    assert_eq!(retried.status(), StatusCode::NO_CONTENT);
    attempts_reach(&app, 1).await;
    let (status, body) = error_of(
        app.bearer(
            Method::POST,
            &format!("/api/notification-deliveries/{}/retry", failed.id),
            &admin,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("not_failed"))
    );
    let audit: Value = app
        .bearer(
            Method::GET,
            "/api/audit?action=notifications.delivery_retried",
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("audit");
    assert_eq!(audit["total"], 1);
    assert_eq!(audit["items"][0]["before"]["status"], "failed");
}

fn master_key_of(app: &TestApp) -> String {
    std::fs::read_to_string(app.dir.path().join("data/master.key"))
        .expect("key")
        .trim()
        .to_owned()
}

#[tokio::test]
async fn a_restart_with_pending_deliveries_and_a_rewound_cursor_sends_each_once() {
    // The first server cannot deliver: its deliveries stay pending.
    let first = spawn_app_with(down()).await;
    let admin = first.admin_token().await;
    let op = operator(&first, "tongdai01").await;
    let (_, sale_token) = sale(&first, "sale01").await;
    every_sale_hears_of_new_contacts(&first, &admin).await;
    new_contact(&first, &op, "Võ Văn Em", "0912000666").await;
    attempts_reach(&first, 1).await;
    first.stop().await;
    // As if the matcher had crashed after writing the deliveries: it will match every
    // event again.
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
        ..Options::default()
    })
    .await;
    second.clock.advance(chrono::Duration::seconds(2));
    second.notifications_wake.notify_one();
    until_inbox(&second, &sale_token, "total", 1).await;
    second.notifications_wake.notify_one();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rows = deliveries(&second).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].status, "sent");
    assert_eq!(second.count("notifications").await, 1);
    assert_eq!(
        inbox(&second, &sale_token, "").await["items"][0]["body"],
        "Võ Văn Em – Thành lập doanh nghiệp, bởi Nhân viên tongdai01"
    );
}

#[tokio::test]
async fn rule_errors_name_their_field_in_vietnamese() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let base = rule_body("contact.created", json!({}));
    let cases = [
        ("channels", json!({ "channels": ["in_app", "zalo"] })),
        ("channels", json!({ "channels": [] })),
        ("trigger", json!({ "trigger": "contact.deleted" })),
        ("name", json!({ "name": " " })),
        (
            "template_body",
            json!({ "template_body": "Gọi {{contact.phone}}" }),
        ),
        (
            "template_title",
            json!({ "template_title": "Mới {{contact.code" }),
        ),
        (
            "conditions.role_ids",
            json!({ "conditions": { "role_ids": [999] } }),
        ),
        (
            "conditions.sources",
            json!({ "conditions": { "sources": ["tiktok"] } }),
        ),
    ];
    for (field, change) in cases {
        let mut body = base.clone();
        for (key, value) in change.as_object().expect("object") {
            body[key] = value.clone();
        }
        let (status, error) = error_of(
            app.bearer(Method::POST, "/api/notification-rules", &admin, Some(&body))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(error["field"], field, "{error}");
    }
    let mut by_zalo = base.clone();
    by_zalo["channels"] = json!(["zalo"]);
    let (_, zalo) = error_of(
        app.bearer(
            Method::POST,
            "/api/notification-rules",
            &admin,
            Some(&by_zalo),
        )
        .await,
    )
    .await;
    // Zalo ZNS goes to customers once Zalo OA is set up; this server has no settings.
    assert_eq!(
        zalo["message"],
        "Chưa cấu hình Zalo OA trên máy chủ (biến môi trường ANKHANG_ZALO_APP_ID và ANKHANG_ZALO_APP_SECRET): chưa gửi được ZNS tới khách hàng"
    );
    let (status, preview) = error_of(
        app.bearer(
            Method::POST,
            "/api/notification-rules/preview",
            &admin,
            Some(&json!({ "template_title": "A", "template_body": "{{khach.ten}}" })),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(preview["field"], "template_body");
    assert_eq!(app.count("notification_rules").await, 0);
}

#[tokio::test]
async fn rules_are_edited_and_deleted_with_audited_before_and_after() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = rule(&app, &admin, rule_body("deal.created", json!({}))).await;
    let id = created["id"].as_i64().expect("id");
    assert_eq!(created["enabled"], true);
    let mut edit = rule_body("deal.created", json!({ "statuses": ["won"] }));
    edit["enabled"] = json!(false);
    edit["name"] = json!("Chốt hợp đồng");
    let updated: Value = app
        .bearer(
            Method::PUT,
            &format!("/api/notification-rules/{id}"),
            &admin,
            Some(&edit),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(updated["enabled"], false);
    assert_eq!(updated["conditions"]["statuses"], json!(["won"]));
    let fetched: Value = app
        .bearer(
            Method::GET,
            &format!("/api/notification-rules/{id}"),
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(fetched, updated);
    let deleted = app
        .bearer(
            Method::DELETE,
            &format!("/api/notification-rules/{id}"),
            &admin,
            None,
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let listed: Value = app
        .bearer(Method::GET, "/api/notification-rules", &admin, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed, json!([]));

    let audit: Value = app
        .bearer(
            Method::GET,
            "/api/audit?action=notifications.",
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("audit");
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "notifications.rule_deleted",
            "notifications.rule_updated",
            "notifications.rule_created"
        ]
    );
    let change = &audit["items"][1];
    assert_eq!(change["target_id"], id.to_string());
    assert_eq!(change["before"]["enabled"], true);
    assert_eq!(change["after"]["enabled"], false);
    assert_eq!(change["after"]["name"], "Chốt hợp đồng");
    assert_eq!(audit["items"][0]["before"]["name"], "Chốt hợp đồng");

    let (_, sale_token) = sale(&app, "sale01").await;
    let (status, _) = error_of(
        app.bearer(Method::GET, "/api/notification-rules", &sale_token, None)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_preview_renders_a_visible_contact_or_sample_values() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let created = new_contact(&app, &op, "Đỗ Thị Giang", "0912000777").await;
    let template = json!({
        "template_title": "{{contact.code}} ({{contact.source}})",
        "template_body": "{{contact.name}}, Sale: {{sale.name}}, bởi {{actor.name}}",
    });
    let mut with_contact = template.clone();
    with_contact["contact_id"] = created["id"].clone();
    let shown: Value = app
        .bearer(
            Method::POST,
            "/api/notification-rules/preview",
            &admin,
            Some(&with_contact),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(shown["title"], "KH2026-001 (Landing page – Zalo)");
    assert_eq!(
        shown["body"],
        "Đỗ Thị Giang, Sale: chưa có, bởi Quản Trị Viên"
    );
    let sample: Value = app
        .bearer(
            Method::POST,
            "/api/notification-rules/preview",
            &admin,
            Some(&template),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        sample["body"],
        "Nguyễn Văn An, Sale: Trần Thị Bình, bởi Quản Trị Viên"
    );
    let mut missing = template.clone();
    missing["contact_id"] = json!(9999);
    let (status, _) = error_of(
        app.bearer(
            Method::POST,
            "/api/notification-rules/preview",
            &admin,
            Some(&missing),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn deliveries_filter_by_status_rule_channel_and_id_and_refuse_unknown_values() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (sale_id, sale_token) = sale(&app, "sale01").await;
    let kept = rule(
        &app,
        &admin,
        rule_body("contact.created", json!({ "user_ids": [sale_id] })),
    )
    .await;
    new_contact(&app, &op, "Hồ Văn Hải", "0912000888").await;
    until_inbox(&app, &sale_token, "total", 1).await;
    let page = |query: String| {
        let (app, admin) = (&app, &admin);
        async move {
            let value: Value = app
                .bearer(
                    Method::GET,
                    &format!("/api/notification-deliveries{query}"),
                    admin,
                    None,
                )
                .await
                .json()
                .await
                .expect("json");
            value
        }
    };
    assert_eq!(page("?status=sent".into()).await["total"], 1);
    assert_eq!(page("?status=pending".into()).await["total"], 0);
    assert_eq!(page(format!("?rule_id={}", kept["id"])).await["total"], 1);
    assert_eq!(page("?rule_id=999".into()).await["total"], 0);
    assert_eq!(page("?channel=in_app".into()).await["total"], 1);
    assert_eq!(page("?channel=email".into()).await["total"], 0);
    let one = page(String::new()).await["items"][0]["id"].clone();
    let opened = page(format!("?status=sent&id={one}")).await;
    assert_eq!(opened["total"], 1);
    assert_eq!(opened["items"][0]["id"], one);
    assert_eq!(page("?id=999".into()).await["total"], 0);
    let (status, error) = error_of(
        app.bearer(
            Method::GET,
            "/api/notification-deliveries?channel=fax",
            &admin,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field"], "channel");
    let sent = page(String::new()).await;
    assert_eq!(sent["items"][0]["channel"], "in_app");
    assert_eq!(sent["items"][0]["rule_name"], "Quy tắc contact.created");
    assert!(sent["items"][0]["sent_at"].is_string());
    let (status, error) = error_of(
        app.bearer(
            Method::GET,
            "/api/notification-deliveries?status=lost",
            &admin,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field"], "status");
    let rows = delivery::Entity::find()
        .filter(delivery::Column::RecipientId.eq(sale_id))
        .all(&app.db)
        .await
        .expect("rows");
    assert_eq!(rows.len(), 1);
}

#[tokio::test]
async fn a_preview_with_conditions_lists_who_the_rule_would_reach_now() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    operator(&app, "tongdai01").await;
    let (north_a, _) = sale(&app, "sale01").await;
    let (north_b, _) = sale(&app, "sale02").await;
    let (south, _) = sale(&app, "sale03").await;
    app.create_user("cskh01", "Cskh12345", "CSKH").await;
    let north = team_with(&app, &admin, "Hà Nội", &[north_a, north_b]).await;
    team_with(&app, &admin, "Hồ Chí Minh", &[south]).await;
    let sale_role = app.role_id("Sale").await;
    let preview = |body: Value| {
        let (app, admin) = (&app, &admin);
        async move {
            let response = app
                .bearer(
                    Method::POST,
                    "/api/notification-rules/preview",
                    admin,
                    Some(&body),
                )
                .await;
            let status = response.status();
            let value: Value = response.json().await.expect("json");
            (status, value)
        }
    };
    let template = |trigger: &str, conditions: Value| {
        json!({
            "template_title": "Khách {{contact.code}}",
            "template_body": "{{contact.name}}",
            "trigger": trigger,
            "conditions": conditions,
        })
    };
    let names = |value: &Value| -> Vec<String> {
        value["recipients"]["people"]
            .as_array()
            .expect("people")
            .iter()
            .map(|p| p["username"].as_str().expect("username").to_owned())
            .collect()
    };

    let (status, north_sales) = preview(template(
        "contact.created",
        json!({ "role_ids": [sale_role], "team_ids": [north] }),
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(north_sales["title"], "Khách KH2026-001");
    assert_eq!(names(&north_sales), ["sale01", "sale02"]);
    assert_eq!(
        north_sales["recipients"]["people"][0]["team_name"],
        "Hà Nội"
    );
    assert_eq!(north_sales["recipients"]["per_contact"], false);

    // Customer care never sees a new contact, so nobody there hears of one; the
    // operator and every Sale do. A status move may reach care, contact by contact.
    let (_, everyone) = preview(template("contact.created", json!({}))).await;
    let reached = names(&everyone);
    assert!(reached.contains(&"tongdai01".to_owned()), "{reached:?}");
    assert!(reached.contains(&"sale03".to_owned()), "{reached:?}");
    assert!(!reached.contains(&"cskh01".to_owned()), "{reached:?}");
    let (_, failures) = preview(template("contact.status_changed", json!({}))).await;
    assert!(names(&failures).contains(&"cskh01".to_owned()));
    assert_eq!(failures["recipients"]["per_contact"], true);

    // Without trigger or conditions the answer is the template alone, as before.
    let (_, plain) = preview(json!({
        "template_title": "A", "template_body": "B"
    }))
    .await;
    assert!(plain["recipients"].is_null(), "{plain}");

    let options: Value = app
        .bearer(Method::GET, "/api/notification-rules/options", &admin, None)
        .await
        .json()
        .await
        .expect("options");
    assert!(
        options["teams"]
            .as_array()
            .expect("teams")
            .iter()
            .any(|t| t["id"] == north)
    );
    assert!(
        options["roles"]
            .as_array()
            .expect("roles")
            .iter()
            .any(|r| r["id"] == sale_role)
    );
    let sale01 = options["users"]
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["username"] == "sale01")
        .expect("sale01 offered");
    assert_eq!(sale01["team_name"], "Hà Nội");
    assert!(
        !options["service_types"]
            .as_array()
            .expect("types")
            .is_empty()
    );

    let (status, error) = preview(template("contact.deleted", json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field"], "trigger");
    let (status, error) = preview(template("contact.created", json!({ "team_ids": [999] }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field"], "conditions.team_ids");
}
