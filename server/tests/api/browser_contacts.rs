//! The lead's journey in headless Chromium: operator → Sale → customer care.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::{
    browser::{app_with_bundle, browser, click, fill, sign_in, text_of, wait_for_path},
    contacts::service_type_id,
};

async fn select(client: &Client, id: &str, value: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id} never appeared: {e}"))
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("cannot select {value} in #{id}: {e}"));
}

async fn sign_out(client: &Client) {
    click(client, "#logout").await;
    wait_for_path(client, "/login").await;
}

async fn fill_contact_form(client: &Client, app: &crate::helpers::TestApp, service_type: i64) {
    client.goto(&app.url("/contacts/new")).await.expect("form");
    fill(client, "contact-full-name", "Nguyễn Thị Hồng").await;
    fill(client, "contact-phone", "0912 888 777").await;
    select(client, "contact-service-type", &service_type.to_string()).await;
    select(client, "contact-source", "ladi_zalo").await;
    fill(client, "contact-note", "Muốn thành lập công ty TNHH").await;
}

#[tokio::test]
async fn an_operators_lead_is_picked_by_a_sale_fails_and_reaches_customer_care() {
    let app = app_with_bundle().await;
    app.create_user("tongdai01", "Op123456", "Tổng Đài").await;
    app.create_user("sale01", "Sale12345", "Sale").await;
    app.create_user("cskh01", "Cskh12345", "CSKH").await;
    let tldn = service_type_id(&app, "TLDN").await;
    let browser = browser().await;
    let client = &browser.client;

    sign_in(client, &app, "tongdai01", "Op123456").await;
    fill_contact_form(client, &app, tldn).await;
    click(client, "#contact-submit").await;
    let code = text_of(client, "[data-contact-header-code]").await;
    assert_eq!(code, "KH2026-001");

    // A second try with the same phone warns and links to the existing contact.
    fill_contact_form(client, &app, tldn).await;
    click(client, "#contact-submit").await;
    let warning = text_of(client, "#duplicate-warning").await;
    assert!(warning.contains("KH2026-001"), "shown: {warning}");
    assert_eq!(
        app.count("contacts").await,
        1,
        "nothing created without confirmation"
    );
    sign_out(client).await;

    sign_in(client, &app, "sale01", "Sale12345").await;
    client.goto(&app.url("/contacts")).await.expect("list");
    click(client, "button[data-pick=\"KH2026-001\"]").await;
    let result = text_of(client, "#pick-result").await;
    assert!(result.contains("KH2026-001"), "shown: {result}");
    let row = text_of(client, "tr[data-contact-code=\"KH2026-001\"]").await;
    assert!(row.contains("0912888777"), "unmasked after the pick: {row}");
    click(client, "tr[data-contact-code=\"KH2026-001\"] a").await;
    click(client, "button[data-move=\"failed\"]").await;
    let moved = text_of(client, "#status-result").await;
    assert!(moved.contains("Thất bại"), "shown: {moved}");
    sign_out(client).await;

    sign_in(client, &app, "cskh01", "Cskh12345").await;
    client.goto(&app.url("/care")).await.expect("queue");
    let queued = text_of(client, "tr[data-contact-code=\"KH2026-001\"]").await;
    assert!(queued.contains("Nguyễn Thị Hồng"), "in the queue: {queued}");
    let _ = browser.client.clone().close().await;
}
