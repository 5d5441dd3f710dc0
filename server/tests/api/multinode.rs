//! Several server processes on one database, their hubs bridged through a real Redis
//! (`ANKHANG_BROKER_URL`): events reach sockets on every node once and in seq order,
//! a pick race across nodes has one winner, resume works on any node, revocations
//! reach every node, and a Redis outage is reported, survived and recovered from.

use std::{collections::BTreeSet, time::Duration};

use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

use crate::{
    contacts::{new_contact, operator, sale},
    helpers::{Options, TestApp, redis::RedisServer, spawn_app_with, webhook::WebhookFake},
    ws::{Socket, close_code, connect, next, resume},
};

/// `count` server processes on one fresh database, bridged through `redis`.
async fn nodes(redis: &RedisServer, count: usize, monitor: Option<&WebhookFake>) -> Vec<TestApp> {
    let options = || Options {
        broker_url: Some(redis.url()),
        monitor_webhook_url: monitor.map(|fake| fake.url.clone()),
        ..Options::default()
    };
    let first = spawn_app_with(options()).await;
    let mut all = Vec::with_capacity(count);
    for _ in 1..count {
        all.push(
            spawn_app_with(Options {
                database_url: Some(first.database_url.clone()),
                master_key: Some(first.master_key()),
                ..options()
            })
            .await,
        );
    }
    all.insert(0, first);
    for node in &all {
        wait_connected(node).await;
    }
    all
}

async fn readiness(node: &TestApp) -> (StatusCode, Value) {
    let response = node
        .client
        .get(node.url("/readyz"))
        .send()
        .await
        .expect("readyz");
    let status = response.status();
    (status, response.json().await.expect("json"))
}

/// Until the node's broker link is up (it connects in the background; readiness lists
/// no outage before the first attempt either, so the metric is what tells).
async fn wait_connected(node: &TestApp) {
    for _ in 0..200 {
        if metrics(node).await.contains("ankhang_broker_connected 1") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("node never connected to the broker");
}

async fn wait_for_readiness(node: &TestApp, wanted: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..400 {
        let (status, body) = readiness(node).await;
        assert_eq!(status, StatusCode::OK, "a node keeps serving: {body}");
        if wanted(&body) {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!(
        "readiness never changed as expected: {:?}",
        readiness(node).await
    );
}

async fn metrics(node: &TestApp) -> String {
    node.client
        .get(node.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text")
}

/// The next frame of `kind` (skipping others), as JSON.
async fn next_of(socket: &mut Socket, kind: &str) -> Value {
    loop {
        let message = next(socket).await;
        let Message::Text(text) = message else {
            panic!("socket ended while waiting for {kind}: {message:?}");
        };
        let frame: Value = serde_json::from_str(&text).expect("json");
        if frame["type"] == kind {
            return frame;
        }
    }
}

/// `contact.created` frames until `want` arrived, as (seq, contact id).
async fn created(socket: &mut Socket, want: usize) -> Vec<(i64, i64)> {
    let mut seen = Vec::new();
    while seen.len() < want {
        let frame = next_of(socket, "contact.created").await;
        seen.push((
            frame["seq"].as_i64().expect("seq"),
            frame["data"]["id"].as_i64().expect("id"),
        ));
    }
    seen
}

#[tokio::test]
async fn a_contact_created_on_one_node_reaches_sockets_on_the_others_once() {
    let Some(redis) = RedisServer::start("multinode").await else {
        return;
    };
    let cluster = nodes(&redis, 3, None).await;
    let op = operator(&cluster[0], "tongdai01").await;
    let (_, sale_token) = sale(&cluster[0], "sale01").await;
    let mut sockets = Vec::new();
    for node in &cluster {
        sockets.push(connect(node, Some(&sale_token)).await.expect("socket"));
    }
    let id = new_contact(&cluster[0], &op, "Khách Xa", "0915000001").await["id"]
        .as_i64()
        .expect("id");
    for socket in &mut sockets {
        let frame = next_of(socket, "contact.created").await;
        assert_eq!(frame["data"]["id"], id);
        assert_eq!(
            frame["data"]["full_name"], "Khách Xa",
            "opened on every node"
        );
    }
    // Once: the next thing each socket hears is the next contact, not a duplicate.
    let second = new_contact(&cluster[2], &op, "Khách Sau", "0915000002").await["id"]
        .as_i64()
        .expect("id");
    for socket in &mut sockets {
        assert_eq!(
            next_of(socket, "contact.created").await["data"]["id"],
            second
        );
    }
}

#[tokio::test]
async fn events_committed_on_two_nodes_reach_every_socket_in_seq_order_with_none_missing() {
    const PER_NODE: usize = 25;
    let Some(redis) = RedisServer::start("multinode").await else {
        return;
    };
    let cluster = nodes(&redis, 2, None).await;
    let op = operator(&cluster[0], "tongdai01").await;
    let (_, sale_token) = sale(&cluster[0], "sale01").await;
    let mut sockets = [
        connect(&cluster[0], Some(&sale_token)).await.expect("a"),
        connect(&cluster[1], Some(&sale_token)).await.expect("b"),
    ];
    let creations = (0..2 * PER_NODE).map(|i| {
        let (node, op) = (&cluster[i % 2], &op);
        async move {
            new_contact(node, op, &format!("Khách {i}"), &format!("09151{i:05}")).await["id"]
                .as_i64()
                .expect("id")
        }
    });
    let ids: BTreeSet<i64> = futures_util::future::join_all(creations)
        .await
        .into_iter()
        .collect();
    for (node, socket) in sockets.iter_mut().enumerate() {
        let frames = created(socket, 2 * PER_NODE).await;
        let seqs: Vec<i64> = frames.iter().map(|(seq, _)| *seq).collect();
        assert!(
            seqs.windows(2).all(|pair| pair[0] < pair[1]),
            "node {node}: seqs not strictly increasing: {seqs:?}"
        );
        let got: BTreeSet<i64> = frames.iter().map(|(_, id)| *id).collect();
        assert_eq!(got, ids, "node {node}: every contact of both nodes");
    }
}

#[tokio::test]
async fn a_pick_race_across_nodes_has_one_winner_and_every_socket_sees_it() {
    let Some(redis) = RedisServer::start("multinode").await else {
        return;
    };
    let cluster = nodes(&redis, 2, None).await;
    let op = operator(&cluster[0], "tongdai01").await;
    let sales = cluster[0].seed_sales(40).await;
    let mut sockets = Vec::new();
    for (i, (_, token)) in sales.iter().enumerate() {
        sockets.push(connect(&cluster[i % 2], Some(token)).await.expect("socket"));
    }
    let id = new_contact(&cluster[1], &op, "Khách Đua", "0915100001").await["id"]
        .as_i64()
        .expect("id");
    let attempts = sales.iter().enumerate().map(|(i, (_, token))| {
        let node = &cluster[i % 2];
        async move {
            node.bearer(
                Method::POST,
                &format!("/api/contacts/{id}/pick"),
                token,
                None,
            )
            .await
            .status()
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    let winners = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(winners, 1, "exactly one winner: {statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
        "losers get 409: {statuses:?}"
    );
    for socket in &mut sockets {
        let frame = next_of(socket, "contact.picked").await;
        assert_eq!(frame["data"]["id"], id);
    }
}

#[tokio::test]
async fn a_client_resumes_on_another_node_without_losing_events() {
    let Some(redis) = RedisServer::start("multinode").await else {
        return;
    };
    let cluster = nodes(&redis, 2, None).await;
    let op = operator(&cluster[0], "tongdai01").await;
    let (_, sale_token) = sale(&cluster[0], "sale01").await;
    let mut socket = connect(&cluster[0], Some(&sale_token)).await.expect("a");
    new_contact(&cluster[0], &op, "Khách Một", "0915200001").await;
    let last_seen = next_of(&mut socket, "contact.created").await["seq"]
        .as_i64()
        .expect("seq");
    drop(socket);
    // Missed while away, committed on both nodes.
    let mut missed = Vec::new();
    for i in 0..4 {
        let id = new_contact(
            &cluster[i % 2],
            &op,
            &format!("Khách {i}"),
            &format!("091520010{i}"),
        )
        .await["id"]
            .as_i64()
            .expect("id");
        missed.push(id);
    }
    // The load balancer sends the reconnect to the other node.
    let mut socket = connect(&cluster[1], Some(&sale_token)).await.expect("b");
    resume(&mut socket, last_seen).await;
    let replayed = created(&mut socket, missed.len()).await;
    assert_eq!(
        replayed.iter().map(|(_, id)| *id).collect::<Vec<_>>(),
        missed
    );
    assert!(replayed.iter().all(|(seq, _)| *seq > last_seen));
}

#[tokio::test]
async fn a_logout_or_lock_on_one_node_closes_sockets_on_the_others() {
    let Some(redis) = RedisServer::start("multinode").await else {
        return;
    };
    let cluster = nodes(&redis, 2, None).await;
    let (sale_id, sale_token) = sale(&cluster[0], "sale01").await;
    let mut far = connect(&cluster[1], Some(&sale_token))
        .await
        .expect("socket");
    let logout = cluster[0]
        .bearer(Method::POST, "/api/auth/logout", &sale_token, None)
        .await;
    assert!(logout.status().is_success());
    assert_eq!(close_code(&next(&mut far).await), Some(4001));
    // The revoked token is refused on the other node at once, not after a cache expiry.
    let me = cluster[1]
        .bearer(Method::GET, "/api/me", &sale_token, None)
        .await;
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);

    let token = cluster[0].token_for("sale01", "Sale12345").await;
    let mut far = connect(&cluster[1], Some(&token)).await.expect("socket");
    let admin = cluster[0].admin_token().await;
    cluster[0]
        .bearer(
            Method::POST,
            &format!("/api/users/{sale_id}/lock"),
            &admin,
            None,
        )
        .await;
    assert_eq!(close_code(&next(&mut far).await), Some(4003));
}

#[tokio::test]
async fn a_broker_outage_is_reported_survived_and_followed_by_a_resync() {
    let Some(mut redis) = RedisServer::start("multinode").await else {
        return;
    };
    let monitor = WebhookFake::start().await;
    let cluster = nodes(&redis, 2, Some(&monitor)).await;
    let op = operator(&cluster[0], "tongdai01").await;
    let (_, sale_token) = sale(&cluster[0], "sale01").await;
    let mut far = connect(&cluster[1], Some(&sale_token))
        .await
        .expect("socket");
    let leaving = cluster[0].token_for("sale01", "Sale12345").await;
    let mut leaving_socket = connect(&cluster[1], Some(&leaving)).await.expect("socket");

    redis.kill();
    let body =
        wait_for_readiness(&cluster[0], |body| body["degraded"][0]["check"] == "broker").await;
    assert_eq!(body["ready"], true, "still ready: {body}");
    let message = body["degraded"][0]["message"].as_str().expect("message");
    assert!(message.contains("Redis"), "{message}");
    assert!(
        metrics(&cluster[0])
            .await
            .contains("ankhang_broker_connected 0")
    );
    let alerts = monitor.wait_for(1).await;
    assert!(
        alerts.iter().any(|text| text.contains("Redis")),
        "admins alerted: {alerts:?}"
    );

    // HTTP keeps working, and events still cross nodes (read from the table).
    let during = new_contact(&cluster[0], &op, "Khách Lúc Mất", "0915300001").await["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        next_of(&mut far, "contact.created").await["data"]["id"],
        during
    );
    // A logout the other node cannot hear of yet.
    cluster[0]
        .bearer(Method::POST, "/api/auth/logout", &leaving, None)
        .await;

    redis.restart().await;
    // The far node tells its sockets to reload what they show.
    let resync = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            match far.next().await {
                Some(Ok(Message::Text(text))) if text.contains("\"resync\"") => return,
                Some(Ok(_)) => {}
                other => panic!("socket ended: {other:?}"),
            }
        }
    })
    .await;
    assert!(resync.is_ok(), "no resync after the broker returned");
    // Sessions that ended meanwhile are rechecked once the broker is back.
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match leaving_socket.next().await {
                Some(Ok(message @ Message::Close(_))) => return close_code(&message),
                Some(Ok(_)) => {}
                other => panic!("socket ended without a close frame: {other:?}"),
            }
        }
    })
    .await
    .expect("the logged-out session's socket closed");
    assert_eq!(closed, Some(4001));
    for node in &cluster {
        wait_connected(node).await;
    }
    let after = new_contact(&cluster[0], &op, "Khách Sau", "0915300002").await["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        next_of(&mut far, "contact.created").await["data"]["id"],
        after
    );
}
