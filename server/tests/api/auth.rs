use chrono::Duration;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, ADMIN_USER, error_of, spawn_app};

#[tokio::test]
async fn login_returns_token_user_and_an_httponly_strict_cookie() {
    let app = spawn_app().await;
    let response = app.login(ADMIN_USER, ADMIN_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("cookie")
        .to_owned();
    assert!(cookie.starts_with("ankhang_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert!(
        !cookie.contains("Max-Age"),
        "no remember-me: a session cookie"
    );
    let body: Value = response.json().await.expect("json");
    assert!(body["token"].as_str().is_some_and(|t| t.len() >= 40));
    assert_eq!(body["user"]["username"], "admin");
    assert_eq!(body["user"]["roles"], json!(["Super Admin"]));
    assert!(
        body["user"]["permissions"]
            .as_array()
            .expect("permissions")
            .contains(&json!("users.manage"))
    );

    let me: Value = app.get("/api/me").await.json().await.expect("me");
    assert_eq!(me["full_name"], "Quản Trị Viên");
}

#[tokio::test]
async fn the_token_works_as_bearer_and_is_stored_only_hashed() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let response = app.bearer(Method::GET, "/api/me", &token, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let stored = entities::session::Entity::find()
        .filter(entities::session::Column::TokenHash.eq(token.clone()))
        .one(&app.db)
        .await
        .expect("query");
    assert!(
        stored.is_none(),
        "the raw token must not be in the database"
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_vietnamese_401() {
    let app = spawn_app().await;
    let (status, wrong) = error_of(app.login(ADMIN_USER, "Wrong12345").await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong["error"], "invalid_credentials");
    assert_eq!(wrong["message"], "Tên đăng nhập hoặc mật khẩu không đúng");
    let (_, unknown) = error_of(app.login("nobody", "Wrong12345").await).await;
    assert_eq!(unknown, wrong);
}

#[tokio::test]
async fn five_failures_per_minute_for_a_username_then_429_with_retry_after() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(
            app.login(ADMIN_USER, "Wrong12345").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let response = app.login(ADMIN_USER, ADMIN_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&retry));
    let (_, body) = error_of(response).await;
    assert_eq!(body["error"], "too_many_attempts");

    app.clock.advance(Duration::seconds(61));
    assert_eq!(
        app.login(ADMIN_USER, ADMIN_PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn five_failures_from_one_ip_block_other_usernames_too() {
    let app = spawn_app().await;
    for i in 0..5 {
        app.login(&format!("guess{i}"), "Wrong12345").await;
    }
    assert_eq!(
        app.login(ADMIN_USER, ADMIN_PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn logout_kills_the_session_server_side() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let response = app
        .bearer(Method::POST, "/api/auth/logout", &token, None)
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (status, body) = error_of(app.bearer(Method::GET, "/api/me", &token, None).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "unauthenticated");
}

#[tokio::test]
async fn cookie_logout_clears_the_cookie() {
    let app = spawn_app().await;
    app.login(ADMIN_USER, ADMIN_PASSWORD).await;
    let response = app.post("/api/auth/logout", &json!({})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(
        response
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.contains("Max-Age=0"))
    );
    assert_eq!(app.get("/api/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sessions_expire_after_three_idle_days_but_activity_slides_them() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    for _ in 0..3 {
        app.clock.advance(Duration::days(2));
        let response = app.bearer(Method::GET, "/api/me", &token, None).await;
        assert_eq!(response.status(), StatusCode::OK, "activity keeps it alive");
    }
    app.clock.advance(Duration::days(3) + Duration::seconds(1));
    let (status, body) = error_of(app.bearer(Method::GET, "/api/me", &token, None).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "session_expired");
}

#[tokio::test]
async fn remember_me_lasts_thirty_days() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/api/auth/login",
            &json!({"username": ADMIN_USER, "password": ADMIN_PASSWORD, "remember_me": true}),
        )
        .await;
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("cookie")
        .to_owned();
    assert!(cookie.contains("Max-Age=2592000"));
    let token = response.json::<Value>().await.expect("json")["token"]
        .as_str()
        .expect("token")
        .to_owned();
    app.clock.advance(Duration::days(29));
    assert_eq!(
        app.bearer(Method::GET, "/api/me", &token, None)
            .await
            .status(),
        StatusCode::OK
    );
    app.clock.advance(Duration::days(30) + Duration::seconds(1));
    assert_eq!(
        app.bearer(Method::GET, "/api/me", &token, None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_user_can_list_and_sign_out_their_other_sessions() {
    let app = spawn_app().await;
    let other = app.admin_token().await;
    app.login(ADMIN_USER, ADMIN_PASSWORD).await;
    let sessions: Vec<Value> = app
        .get("/api/me/sessions")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(sessions.len(), 2);
    let theirs = sessions
        .iter()
        .find(|s| s["current"] == false)
        .and_then(|s| s["id"].as_i64())
        .expect("other session");
    let response = app
        .client
        .delete(app.url(&format!("/api/me/sessions/{theirs}")))
        .header(header::ORIGIN, &app.base)
        .send()
        .await
        .expect("delete");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.bearer(Method::GET, "/api/me", &other, None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.get("/api/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_locked_account_cannot_log_in_and_its_sessions_stop_working() {
    let app = spawn_app().await;
    app.create_user("sale01", "Sale12345", "Sale").await;
    let token = app.token_for("sale01", "Sale12345").await;
    app.execute("UPDATE users SET status = 'locked' WHERE username = 'sale01'")
        .await;
    let (status, body) = error_of(app.bearer(Method::GET, "/api/me", &token, None).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "account_locked");
    let (_, body) = error_of(app.login("sale01", "Sale12345").await).await;
    assert_eq!(body["error"], "account_locked");
}
