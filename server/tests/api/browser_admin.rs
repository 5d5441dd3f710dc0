//! Admin screens in headless Chromium: the permission matrix drives what an employee
//! sees and may do.

use std::time::Duration;

use fantoccini::{Client, Locator};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::browser::{app_with_bundle, browser, click, fill, sign_in, text_of, wait_for_path};

async fn wait_gone(client: &Client, css: &str) {
    for _ in 0..100 {
        if client.find(Locator::Css(css)).await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} is still shown");
}

#[tokio::test]
async fn a_cloned_role_without_one_permission_hides_that_screen_and_the_api_refuses_it() {
    let app = app_with_bundle().await;
    let browser = browser().await;
    let client = &browser.client;
    sign_in(client, &app, "admin", crate::helpers::ADMIN_PASSWORD).await;

    client.goto(&app.url("/roles")).await.expect("roles");
    click(client, "button[data-clone-role=\"Super Admin\"]").await;
    fill(client, "clone-role-name", "Quản lý chi nhánh").await;
    click(client, "#clone-role-submit").await;
    let cell = "input[data-role-name=\"Quản lý chi nhánh\"][data-permission=\"users.manage\"]";
    click(client, cell).await;
    click(client, "#matrix-save").await;
    text_of(client, "#matrix-result").await;
    let roles: Vec<serde_json::Value> = app
        .bearer(Method::GET, "/api/roles", &app.admin_token().await, None)
        .await
        .json()
        .await
        .expect("roles");
    let branch = roles
        .iter()
        .find(|r| r["name"] == "Quản lý chi nhánh")
        .expect("cloned role");
    let perms = branch["permissions"].as_array().expect("perms");
    assert!(
        !perms.contains(&json!("users.manage")),
        "unticked and saved"
    );
    assert!(perms.contains(&json!("teams.manage")));

    client.goto(&app.url("/employees/new")).await.expect("form");
    fill(client, "employee-username", "chinhanh01").await;
    fill(client, "employee-password", "Chinhanh1").await;
    fill(client, "employee-full-name", "Phạm Chi Nhánh").await;
    click(client, "input[data-role-option=\"Quản lý chi nhánh\"]").await;
    click(client, "#employee-submit").await;
    wait_gone(client, "#employee-submit").await;

    click(client, "#logout").await;
    wait_for_path(client, "/login").await;
    sign_in(client, &app, "chinhanh01", "Chinhanh1").await;
    text_of(client, "[data-nav=\"teams\"]").await;
    assert!(
        client
            .find(Locator::Css("[data-nav=\"employees\"]"))
            .await
            .is_err(),
        "no users.manage: no Nhân viên entry"
    );
    let token = app.token_for("chinhanh01", "Chinhanh1").await;
    let refused = app
        .bearer(Method::GET, "/api/users", &token, None)
        .await
        .status();
    assert_eq!(refused, StatusCode::FORBIDDEN);
    let _ = browser.client.clone().close().await;
}
