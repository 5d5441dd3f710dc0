//! Two server processes on one database, racing for real. On SQLite the single writer
//! settles these; on PostgreSQL (`cargo xtask test` runs the suite there too) writers
//! run side by side and only the database's locks and conditional writes keep them
//! right: one pick winner, an unbroken audit chain, events committed in seq order.

use std::{
    collections::BTreeSet,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::{
    contacts::{new_contact, operator, sale},
    helpers::{ADMIN_USER, Options, TestApp, spawn_app, spawn_app_with},
    ws::{Socket, connect},
};

/// A second server process on `first`'s database, with its master key.
async fn second_server(first: &TestApp) -> TestApp {
    spawn_app_with(Options {
        database_url: Some(first.database_url.clone()),
        master_key: Some(first.master_key()),
        ..Options::default()
    })
    .await
}

async fn audit_verifies(app: &TestApp) -> Value {
    let admin = app.admin_token().await;
    let verdict: Value = app
        .bearer(Method::GET, "/api/audit/verify", &admin, None)
        .await
        .json()
        .await
        .expect("verify");
    assert_eq!(verdict["ok"], true, "audit chain: {verdict}");
    verdict
}

#[tokio::test]
async fn picks_racing_through_two_servers_leave_exactly_one_winner() {
    let first = spawn_app().await;
    let second = second_server(&first).await;
    let op = operator(&first, "tongdai01").await;
    let id = new_contact(&first, &op, "Khách Đua", "0912300001").await["id"]
        .as_i64()
        .expect("id");
    let sales = first.seed_sales(60).await;
    // Half the Sales go through each process: each process lets one attempt per
    // contact at a time into the database, so two really race there.
    let attempts = sales.iter().enumerate().map(|(i, (_, token))| {
        let app = if i % 2 == 0 { &first } else { &second };
        async move {
            let response = app
                .bearer(
                    Method::POST,
                    &format!("/api/contacts/{id}/pick"),
                    token,
                    None,
                )
                .await;
            let status = response.status();
            (status, response.json::<Value>().await.expect("json"))
        }
    });
    let results = futures_util::future::join_all(attempts).await;
    let winners: Vec<i64> = results
        .iter()
        .filter(|(status, _)| *status == StatusCode::OK)
        .map(|(_, body)| body["assignee_id"].as_i64().expect("assignee"))
        .collect();
    assert_eq!(winners.len(), 1, "exactly one winner: {results:?}");
    for (status, body) in results.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_eq!(
            *status,
            StatusCode::CONFLICT,
            "a lost race is a 409: {body}"
        );
        assert_eq!(body["error"], "already_picked");
        assert_eq!(body["picked_by"]["id"], winners[0]);
    }
    assert_eq!(
        first.count("daily_picks WHERE count > 0").await,
        1,
        "only the winner's daily count moved"
    );
    assert_eq!(
        first
            .count("sale_pick_state WHERE last_pick_at IS NOT NULL")
            .await,
        1,
        "only the winner's cooldown started"
    );
    audit_verifies(&first).await;
}

#[tokio::test]
async fn audited_writes_from_two_servers_at_once_keep_one_unbroken_chain() {
    let first = spawn_app().await;
    let second = second_server(&first).await;
    let op = operator(&first, "tongdai01").await;
    // Contacts created (audited with their event) and failed logins (audited alone),
    // all at once through both processes.
    let creations = (0..30).map(|i| {
        let (app, op) = (if i % 2 == 0 { &first } else { &second }, &op);
        async move {
            new_contact(app, op, &format!("Khách {i}"), &format!("09123{i:05}")).await;
        }
    });
    // Four: a fifth failure from one address within a minute would block its logins.
    let failures = (0..4).map(|i| {
        let app = if i % 2 == 0 { &second } else { &first };
        async move {
            let response = app.login(ADMIN_USER, "Wrong12345").await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        }
    });
    futures_util::future::join(
        futures_util::future::join_all(creations),
        futures_util::future::join_all(failures),
    )
    .await;
    let verdict = audit_verifies(&second).await;
    assert_eq!(
        verdict["entries"].as_i64().expect("entries"),
        first.count("audit_log").await
    );
    assert!(
        first
            .count("audit_log WHERE action = 'contacts.created'")
            .await
            >= 30
    );
    assert_eq!(
        first
            .count("audit_log WHERE action = 'auth.login_failed'")
            .await,
        4
    );
}

/// Every `contact.created` frame until `want` of them arrived: (seq, contact id).
async fn created_frames(socket: &mut Socket, want: usize) -> Vec<(i64, i64)> {
    let mut seen = Vec::new();
    let mut created = 0;
    while created < want {
        let message = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a frame in time")
            .expect("open")
            .expect("frame");
        let Message::Text(text) = message else {
            continue;
        };
        let frame: Value = serde_json::from_str(&text).expect("json");
        let Some(seq) = frame["seq"].as_i64() else {
            continue;
        };
        let contact = frame["data"]["id"].as_i64().unwrap_or_default();
        if frame["type"] == "contact.created" {
            created += 1;
        }
        seen.push((
            seq,
            if frame["type"] == "contact.created" {
                contact
            } else {
                0
            },
        ));
    }
    seen
}

#[tokio::test]
async fn events_committed_by_two_servers_come_in_seq_order_with_none_skipped() {
    const PER_SERVER: usize = 30;
    let first = spawn_app().await;
    let second = second_server(&first).await;
    let op = operator(&first, "tongdai01").await;
    let (sale_id, sale_token) = sale(&first, "sale01").await;
    // Each new contact also notifies the Sale in-app: the dispatchers of both
    // processes then commit `notification` events (written without an audit entry)
    // among the contacts' own.
    let admin = first.admin_token().await;
    let rule = first
        .bearer(
            Method::POST,
            "/api/notification-rules",
            &admin,
            Some(&json!({
                "name": "Khách mới cho Sale",
                "trigger": "contact.created",
                "conditions": { "user_ids": [sale_id] },
                "channels": ["in_app"],
                "template_title": "Khách {{contact.code}}",
                "template_body": "{{contact.name}}",
            })),
        )
        .await;
    assert_eq!(rule.status(), StatusCode::CREATED);
    let mut sockets = [
        connect(&first, Some(&sale_token)).await.expect("socket 1"),
        connect(&second, Some(&sale_token)).await.expect("socket 2"),
    ];

    // A reader polling the events table as the notification matcher and a resuming
    // client do: everything after the highest seq seen so far. If a lower seq could
    // commit after a higher one, it would skip it for good.
    let reader = first.db_reopened().await;
    let start = last_seq(&reader).await;
    let done = Arc::new(AtomicBool::new(false));
    let tail = tokio::spawn({
        let (reader, done) = (reader.clone(), done.clone());
        async move {
            let mut seen = Vec::new();
            let mut cursor = start;
            loop {
                let finished = done.load(Ordering::SeqCst);
                let batch: Vec<i64> = entities::event::Entity::find()
                    .select_only()
                    .column(entities::event::Column::Id)
                    .filter(entities::event::Column::Id.gt(cursor))
                    .order_by_asc(entities::event::Column::Id)
                    .into_tuple()
                    .all(&reader)
                    .await
                    .expect("tail");
                if let Some(last) = batch.last() {
                    cursor = *last;
                }
                seen.extend(batch);
                if finished {
                    return seen;
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
    });

    let creations = (0..2 * PER_SERVER).map(|i| {
        let (app, op) = (if i % 2 == 0 { &first } else { &second }, &op);
        async move {
            let contact =
                new_contact(app, op, &format!("Khách {i}"), &format!("09124{i:05}")).await;
            (i % 2, contact["id"].as_i64().expect("id"))
        }
    });
    let created = futures_util::future::join_all(creations).await;
    for _ in 0..200 {
        let sent = first
            .count("notification_deliveries WHERE status = 'sent'")
            .await;
        if sent == 2 * PER_SERVER as i64 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        first.count("notifications").await,
        2 * PER_SERVER as i64,
        "every new contact notified the Sale once"
    );
    done.store(true, Ordering::SeqCst);
    let tailed = tail.await.expect("tail task");

    let committed: Vec<i64> = entities::event::Entity::find()
        .select_only()
        .column(entities::event::Column::Id)
        .filter(entities::event::Column::Id.gt(start))
        .order_by_asc(entities::event::Column::Id)
        .into_tuple()
        .all(&reader)
        .await
        .expect("events");
    assert_eq!(
        tailed, committed,
        "a seq committed after a higher one was skipped by the reader"
    );

    for (server, socket) in sockets.iter_mut().enumerate() {
        let frames = created_frames(socket, PER_SERVER).await;
        let seqs: Vec<i64> = frames.iter().map(|(seq, _)| *seq).collect();
        assert!(
            seqs.windows(2).all(|pair| pair[0] < pair[1]),
            "server {server}: seqs not strictly increasing: {seqs:?}"
        );
        let got: BTreeSet<i64> = frames
            .iter()
            .map(|(_, id)| *id)
            .filter(|id| *id != 0)
            .collect();
        let mine: BTreeSet<i64> = created
            .iter()
            .filter(|(s, _)| *s == server)
            .map(|(_, id)| *id)
            .collect();
        assert_eq!(got, mine, "server {server}: every contact it created");
    }
    reader.close().await.expect("close");
}

async fn last_seq(db: &sea_orm::DatabaseConnection) -> i64 {
    entities::event::Entity::find()
        .select_only()
        .column(entities::event::Column::Id)
        .order_by_desc(entities::event::Column::Id)
        .into_tuple::<i64>()
        .one(db)
        .await
        .expect("last seq")
        .unwrap_or(0)
}
