//! Customer channels in the rules builder, in headless Chromium: with Zalo OA set up
//! (and Messenger not), the admin ticks "Zalo (ZNS) tới khách hàng", picks a ZNS
//! template, maps its parameters to placeholders or fixed text while the preview fills
//! them for the sample contact, saves, and finds the rule listed with that channel.

use fantoccini::Locator;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    browser::{browser, click, fill, select, sign_in, text_of, wait_for_path, wait_for_text},
    helpers::{ADMIN_PASSWORD, ADMIN_USER, Options, spawn_app_with, web_bundle, zalo::ZaloFake},
};

#[tokio::test]
async fn an_admin_builds_a_rule_sending_a_zns_with_mapped_parameters_to_the_customer() {
    let fake = ZaloFake::start().await;
    let app = spawn_app_with(Options {
        web_dir: Some(web_bundle()),
        zalo: Some(fake.config()),
        ..Options::default()
    })
    .await;
    let admin = app.admin_token().await;
    let response = app
        .bearer(
            Method::POST,
            "/api/zalo/templates",
            &admin,
            Some(&json!({
                "zalo_template_id": "231677",
                "name": "Chào mừng khách hàng mới",
                "params": [
                    { "name": "customer_name", "sample": "Nguyễn Văn A" },
                    { "name": "contact_code", "sample": "KH2026-001" },
                    { "name": "hotline", "sample": "1900 6868" }
                ]
            })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let template = response.json::<Value>().await.expect("json")["id"]
        .as_i64()
        .expect("id");

    let browser = browser().await;
    let client = &browser.client;
    sign_in(client, &app, ADMIN_USER, ADMIN_PASSWORD).await;
    client
        .goto(&app.url("/notification-rules/new"))
        .await
        .expect("rule form");
    fill(client, "rule-name", "Chào khách mới qua Zalo").await;
    select(client, "rule-trigger", "contact.created").await;
    let channels = text_of(client, "#rule-channels").await;
    assert!(channels.contains("Zalo (ZNS) tới khách hàng"), "{channels}");
    // Messenger is not set up on this server: not offered.
    assert!(
        client
            .find(Locator::Css("#rule-channels input[value=facebook]"))
            .await
            .is_err()
    );
    click(client, "#rule-channels input[value=in_app]").await;
    click(client, "#rule-channels input[value=zalo]").await;
    // Only the customer hears of it: staff texts become optional.
    text_of(client, "#rule-staff-optional").await;
    select(client, "rule-zalo-template", &template.to_string()).await;
    // Parameters start on the placeholder their name suggests; the rest is text.
    wait_for_text(
        client,
        "#rule-preview-zalo dd[data-param=customer_name]",
        "Nguyễn Văn An",
    )
    .await;
    wait_for_text(
        client,
        "#rule-preview-zalo dd[data-param=contact_code]",
        "KH2026-001",
    )
    .await;
    // The contact's code is replaced by the Sale's name, the hotline typed as text.
    select(client, "rule-zalo-param-contact_code", "sale.name").await;
    fill(client, "rule-zalo-param-hotline-text", "1900 6868").await;
    wait_for_text(
        client,
        "#rule-preview-zalo dd[data-param=contact_code]",
        "Trần Thị Bình",
    )
    .await;
    wait_for_text(
        client,
        "#rule-preview-zalo dd[data-param=hotline]",
        "1900 6868",
    )
    .await;
    click(client, "#rule-submit").await;
    wait_for_path(client, "/notification-rules").await;
    let row = text_of(client, "#rule-table tbody tr").await;
    assert!(row.contains("Chào khách mới qua Zalo"), "{row}");
    assert!(row.contains("Zalo (ZNS) tới khách hàng"), "{row}");

    let rules: Value = app
        .bearer(Method::GET, "/api/notification-rules", &admin, None)
        .await
        .json()
        .await
        .expect("rules");
    assert_eq!(rules[0]["channels"], json!(["zalo"]));
    assert_eq!(
        rules[0]["zalo"],
        json!({
            "template_id": template,
            "params": {
                "customer_name": "{{contact.name}}",
                "contact_code": "{{sale.name}}",
                "hotline": "1900 6868"
            }
        })
    );
}
