//! Watching the running server: readiness, Prometheus metrics and the monitor webhook.

use std::time::Duration;

use chrono::Duration as Span;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use server::config::BackupConfig;

use crate::{
    contacts::{new_contact, operator, sale},
    helpers::{Options, TestApp, error_of, spawn_app, spawn_app_with, webhook::WebhookFake},
};

async fn readiness(app: &TestApp) -> (StatusCode, Value) {
    let response = app.get("/readyz").await;
    let status = response.status();
    (status, response.json().await.expect("json"))
}

fn failing_checks(body: &Value) -> Vec<&str> {
    body["failing"]
        .as_array()
        .expect("failing")
        .iter()
        .filter_map(|f| f["check"].as_str())
        .collect()
}

/// Polls a metric until it reaches `want` (the monitor's sender runs on its own task).
async fn wait_for_metric(app: &TestApp, series: &str, want: f64) {
    for _ in 0..100 {
        if app.metric(series).await == Some(want) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "{series} never reached {want}: {:?}",
        app.metric(series).await
    );
}

#[tokio::test]
async fn readyz_is_200_when_the_database_answers_and_migrations_are_current() {
    let app = spawn_app().await;
    let (status, body) = readiness(&app).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["ready"], true);
    assert_eq!(body["failing"], Value::Array(vec![]));
}

#[tokio::test]
async fn readyz_lists_pending_migrations_a_shutdown_and_a_lost_database() {
    let app = spawn_app().await;
    // A database one migration behind this binary.
    app.execute(
        "DELETE FROM seaql_migrations WHERE version = (SELECT MAX(version) FROM seaql_migrations)",
    )
    .await;
    let (status, body) = readiness(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["ready"], false);
    assert_eq!(failing_checks(&body), ["migrations"]);
    let message = body["failing"][0]["message"].as_str().expect("message");
    assert!(message.contains("Còn 1 migration chưa chạy"), "{message}");
    assert!(message.contains("ankhang migrate"), "{message}");

    app.lifecycle.begin_shutdown();
    let (status, body) = readiness(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(failing_checks(&body), ["migrations", "shutdown"]);
    assert_eq!(body["failing"][1]["message"], "Máy chủ đang dừng");
    // Liveness is another question: the process is still healthy.
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);

    app.db.close_by_ref().await.expect("close");
    let (status, body) = readiness(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(failing_checks(&body), ["database", "shutdown"]);
}

#[tokio::test]
async fn metrics_count_requests_by_route_picks_by_outcome_events_and_open_sockets() {
    let app = spawn_app().await;
    let op = operator(&app, "tongdai01").await;
    let (_, winner) = sale(&app, "sale01").await;
    let (_, rival) = sale(&app, "sale02").await;
    let first = new_contact(&app, &op, "Phạm Minh Đức", "0911222333").await;
    let second = new_contact(&app, &op, "Võ Thị Hoa", "0911222444").await;
    let pick = |token: &str, id: i64| {
        let (app, token) = (&app, token.to_owned());
        async move {
            app.bearer(
                Method::POST,
                &format!("/api/contacts/{id}/pick"),
                &token,
                None,
            )
            .await
            .status()
        }
    };
    let (first, second) = (
        first["id"].as_i64().expect("id"),
        second["id"].as_i64().expect("id"),
    );
    assert_eq!(pick(&winner, first).await, StatusCode::OK);
    assert_eq!(pick(&rival, first).await, StatusCode::CONFLICT);
    assert_eq!(pick(&winner, second).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(pick(&rival, 999_999).await, StatusCode::NOT_FOUND);
    let socket = crate::ws::connect(&app, Some(&rival))
        .await
        .expect("socket");

    let response = app.get("/metrics").await;
    assert_eq!(response.status(), StatusCode::OK);
    let kind = response.headers()["content-type"].to_str().expect("type");
    assert!(kind.starts_with("application/openmetrics-text"), "{kind}");

    for (series, want) in [
        (r#"ankhang_picks_total{outcome="won"}"#, 1.0),
        (r#"ankhang_picks_total{outcome="lost"}"#, 1.0),
        (r#"ankhang_picks_total{outcome="refused"}"#, 2.0),
        (
            r#"ankhang_http_requests_total{method="POST",route="/api/contacts/{id}/pick",status="2xx"}"#,
            1.0,
        ),
        (
            r#"ankhang_http_requests_total{method="POST",route="/api/contacts/{id}/pick",status="4xx"}"#,
            3.0,
        ),
        (
            r#"ankhang_http_requests_total{method="POST",route="/api/contacts",status="2xx"}"#,
            2.0,
        ),
        (
            r#"ankhang_http_request_duration_seconds_count{route="/api/contacts/{id}/pick"}"#,
            4.0,
        ),
        ("ankhang_websocket_connections", 1.0),
        // Two contacts created, one picked.
        ("ankhang_events_published_total", 3.0),
    ] {
        assert_eq!(app.metric(series).await, Some(want), "{series}");
    }
    drop(socket);
}

#[tokio::test]
async fn metrics_are_for_loopback_scrapers_or_holders_of_the_token() {
    let open = spawn_app().await;
    assert_eq!(open.get("/metrics").await.status(), StatusCode::OK);
    // Through a reverse proxy every peer looks like loopback: forwarded requests are not.
    let proxied = open
        .client
        .get(open.url("/metrics"))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .expect("request");
    let (status, _) = error_of(proxied).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let guarded = spawn_app_with(Options {
        metrics_token: Some("scrape-s3cret".into()),
        ..Options::default()
    })
    .await;
    let (status, body) = error_of(guarded.get("/metrics").await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "metrics_token_required");
    let wrong = guarded
        .bearer(Method::GET, "/metrics", "scrape-s3cre", None)
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let right = guarded
        .bearer(Method::GET, "/metrics", "scrape-s3cret", None)
        .await;
    assert_eq!(right.status(), StatusCode::OK);
    assert!(
        right
            .text()
            .await
            .expect("text")
            .contains("ankhang_http_requests_total")
    );
}

#[tokio::test]
async fn a_burst_of_server_errors_sends_one_alert_and_the_next_one_summarises_the_rest() {
    let hook = WebhookFake::start().await;
    let app = spawn_app_with(Options {
        monitor_webhook_url: Some(hook.url.clone()),
        ..Options::default()
    })
    .await;
    let token = app.admin_token().await;
    // The audit table vanishes under the running server (a botched manual change).
    app.execute("ALTER TABLE audit_log RENAME TO audit_log_gone")
        .await;
    let search = "/api/audit?q=Nguy%E1%BB%85n%20V%C4%83n%20An";
    let mut first_error_id = None;
    for _ in 0..20 {
        let response = app.bearer(Method::GET, search, &token, None).await;
        let id = response.headers()["x-error-id"]
            .to_str()
            .expect("id")
            .to_owned();
        first_error_id.get_or_insert(id);
        let (status, body) = error_of(response).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body["error"], "internal");
    }
    wait_for_metric(
        &app,
        r#"ankhang_monitor_alerts_total{outcome="suppressed"}"#,
        19.0,
    )
    .await;
    let texts = hook.wait_for(1).await;
    assert_eq!(texts.len(), 1, "one message for the burst: {texts:?}");
    let first = &texts[0];
    let node = hostname::get().expect("host").into_string().expect("utf-8");
    for part in [
        "lỗi máy chủ 500 tại GET /api/audit".to_owned(),
        format!("• Máy chủ: {node}"),
        "• Thời điểm: 23/01/2026 15:00:00 (giờ Việt Nam)".to_owned(),
        format!("• Mã lỗi: {}", first_error_id.expect("an id")),
    ] {
        assert!(first.contains(&part), "{part} missing from {first}");
    }
    // Route templates only: no query, no personal data, no credentials.
    for secret in ["Nguy", "q=", &token] {
        assert!(!first.contains(secret), "{first}");
    }

    // A minute on, the same failure is reported again with what was held back.
    app.clock.advance(Span::seconds(61));
    let response = app.bearer(Method::GET, search, &token, None).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let texts = hook.wait_for(2).await;
    assert_eq!(texts.len(), 2);
    assert!(
        texts[1].contains("… và 19 lỗi tương tự bị gộp"),
        "{}",
        texts[1]
    );
    assert!(texts[1].contains("15:01:01"), "{}", texts[1]);
    wait_for_metric(&app, r#"ankhang_monitor_alerts_total{outcome="sent"}"#, 2.0).await;
    assert_eq!(
        app.metric(r#"ankhang_http_requests_total{method="GET",route="/api/audit",status="5xx"}"#)
            .await,
        Some(21.0)
    );
}

#[tokio::test]
async fn a_failed_scheduled_backup_is_counted_and_alerted() {
    // Scheduled backups copy SQLite's file; on MySQL/PostgreSQL the server does not run them.
    if crate::helpers::database::skip_unless_sqlite("the scheduled backup of the database file") {
        return;
    }
    let hook = WebhookFake::start().await;
    let app = spawn_app_with(Options {
        monitor_webhook_url: Some(hook.url.clone()),
        backup: Some(BackupConfig {
            interval: Some(Duration::from_millis(300)),
            keep: 3,
            offsite_dir: None,
        }),
        ..Options::default()
    })
    .await;
    // Something that is not a folder sits where the backups go.
    std::fs::write(app.dir.path().join("data/backups"), b"not a folder").expect("block");

    let texts = hook.wait_for(1).await;
    let text = &texts[0];
    assert!(
        text.starts_with("⚠️ AnKhangCRM: tác vụ nền \"backup\" thất bại"),
        "{text}"
    );
    assert!(text.contains("Không tạo được thư mục"), "{text}");
    let failures = app
        .metric(r#"ankhang_background_job_failures_total{job="backup"}"#)
        .await
        .expect("counted");
    assert!(failures >= 1.0);
    assert_eq!(
        app.count("audit_log WHERE action = 'system.backup_created'")
            .await,
        0
    );
}
