//! Closing a contact in headless Chromium: the admin's catalogue and coupon screens,
//! the Sale's deal form with its live total, the deal's page and the deals list.

use std::time::Duration;

use chrono::Utc;
use fantoccini::{Client, Locator};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    browser::{
        app_with_bundle, browser, click, fill, select, sign_in, text_of, wait_for_path,
        wait_for_text,
    },
    contacts::{new_contact, operator, sale},
    helpers::{ADMIN_PASSWORD, ADMIN_USER, TestApp},
};

/// Date inputs take typed keys in the browser's locale; setting the value the way a
/// picker does is what the page sees either way.
async fn set_date(client: &Client, id: &str, day: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id} never appeared: {e}"));
    client
        .execute(
            "const input = document.getElementById(arguments[0]);
             input.value = arguments[1];
             input.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(id), json!(day)],
        )
        .await
        .unwrap_or_else(|e| panic!("cannot set #{id}: {e}"));
}

async fn sign_out(client: &Client) {
    click(client, "#logout").await;
    wait_for_path(client, "/login").await;
}

async fn id_of(app: &TestApp, token: &str, path: &str, code: &str) -> i64 {
    let all: Vec<Value> = app
        .bearer(Method::GET, path, token, None)
        .await
        .json()
        .await
        .expect("list");
    all.iter()
        .find(|item| item["code"] == code)
        .and_then(|item| item["id"].as_i64())
        .unwrap_or_else(|| panic!("{code} not in {path}"))
}

#[tokio::test]
async fn a_sale_closes_a_contact_and_the_form_the_deal_and_the_list_agree_on_the_total() {
    let app = app_with_bundle().await;
    // The page defaults its dates to the browser's today; the server must agree on it.
    app.clock.advance(Utc::now() - app.clock_now());
    let expires = (app.clock_now() + chrono::Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (_, sale_token) = sale(&app, "sale01").await;
    let response = app
        .bearer(
            Method::POST,
            "/api/products",
            &admin,
            Some(&json!({
                "code": "KTDN", "name": "Kế toán doanh nghiệp",
                "base_price": 3_000_000, "min_price": 2_500_000
            })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let contact = new_contact(&app, &op, "Nguyễn Văn Chốt", "0912000123").await;
    let contact_id = contact["id"].as_i64().expect("id");
    let picked = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{contact_id}/pick"),
            &sale_token,
            None,
        )
        .await;
    assert_eq!(picked.status(), StatusCode::OK);

    let browser = browser().await;
    let client = &browser.client;

    // The admin adds a product and a coupon for sale01 through their screens.
    sign_in(client, &app, ADMIN_USER, ADMIN_PASSWORD).await;
    client.goto(&app.url("/products")).await.expect("products");
    click(client, "#product-new").await;
    fill(client, "product-code", "tldn").await;
    fill(client, "product-name", "Thành lập doanh nghiệp").await;
    fill(client, "product-base-price", "1.500.000").await;
    click(client, "#product-submit").await;
    let row = text_of(client, "tr[data-product=\"TLDN\"]").await;
    assert!(row.contains("1.500.000 ₫"), "shown: {row}");
    client.goto(&app.url("/coupons/new")).await.expect("coupon");
    fill(client, "coupon-code", "giam10").await;
    fill(client, "coupon-value", "10").await;
    set_date(client, "coupon-expires", &expires).await;
    click(client, "input[data-assignee=\"sale01\"]").await;
    click(client, "#coupon-submit").await;
    let row = text_of(client, "tr[data-coupon=\"GIAM10\"]").await;
    assert!(
        row.contains("10%") && row.contains("Nhân viên sale01"),
        "shown: {row}"
    );
    sign_out(client).await;
    let tldn = id_of(&app, &admin, "/api/products", "TLDN").await;
    let ktdn = id_of(&app, &admin, "/api/products", "KTDN").await;

    // The Sale closes their contact: two products, one at a negotiated price, and the coupon.
    sign_in(client, &app, "sale01", "Sale12345").await;
    client
        .goto(&app.url(&format!("/contacts/{contact_id}")))
        .await
        .expect("contact");
    click(client, "#contact-close-deal").await;
    wait_for_path(client, "/deals/new").await;
    let heading = text_of(client, "#deal-contact").await;
    assert!(
        heading.contains("KH2026-001") && heading.contains("Nguyễn Văn Chốt"),
        "shown: {heading}"
    );
    select(client, "deal-line-0-product", &tldn.to_string()).await;
    fill(client, "deal-line-0-quantity", "2").await;
    wait_for_text(client, "#deal-total", "3.000.000 ₫").await;
    click(client, "#deal-add-line").await;
    select(client, "deal-line-1-product", &ktdn.to_string()).await;
    let hint = text_of(client, "#deal-line-1-price-hint").await;
    assert!(hint.contains("2.500.000 ₫"), "floor price hint: {hint}");
    fill(client, "deal-line-1-price", "2.600.000").await;
    wait_for_text(client, "#deal-subtotal", "5.600.000 ₫").await;
    select(client, "deal-coupon", "GIAM10").await;
    wait_for_text(client, "#deal-discount", "-560.000 ₫").await;
    wait_for_text(client, "#deal-total", "5.040.000 ₫").await;
    click(client, "#deal-submit").await;

    wait_for_text(client, "#deal-code", "HD2026-001").await;
    assert_eq!(text_of(client, "#deal-total").await, "5.040.000 ₫");
    assert_eq!(text_of(client, "#deal-discount").await, "-560.000 ₫");
    let coupon = text_of(client, "#deal-detail-coupon").await;
    assert!(coupon.contains("GIAM10"), "shown: {coupon}");
    click(client, "button[data-payment-move=\"paid\"]").await;
    let moved = text_of(client, "#payment-result").await;
    assert!(moved.contains("Đã thanh toán đủ"), "shown: {moved}");
    text_of(client, "#payment-history li[data-payment-change=\"paid\"]").await;

    click(client, "#deal-contact-link").await;
    wait_for_path(client, &format!("/contacts/{contact_id}")).await;
    assert_eq!(
        text_of(client, ".page-header [data-contact-status]").await,
        "Chốt"
    );
    assert!(
        client
            .find(Locator::Css("#contact-close-deal"))
            .await
            .is_err(),
        "a closed contact cannot be closed again"
    );
    click(client, "#contact-deal-link").await;
    wait_for_text(client, "#deal-code", "HD2026-001").await;

    client.goto(&app.url("/deals")).await.expect("deals");
    let row = text_of(client, "tr[data-deal-code=\"HD2026-001\"]").await;
    assert!(
        row.contains("KH2026-001") && row.contains("5.040.000 ₫"),
        "shown: {row}"
    );
    assert_eq!(text_of(client, "#deals-sum-total").await, "5.040.000 ₫");
    assert_eq!(text_of(client, "#deals-sum-count").await, "1 hợp đồng");
    let _ = browser.client.clone().close().await;
}
