//! Web Push opt-in in the real client. Headless Chromium has no push service to
//! subscribe with, so this checks what the browser can show without one: the card
//! follows the browser's real permission state, and `/sw.js` registers with the whole
//! app as its scope.

use serde_json::Value;

use crate::browser::{app_with_bundle, browser, sign_in, text_of, wait_for_text};

#[tokio::test]
async fn the_profile_shows_the_browsers_real_push_state_and_the_service_worker_covers_the_app() {
    let app = app_with_bundle().await;
    app.create_user("sale01", "Sale12345", "Sale").await;
    let browser = browser().await;
    let client = &browser.client;
    sign_in(client, &app, "sale01", "Sale12345").await;
    client.goto(&app.url("/profile")).await.expect("profile");

    assert_eq!(
        text_of(client, "#push-card .card-title span").await,
        "Thông báo trên trình duyệt"
    );
    let permission = client
        .execute("return Notification.permission;", vec![])
        .await
        .expect("permission");
    match permission.as_str() {
        Some("denied") => {
            assert!(text_of(client, "#push-denied").await.contains("đã chặn"));
        }
        _ => {
            wait_for_text(client, "#push-status", "Đang tắt trên trình duyệt này").await;
            wait_for_text(client, "#push-toggle", "Bật thông báo").await;
        }
    }

    let scope: Value = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             navigator.serviceWorker.register('/sw.js')
               .then(r => done(r.scope), e => done('error: ' + e));",
            vec![],
        )
        .await
        .expect("register");
    assert_eq!(scope.as_str(), Some(app.url("/").as_str()));
}
