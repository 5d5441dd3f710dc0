use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{ADMIN_PASSWORD, ADMIN_USER, spawn_app};

async fn audit(app: &crate::helpers::TestApp, token: &str, query: &str) -> Value {
    let response = app
        .bearer(Method::GET, &format!("/api/audit{query}"), token, None)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json")
}

#[tokio::test]
async fn auth_events_are_recorded_with_actor_ip_and_device() {
    let app = spawn_app().await;
    app.login(ADMIN_USER, "Wrong12345").await;
    let token = app.admin_token().await;
    app.bearer(
        Method::POST,
        "/api/auth/logout",
        &app.admin_token().await,
        None,
    )
    .await;

    let failed = audit(&app, &token, "?action=auth.login_failed").await;
    assert_eq!(failed["total"], 1);
    let entry = &failed["items"][0];
    assert_eq!(entry["ip"], "127.0.0.1");
    assert_eq!(entry["after"]["username"], "admin");
    assert!(entry["actor_id"].is_null());

    let logins = audit(&app, &token, "?action=auth.login").await;
    assert_eq!(logins["total"], 2);
    assert_eq!(logins["items"][0]["actor_name"], "Quản Trị Viên");
    assert_eq!(audit(&app, &token, "?action=auth.logout").await["total"], 1);
    let module = audit(&app, &token, "?action=auth.").await;
    assert_eq!(module["total"], 4);
    let text = audit(&app, &token, "?q=login_failed").await;
    assert_eq!(text["total"], 1);
}

#[tokio::test]
async fn the_chain_verifies_and_a_tampered_entry_is_pinpointed() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    app.login(ADMIN_USER, ADMIN_PASSWORD).await;
    app.login(ADMIN_USER, "Wrong12345").await;

    let ok: Value = app
        .bearer(Method::GET, "/api/audit/verify", &token, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(ok["ok"], true);
    let entries = ok["entries"].as_i64().expect("entries");
    assert!(entries >= 4);

    app.execute("UPDATE audit_log SET ip = '10.0.0.1' WHERE id = 2")
        .await;
    let bad: Value = app
        .bearer(Method::GET, "/api/audit/verify", &token, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(bad["ok"], false);
    assert_eq!(bad["first_bad_id"], 2);
}

#[tokio::test]
async fn deleting_the_newest_entry_is_detected() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    app.execute("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)")
        .await;
    let bad: Value = app
        .bearer(Method::GET, "/api/audit/verify", &token, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(bad["ok"], false);
}

#[tokio::test]
async fn concurrent_writers_keep_one_unbroken_chain() {
    let app = spawn_app().await;
    let logins = (0..12).map(|i| {
        let app = &app;
        async move {
            let password = if i % 3 == 0 {
                "Wrong12345"
            } else {
                ADMIN_PASSWORD
            };
            reqwest::Client::new()
                .post(app.url("/api/auth/login"))
                .json(&serde_json::json!({"username": ADMIN_USER, "password": password}))
                .send()
                .await
                .expect("login")
                .status()
        }
    });
    let statuses = futures_util::future::join_all(logins).await;
    assert!(
        statuses
            .iter()
            .all(|s| s.is_client_error() || s.is_success())
    );
    let token = app.admin_token().await;
    let result: Value = app
        .bearer(Method::GET, "/api/audit/verify", &token, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(result["ok"], true, "{result}");
    assert!(result["entries"].as_i64().expect("n") >= 14);
}
