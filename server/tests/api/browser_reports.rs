//! The dashboard in headless Chromium: KPI cards, four charts, the period filter.

use chrono::Duration;
use fantoccini::Locator;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    browser::{app_with_bundle, browser, select, sign_in, text_of, wait_for_text},
    contacts::{new_contact, operator, sale},
    helpers::{ADMIN_PASSWORD, ADMIN_USER},
};

#[tokio::test]
async fn the_dashboard_draws_its_cards_and_charts_and_follows_the_period() {
    let app = app_with_bundle().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (_, sale_token) = sale(&app, "sale01").await;
    let product: Value = app
        .bearer(
            Method::POST,
            "/api/products",
            &admin,
            Some(
                &json!({ "code": "KTDN", "name": "Kế toán doanh nghiệp", "base_price": 4_000_000 }),
            ),
        )
        .await
        .json()
        .await
        .expect("product");
    // Two leads on Friday 23 January; one picked and closed.
    new_contact(&app, &op, "Phạm Văn Một", "0919000001").await;
    let won = new_contact(&app, &op, "Phạm Văn Hai", "0919000002").await;
    let id = won["id"].as_i64().expect("id");
    app.bearer(
        Method::POST,
        &format!("/api/contacts/{id}/pick"),
        &sale_token,
        None,
    )
    .await;
    let deal = app
        .bearer(
            Method::POST,
            "/api/deals",
            &sale_token,
            Some(&json!({
                "contact_id": id,
                "lines": [{ "product_id": product["id"], "quantity": 1 }],
                "payment_status": "pending",
                "closed_on": "2026-01-23",
            })),
        )
        .await;
    assert_eq!(deal.status(), StatusCode::CREATED);
    // Now it is Sunday the 25th: still January, no longer the same day.
    app.clock.advance(Duration::days(2));

    let browser = browser().await;
    let client = &browser.client;
    sign_in(client, &app, ADMIN_USER, ADMIN_PASSWORD).await;
    wait_for_text(client, "#kpi-contacts .kpi-value", "2").await;
    assert_eq!(text_of(client, "#kpi-deals .kpi-value").await, "1");
    assert_eq!(text_of(client, "#kpi-close-rate .kpi-value").await, "100 %");
    assert_eq!(
        text_of(client, "#kpi-revenue .kpi-value").await,
        "4.000.000 ₫"
    );
    for chart in [
        "#chart-status circle.donut-slice",
        "#chart-trend rect.column",
        "#chart-picks rect.hbar",
        "#chart-revenue rect.hbar",
    ] {
        let marks = client.find_all(Locator::Css(chart)).await.expect("marks");
        assert!(!marks.is_empty(), "{chart} drew nothing");
    }
    let won_slice = client
        .find(Locator::Css("#chart-status circle[data-status=\"won\"]"))
        .await
        .expect("won slice");
    assert_eq!(
        won_slice.attr("data-count").await.expect("attr").as_deref(),
        Some("1")
    );
    let tooltip = client
        .find(Locator::Css(
            "#chart-status circle[data-status=\"won\"] title",
        ))
        .await
        .expect("tooltip")
        .html(true)
        .await
        .expect("html");
    assert!(
        tooltip.contains("Chốt: 1 khách hàng (50 %)"),
        "tooltip: {tooltip}"
    );
    let performer = text_of(client, "#performers-table tbody tr").await;
    assert!(
        performer.contains("Nhân viên sale01") && performer.contains("4.000.000 ₫"),
        "{performer}"
    );
    let activity = text_of(client, "#activity-list").await;
    assert!(activity.contains("chốt HD2026-001"), "{activity}");

    // Today (the 25th) has nothing; the export links follow the filter.
    select(client, "report-period", "today").await;
    wait_for_text(client, "#kpi-contacts .kpi-value", "0").await;
    assert_eq!(text_of(client, "#kpi-close-rate .kpi-value").await, "—");
    let href = client
        .find(Locator::Id("export-status-csv"))
        .await
        .expect("link")
        .attr("href")
        .await
        .expect("href")
        .unwrap_or_default();
    assert!(
        href.contains("period=today") && href.contains("table=status"),
        "{href}"
    );
    let _ = browser.client.clone().close().await;
}
