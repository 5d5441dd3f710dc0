//! The notification screens in headless Chromium (issue 7): an admin builds a rule on
//! the rules screen with its live preview, a Sale of the rule's team sees the bell rise
//! when a contact is created while a Sale of another team hears nothing; the delivery
//! log opened from the admins' failure alert, with "Thử lại ngay".

use std::{
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::Duration,
};

use fantoccini::{Client, Locator};
use reqwest::Method;
use serde_json::{Value, json};
use server::notifications::channels::{Channel, ChannelError, Outgoing};

use crate::{
    browser::{
        Browser, app_with_bundle, browser, click, fill, select, sign_in, text_of, wait_for_path,
        wait_for_text,
    },
    contacts::{new_contact, operator, sale},
    helpers::{ADMIN_PASSWORD, ADMIN_USER, Options, TestApp, spawn_app_with, web_bundle},
    notifications::team_with,
};

async fn signed_in(app: &TestApp, username: &str, password: &str) -> Browser {
    let browser = browser().await;
    sign_in(&browser.client, app, username, password).await;
    browser
}

/// Waits until `css` matches nothing (an element that goes away).
async fn wait_gone(client: &Client, css: &str) {
    for _ in 0..100 {
        if client.find(Locator::Css(css)).await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} is still shown");
}

async fn attribute(client: &Client, css: &str, name: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .attr(name)
        .await
        .expect("attribute")
        .unwrap_or_default()
}

/// A DOM property (`checked`, `disabled`), which Yew sets rather than the attribute.
async fn property(client: &Client, css: &str, name: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .prop(name)
        .await
        .expect("property")
        .unwrap_or_default()
}

#[tokio::test]
async fn an_admin_builds_a_team_rule_and_only_that_teams_sale_sees_the_bell_rise() {
    let app = app_with_bundle().await;
    let admin_token = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (north, _) = sale(&app, "sale01").await;
    let (south, south_token) = sale(&app, "sale02").await;
    team_with(&app, &admin_token, "Hà Nội", &[north]).await;
    team_with(&app, &admin_token, "Hồ Chí Minh", &[south]).await;

    {
        let admin = signed_in(&app, ADMIN_USER, ADMIN_PASSWORD).await;
        let client = &admin.client;
        click(client, "[data-nav=notification-rules]").await;
        text_of(client, "#rules-empty").await;
        click(client, "#rule-new").await;
        wait_for_path(client, "/notification-rules/new").await;
        fill(client, "rule-name", "Khách mới cho Sale Hà Nội").await;
        select(client, "rule-trigger", "contact.created").await;
        // With no list ticked, every Sale and the operator would hear of it.
        wait_for_text(client, "#rule-preview-count", "4 người").await;
        click(client, "#rule-roles input[data-label='Sale']").await;
        click(client, "#rule-teams input[data-label='Hà Nội']").await;
        wait_for_text(client, "#rule-preview-count", "1 người").await;
        let reached = text_of(client, "#rule-preview-recipients").await;
        assert!(reached.contains("Nhân viên sale01"), "{reached}");
        assert!(!reached.contains("sale02"), "{reached}");
        // Only the in-app channel delivers today: it is ticked, the rest wait.
        let in_app = "#rule-channels input[value=in_app]";
        assert_eq!(property(client, in_app, "checked").await, "true");
        // Read from the shared list, so this holds as more channels start delivering.
        let waiting = api_types::CHANNELS
            .iter()
            .map(|(code, _)| *code)
            .find(|code| !api_types::DELIVERING_CHANNELS.contains(code));
        if let Some(code) = waiting {
            let css = format!("#rule-channels input[value={code}]");
            assert_eq!(property(client, &css, "disabled").await, "true");
        }
        // A chip puts its placeholder where the caret is; the preview renders it.
        fill(client, "rule-title", "Khách mới: ").await;
        click(
            client,
            "#rule-title-chips button[data-placeholder='contact.code']",
        )
        .await;
        wait_for_text(client, "#rule-preview-title", "Khách mới: KH2026-001").await;
        click(client, "#rule-submit").await;
        wait_for_path(client, "/notification-rules").await;
        let row = text_of(client, "#rule-table tbody tr").await;
        assert!(row.contains("Khách mới cho Sale Hà Nội"), "{row}");
        assert!(row.contains("Sale · Hà Nội"), "{row}");
        let _ = admin.client.clone().close().await;
    }

    let first = signed_in(&app, "sale01", "Sale12345").await;
    let second = signed_in(&app, "sale02", "Sale12345").await;
    let (a, b) = (&first.client, &second.client);
    // Both bells are quiet to begin with.
    for client in [a, b] {
        assert!(
            attribute(client, "#bell", "aria-label")
                .await
                .contains("không có thông báo chưa đọc")
        );
    }

    let created = new_contact(&app, &op, "Nguyễn Thị Lan", "0916000111").await;
    wait_for_text(a, "#bell-count", "1").await;
    assert_eq!(
        attribute(a, "#bell", "aria-label").await,
        "Thông báo, 1 chưa đọc"
    );
    click(a, "#bell").await;
    let item = "#bell-panel li[data-unread=true]";
    let shown = text_of(a, item).await;
    assert!(shown.contains("Khách mới: KH2026-001"), "{shown}");
    assert!(shown.contains("Nguyễn Thị Lan"), "{shown}");
    // The relative time is the browser's clock against the test's fixed app clock, so
    // only its presence is checked here (the wording is unit-tested in the client).
    assert!(!text_of(a, &format!("{item} time")).await.is_empty());
    // Opening it marks it read and goes to the contact.
    click(a, &format!("{item} a")).await;
    wait_for_path(a, &format!("/contacts/{}", created["id"])).await;
    wait_gone(a, "#bell-count").await;

    // The other team's Sale got nothing, live or on reload.
    assert!(b.find(Locator::Css("#bell-count")).await.is_err());
    click(b, "#bell").await;
    text_of(b, "#bell-empty").await;
    let inbox: Value = app
        .bearer(Method::GET, "/api/notifications", &south_token, None)
        .await
        .json()
        .await
        .expect("inbox");
    assert_eq!(inbox["total"], 0);
    let _ = first.client.clone().close().await;
    let _ = second.client.clone().close().await;
}

/// The in-app channel as seen by the dispatcher, failing for one recipient: that
/// delivery fails for good while the others are sent.
struct FailsFor(Arc<AtomicI64>);

#[async_trait::async_trait]
impl Channel for FailsFor {
    fn name(&self) -> &'static str {
        "in_app"
    }

    async fn send(&self, outgoing: &Outgoing) -> Result<(), ChannelError> {
        if outgoing.delivery.recipient_id == self.0.load(Ordering::SeqCst) {
            return Err(ChannelError::Unavailable(
                "Máy chủ nhận tin không phản hồi".into(),
            ));
        }
        Ok(())
    }
}

/// Moves the app clock past each retry wait until the delivery has failed for good.
async fn until_failed(app: &TestApp, admin: &str) -> i64 {
    for _ in 0..100 {
        let failed: Value = app
            .bearer(
                Method::GET,
                "/api/notification-deliveries?status=failed",
                admin,
                None,
            )
            .await
            .json()
            .await
            .expect("deliveries");
        if let Some(id) = failed["items"][0]["id"].as_i64() {
            return id;
        }
        app.clock.advance(chrono::Duration::seconds(10));
        app.notifications_wake.notify_one();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the delivery never failed");
}

#[tokio::test]
async fn the_failure_alert_opens_the_delivery_log_on_that_delivery_which_can_be_retried() {
    let failing = Arc::new(AtomicI64::new(0));
    let app = spawn_app_with(Options {
        web_dir: Some(web_bundle()),
        notification_channels: Some(vec![Arc::new(FailsFor(failing.clone())) as Arc<dyn Channel>]),
        ..Options::default()
    })
    .await;
    let admin_token = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (reached, _) = sale(&app, "sale01").await;
    let (unreachable, _) = sale(&app, "sale02").await;
    failing.store(unreachable, Ordering::SeqCst);
    let created = app
        .bearer(
            Method::POST,
            "/api/notification-rules",
            &admin_token,
            Some(&json!({
                "name": "Báo khách mới",
                "trigger": "contact.created",
                "conditions": { "user_ids": [reached, unreachable] },
                "channels": ["in_app"],
                "template_title": "Khách mới {{contact.code}}",
                "template_body": "{{contact.name}}",
            })),
        )
        .await;
    assert!(created.status().is_success());
    new_contact(&app, &op, "Trần Văn Minh", "0916000222").await;
    let failed = until_failed(&app, &admin_token).await;

    let admin = signed_in(&app, ADMIN_USER, ADMIN_PASSWORD).await;
    let client = &admin.client;
    wait_for_text(client, "#bell-count", "1").await;
    click(client, "#bell").await;
    let alert = "#bell-panel li[data-unread=true]";
    assert!(
        text_of(client, alert)
            .await
            .contains("Gửi thông báo thất bại")
    );
    click(client, &format!("{alert} a")).await;
    wait_for_path(client, "/notification-deliveries").await;
    let url = client.current_url().await.expect("url");
    assert_eq!(url.query(), Some(&*format!("status=failed&id={failed}")));
    let row = format!("tr.row-focus[data-delivery-id='{failed}']");
    let shown = text_of(client, &row).await;
    assert!(shown.contains("Nhân viên sale02"), "{shown}");
    assert!(shown.contains("Gửi thất bại"), "{shown}");
    assert!(shown.contains("Máy chủ nhận tin không phản hồi"), "{shown}");
    assert!(
        text_of(client, "#delivery-focus")
            .await
            .contains(&format!("#{failed}"))
    );
    wait_for_text(client, "#deliveries-count", "1 thông báo").await;

    click(client, &format!("{row} button.delivery-retry")).await;
    let result = text_of(client, "#delivery-result").await;
    assert!(result.contains(&format!("#{failed}")), "{result}");
    // Still in view, waiting for its next attempt rather than failed.
    text_of(
        client,
        &format!("tr.row-focus[data-delivery-id='{failed}'][data-status=pending]"),
    )
    .await;
    assert!(
        client
            .current_url()
            .await
            .expect("url")
            .query()
            .is_some_and(|q| !q.contains("status"))
    );

    click(client, "#delivery-clear").await;
    wait_for_text(client, "#deliveries-count", "2 thông báo").await;
    let sent = "#delivery-table tr[data-status=sent] .delivery-status";
    assert_eq!(text_of(client, sent).await, "Đã gửi");
    select(client, "delivery-channel", "email").await;
    text_of(client, "#deliveries-empty").await;
    let url = client.current_url().await.expect("url");
    assert_eq!(url.query(), Some("channel=email"));
    let _ = admin.client.clone().close().await;
}
