use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{error_of, spawn_app};

#[tokio::test]
async fn malformed_json_is_a_400_in_the_error_shape() {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body("{\"username\": \"admin\", ")
        .send()
        .await
        .expect("request");
    let (status, body) = error_of(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "malformed_json");
}

#[tokio::test]
async fn missing_and_mistyped_fields_are_named_in_vietnamese() {
    let app = spawn_app().await;
    let (status, body) = error_of(
        app.post("/api/auth/login", &json!({"username": "admin"}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "password");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("Thiếu trường"))
    );

    let (status, body) = error_of(
        app.post("/api/auth/login", &json!({"username": 42, "password": "x"}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "username");
}

#[tokio::test]
async fn a_non_json_body_is_refused() {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .header("content-type", "text/plain")
        .body("username=admin")
        .send()
        .await
        .expect("request");
    let (status, body) = error_of(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_content_type");
}

#[tokio::test]
async fn bad_user_fields_are_refused_without_writing_anything() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let users_before = app.count("users").await;
    let audit_before = app.count("audit_log").await;
    let role = app.role_id("Sale").await;
    let base = json!({
        "username": "sale02", "password": "Sale12345", "full_name": "Trần Thị B",
        "email": "b@ankhang.vn", "role_ids": [role]
    });
    let cases = [
        ("username", json!("x".repeat(200))),
        ("username", json!("nguyễn văn")),
        ("full_name", json!("Trần\u{0000}Thị")),
        ("full_name", json!("ắ".repeat(500))),
        ("full_name", json!("   ")),
        ("email", json!("not-an-email")),
        ("password", json!("12345678")),
        ("role_ids", json!([])),
        ("role_ids", json!([9999])),
        ("role_ids", json!("Sale")),
    ];
    for (field, value) in cases {
        let mut body = base.clone();
        body[field] = value.clone();
        let response = app
            .bearer(Method::POST, "/api/users", &token, Some(&body))
            .await;
        let (status, error) = error_of(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}");
        assert_eq!(error["field"], field, "{field}={value}: {error}");
    }
    assert_eq!(app.count("users").await, users_before);
    // Logins of this test add audit entries; user creation must add none.
    let logins = app.count("audit_log").await - audit_before;
    let created: i64 = {
        let page: serde_json::Value = app
            .bearer(Method::GET, "/api/audit?action=users.created", &token, None)
            .await
            .json()
            .await
            .expect("json");
        page["total"].as_i64().expect("total")
    };
    assert!(logins >= 1);
    assert_eq!(created, 1, "only the admin's own creation is recorded");
}

#[tokio::test]
async fn a_duplicate_username_is_a_409_naming_the_field() {
    let app = spawn_app().await;
    app.create_user("sale03", "Sale12345", "Sale").await;
    let token = app.admin_token().await;
    let role = app.role_id("Sale").await;
    let (status, body) = error_of(
        app.bearer(
            Method::POST,
            "/api/users",
            &token,
            Some(&json!({
                "username": "SALE03", "password": "Sale12345", "full_name": "X",
                "role_ids": [role]
            })),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["field"], "username");
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let app = spawn_app().await;
    let huge = "a".repeat(2 * 1024 * 1024);
    let response = app
        .post(
            "/api/auth/login",
            &json!({"username": huge, "password": "x"}),
        )
        .await;
    let (status, _) = error_of(response).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn bad_query_and_path_parameters_answer_in_the_error_shape() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let (status, body) = error_of(
        app.bearer(Method::GET, "/api/contacts?page=abc", &token, None)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "page");
    assert_eq!(body["message"], "Tham số \"page\" không hợp lệ");
    let (status, _) = error_of(
        app.bearer(Method::GET, "/api/contacts/abc", &token, None)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = error_of(
        app.bearer(Method::GET, "/api/audit?from=yesterday", &token, None)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "from");
}
