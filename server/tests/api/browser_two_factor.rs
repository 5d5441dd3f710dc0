//! Two-factor authentication in the real client: enrol on the profile page, then sign
//! in with the code.

use chrono::Duration;
use fantoccini::Locator;

use crate::browser::{
    app_with_bundle, browser, click, fill, sign_in, text_of, wait_for_path, wait_for_text,
};
use crate::two_factor::code_at;

#[tokio::test]
async fn a_user_enrols_on_the_profile_page_and_then_signs_in_with_the_code() {
    let app = app_with_bundle().await;
    app.create_user("sale01", "Sale12345", "Sale").await;
    let browser = browser().await;
    let client = &browser.client;
    sign_in(client, &app, "sale01", "Sale12345").await;

    client.goto(&app.url("/profile")).await.expect("profile");
    assert_eq!(text_of(client, "#two-factor-status").await, "Đang tắt");
    click(client, "#two-factor-setup").await;
    // The manual key, as a user would type it into the app (spaces only group it).
    let secret: String = text_of(client, "#two-factor-secret")
        .await
        .split_whitespace()
        .collect();
    let qr = client
        .find(Locator::Id("two-factor-qr"))
        .await
        .expect("qr")
        .attr("src")
        .await
        .expect("src")
        .unwrap_or_default();
    assert!(qr.starts_with("data:image/svg+xml"), "{qr}");

    fill(client, "two-factor-code", "000000").await;
    click(client, "#two-factor-enable").await;
    let error = text_of(client, "#two-factor-code-error").await;
    assert!(error.contains("Mã xác thực"), "shown: {error}");

    fill(
        client,
        "two-factor-code",
        &code_at(&secret, app.clock_now()),
    )
    .await;
    click(client, "#two-factor-enable").await;
    text_of(client, "#recovery-codes").await;
    let codes = client
        .find_all(Locator::Css("#recovery-codes .recovery-code"))
        .await
        .expect("codes");
    assert_eq!(codes.len(), 10);
    click(client, "#recovery-codes-done").await;
    wait_for_text(client, "#two-factor-status", "Đang bật").await;

    // The confirming code's step is spent: sign in a step later.
    app.clock.advance(Duration::seconds(30));
    click(client, "#logout").await;
    wait_for_path(client, "/login").await;
    fill(client, "username", "sale01").await;
    fill(client, "password", "Sale12345").await;
    click(client, "#login-submit").await;
    fill(client, "totp-code", "111111").await;
    click(client, "#two-factor-submit").await;
    let error = text_of(client, "#login-error").await;
    assert!(error.contains("Mã xác thực"), "shown: {error}");
    fill(client, "totp-code", &code_at(&secret, app.clock_now())).await;
    click(client, "#two-factor-submit").await;
    assert_eq!(text_of(client, "#current-user").await, "Nhân viên sale01");
    let _ = browser.client.clone().close().await;
}

#[tokio::test]
async fn a_user_whose_role_demands_two_factor_is_kept_on_the_profile_until_enrolled() {
    let app = app_with_bundle().await;
    app.create_user("sale01", "Sale12345", "Sale").await;
    let admin = app.admin_token().await;
    let role = app.role_id("Sale").await;
    let roles: serde_json::Value = app
        .bearer(reqwest::Method::GET, "/api/roles", &admin, None)
        .await
        .json()
        .await
        .expect("roles");
    let sale = roles
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["id"] == role)
        .expect("Sale")
        .clone();
    let body = serde_json::json!({
        "name": sale["name"],
        "permissions": sale["permissions"],
        "require_two_factor": true,
    });
    let response = app
        .bearer(
            reqwest::Method::PUT,
            &format!("/api/roles/{role}"),
            &admin,
            Some(&body),
        )
        .await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);

    let browser = browser().await;
    let client = &browser.client;
    sign_in(client, &app, "sale01", "Sale12345").await;
    wait_for_path(client, "/profile").await;
    let banner = text_of(client, "#two-factor-required-banner").await;
    assert!(
        banner.contains("bắt buộc xác thực hai lớp"),
        "shown: {banner}"
    );
    client.goto(&app.url("/contacts")).await.expect("contacts");
    wait_for_path(client, "/profile").await;

    click(client, "#two-factor-setup").await;
    let secret: String = text_of(client, "#two-factor-secret")
        .await
        .split_whitespace()
        .collect();
    fill(
        client,
        "two-factor-code",
        &code_at(&secret, app.clock_now()),
    )
    .await;
    click(client, "#two-factor-enable").await;
    click(client, "#recovery-codes-done").await;
    wait_for_text(client, "#two-factor-status", "Đang bật").await;
    assert!(
        client
            .find(Locator::Id("two-factor-disable"))
            .await
            .is_err(),
        "the role keeps 2FA on: no way to switch it off"
    );
    client.goto(&app.url("/contacts")).await.expect("contacts");
    wait_for_path(client, "/contacts").await;
    let _ = browser.client.clone().close().await;
}
