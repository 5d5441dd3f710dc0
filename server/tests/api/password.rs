use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{
    ADMIN_PASSWORD, ADMIN_USER, error_of,
    smtp::{decoded, reset_token},
    spawn_app,
};

#[tokio::test]
async fn change_password_needs_the_current_one_and_signs_out_other_sessions() {
    let app = spawn_app().await;
    let other_device = app.admin_token().await;
    app.login(ADMIN_USER, ADMIN_PASSWORD).await;

    let (status, body) = error_of(
        app.post(
            "/api/me/password",
            &json!({"current_password": "Nope12345", "new_password": "NewPass123"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "current_password");

    let (_, body) = error_of(
        app.post(
            "/api/me/password",
            &json!({"current_password": ADMIN_PASSWORD, "new_password": "short"}),
        )
        .await,
    )
    .await;
    assert_eq!(body["field"], "new_password");
    assert_eq!(
        body["message"],
        "Mật khẩu phải có ít nhất 8 ký tự, gồm chữ và số"
    );

    let response = app
        .post(
            "/api/me/password",
            &json!({"current_password": ADMIN_PASSWORD, "new_password": "NewPass123"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.get("/api/me").await.status(),
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        app.bearer(Method::GET, "/api/me", &other_device, None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(ADMIN_USER, ADMIN_PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(ADMIN_USER, "NewPass123").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn reset_link_is_emailed_works_once_and_signs_out_everywhere() {
    let app = spawn_app().await;
    let old_session = app.admin_token().await;
    let response = app
        .post(
            "/api/auth/password/forgot",
            &json!({"login": "ADMIN@ankhang.test"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let message = app.smtp.wait_for(1).await.remove(0);
    assert!(message.contains("admin@ankhang.test"));
    assert!(decoded(&message).contains("http://ankhang.test/reset-password?token="));
    let token = reset_token(&message);

    let reset = json!({"token": token, "new_password": "Fresh12345"});
    let response = app.post("/api/auth/password/reset", &reset).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.login(ADMIN_USER, "Fresh12345").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.bearer(Method::GET, "/api/me", &old_session, None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    let again = json!({"token": token, "new_password": "Again12345"});
    let (status, body) = error_of(app.post("/api/auth/password/reset", &again).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_reset_token");
}

#[tokio::test]
async fn reset_link_expires_after_one_hour() {
    let app = spawn_app().await;
    app.post("/api/auth/password/forgot", &json!({"login": "admin"}))
        .await;
    let token = reset_token(&app.smtp.wait_for(1).await.remove(0));
    app.clock.advance(Duration::minutes(61));
    let (status, body) = error_of(
        app.post(
            "/api/auth/password/reset",
            &json!({"token": token, "new_password": "Fresh12345"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_reset_token");
    assert_eq!(
        app.login(ADMIN_USER, ADMIN_PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn forgot_password_answers_the_same_for_unknown_accounts_and_sends_nothing() {
    let app = spawn_app().await;
    let known: Value = app
        .post("/api/auth/password/forgot", &json!({"login": "admin"}))
        .await
        .json()
        .await
        .expect("json");
    let unknown_response = app
        .post(
            "/api/auth/password/forgot",
            &json!({"login": "ghost@nowhere.vn"}),
        )
        .await;
    assert_eq!(unknown_response.status(), StatusCode::OK);
    let unknown: Value = unknown_response.json().await.expect("json");
    assert_eq!(known, unknown);
    app.smtp.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        app.smtp.messages().len(),
        1,
        "only the real account got mail"
    );
}

#[tokio::test]
async fn a_forged_reset_token_is_refused() {
    let app = spawn_app().await;
    let (status, body) = error_of(
        app.post(
            "/api/auth/password/reset",
            &json!({"token": "forged", "new_password": "Fresh12345"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["field"], "token");
}
