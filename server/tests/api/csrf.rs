use reqwest::{StatusCode, header};
use serde_json::json;

use crate::helpers::{ADMIN_PASSWORD, ADMIN_USER, error_of, spawn_app};

const CHANGE: &str = "/api/me/password";

fn change_body() -> serde_json::Value {
    json!({"current_password": ADMIN_PASSWORD, "new_password": "Other12345"})
}

#[tokio::test]
async fn cookie_write_from_another_origin_is_rejected() {
    let app = spawn_app().await;
    app.login(ADMIN_USER, ADMIN_PASSWORD).await;
    let response = app
        .client
        .post(app.url(CHANGE))
        .header(header::ORIGIN, "https://evil.example")
        .json(&change_body())
        .send()
        .await
        .expect("request");
    let (status, body) = error_of(response).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "csrf_rejected");
    assert_eq!(
        app.login(ADMIN_USER, ADMIN_PASSWORD).await.status(),
        StatusCode::OK,
        "the password did not change"
    );
}

#[tokio::test]
async fn cookie_write_without_origin_or_referer_is_rejected() {
    let app = spawn_app().await;
    app.login(ADMIN_USER, ADMIN_PASSWORD).await;
    let response = app
        .client
        .post(app.url(CHANGE))
        .json(&change_body())
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn same_origin_referer_is_accepted_when_origin_is_absent() {
    let app = spawn_app().await;
    app.login(ADMIN_USER, ADMIN_PASSWORD).await;
    let response = app
        .client
        .post(app.url(CHANGE))
        .header(header::REFERER, app.url("/profile"))
        .json(&change_body())
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn bearer_clients_are_not_subject_to_the_origin_check() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let response = reqwest::Client::new()
        .post(app.url(CHANGE))
        .bearer_auth(token)
        .header(header::ORIGIN, "https://mobile-app.example")
        .json(&change_body())
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn login_from_a_foreign_page_is_rejected() {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .header(header::ORIGIN, "https://evil.example")
        .json(&json!({"username": ADMIN_USER, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
