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
async fn a_sale_clone_without_contacts_view_hides_the_contacts_menu_and_the_api_refuses() {
    let app = app_with_bundle().await;
    let browser = browser().await;
    let client = &browser.client;
    sign_in(client, &app, "admin", crate::helpers::ADMIN_PASSWORD).await;

    client.goto(&app.url("/roles")).await.expect("roles");
    click(client, "button[data-clone-role=\"Sale\"]").await;
    fill(client, "clone-role-name", "Sale thử việc").await;
    click(client, "#clone-role-submit").await;
    let cell = "input[data-role-name=\"Sale thử việc\"][data-permission=\"contacts.view\"]";
    click(client, cell).await;
    click(client, "#matrix-save").await;
    text_of(client, "#matrix-result").await;
    let roles: Vec<serde_json::Value> = app
        .bearer(Method::GET, "/api/roles", &app.admin_token().await, None)
        .await
        .json()
        .await
        .expect("roles");
    let trainee = roles
        .iter()
        .find(|r| r["name"] == "Sale thử việc")
        .expect("cloned role");
    let perms = trainee["permissions"].as_array().expect("perms");
    assert!(
        !perms.contains(&json!("contacts.view")),
        "unticked and saved"
    );
    assert!(
        perms.contains(&json!("contacts.pick")),
        "the rest of Sale is kept"
    );

    client.goto(&app.url("/employees/new")).await.expect("form");
    fill(client, "employee-username", "thuviec01").await;
    fill(client, "employee-password", "Thuviec123").await;
    fill(client, "employee-full-name", "Phạm Thử Việc").await;
    click(client, "input[data-role-option=\"Sale thử việc\"]").await;
    click(client, "#employee-submit").await;
    wait_gone(client, "#employee-submit").await;

    click(client, "#logout").await;
    wait_for_path(client, "/login").await;
    sign_in(client, &app, "thuviec01", "Thuviec123").await;
    text_of(client, "[data-nav=\"profile\"]").await;
    assert!(
        client
            .find(Locator::Css("[data-nav=\"contacts\"]"))
            .await
            .is_err(),
        "no contacts.view: no Khách hàng entry"
    );
    let token = app.token_for("thuviec01", "Thuviec123").await;
    let refused = app
        .bearer(Method::GET, "/api/contacts", &token, None)
        .await
        .status();
    assert_eq!(refused, StatusCode::FORBIDDEN);
    let _ = browser.client.clone().close().await;
}
