//! The audit log screen in headless Chromium: filters, the before/after view, the
//! chain check catching a tampered entry.

use reqwest::Method;

use crate::{
    browser::{app_with_bundle, browser, click, fill, select, sign_in, text_of, wait_for_text},
    contacts::{new_contact, operator, sale},
    helpers::{ADMIN_PASSWORD, ADMIN_USER},
};

#[tokio::test]
async fn an_admin_filters_the_trail_reads_a_diff_and_the_chain_check_catches_tampering() {
    let app = app_with_bundle().await;
    let op = operator(&app, "tongdai01").await;
    let (_, sale_token) = sale(&app, "sale01").await;
    let contact = new_contact(&app, &op, "Đỗ Thị Hoa", "0918000123").await;
    let id = contact["id"].as_i64().expect("id");
    app.bearer(
        Method::POST,
        &format!("/api/contacts/{id}/pick"),
        &sale_token,
        None,
    )
    .await;

    let browser = browser().await;
    let client = &browser.client;
    sign_in(client, &app, ADMIN_USER, ADMIN_PASSWORD).await;
    click(client, "[data-nav=audit]").await;
    text_of(client, "#audit-table").await;

    select(client, "audit-module", "contacts").await;
    wait_for_text(client, "#audit-count", "2 mục").await;
    select(client, "audit-action", "contacts.picked").await;
    wait_for_text(client, "#audit-count", "1 mục").await;
    let row = "tbody[data-audit-action='contacts.picked']";
    click(client, &format!("{row} button.audit-toggle")).await;
    let status = format!("{row} tr.diff-changed[data-field=status]");
    assert_eq!(
        text_of(client, &format!("{status} .diff-before")).await,
        "Mới"
    );
    assert_eq!(
        text_of(client, &format!("{status} .diff-after")).await,
        "Đang tư vấn"
    );
    // The pick wrote the Sale's name as actor, from the test's loopback address.
    assert!(text_of(client, row).await.contains("127.0.0.1"));

    // Free text without diacritics, after clearing the filters.
    click(client, "#audit-clear").await;
    fill(client, "audit-search", "tao khach").await;
    wait_for_text(client, "#audit-count", "1 mục").await;

    click(client, "#audit-verify").await;
    assert!(
        text_of(client, "#audit-verify-ok")
            .await
            .contains("nguyên vẹn")
    );
    app.execute("UPDATE audit_log SET ip = '10.9.9.9' WHERE id = 3")
        .await;
    click(client, "#audit-verify").await;
    let broken = text_of(client, "#audit-verify-broken").await;
    assert!(broken.contains("mục #3"), "{broken}");
}
