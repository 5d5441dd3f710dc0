//! Two Sales' live boards in two Chromium sessions, across a server restart.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use reqwest::Method;

use crate::{
    browser::{Browser, app_with_bundle, browser, click, sign_in, text_of},
    contacts::{new_contact, operator},
    helpers::{Options, TestApp, spawn_app_with, web_bundle},
};

async fn board(app: &TestApp, username: &str) -> Browser {
    let browser = browser().await;
    sign_in(&browser.client, app, username, "Sale12345").await;
    browser
        .client
        .goto(&app.url("/contacts"))
        .await
        .expect("board");
    wait_for(&browser.client, "#contacts-table, #contacts-empty", 15).await;
    browser
}

async fn wait_for(client: &Client, css: &str, secs: u64) -> Duration {
    let start = Instant::now();
    client
        .wait()
        .at_most(Duration::from_secs(secs))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} not shown within {secs} s: {e}"));
    start.elapsed()
}

async fn is_disabled(client: &Client, css: &str) -> bool {
    client
        .find(Locator::Css(css))
        .await
        .expect("element")
        .attr("disabled")
        .await
        .expect("attr")
        .is_some()
}

#[tokio::test]
async fn boards_update_live_go_offline_with_the_server_and_catch_up_when_it_returns() {
    let app = app_with_bundle().await;
    let op = operator(&app, "tongdai01").await;
    app.create_user("sale01", "Sale12345", "Sale").await;
    app.create_user("sale02", "Sale12345", "Sale").await;
    let first = board(&app, "sale01").await;
    let second = board(&app, "sale02").await;
    let (a, b) = (&first.client, &second.client);

    // Sale B wants a chime for new leads; the choice outlives a reload.
    click(b, "#sound-new").await;
    b.refresh().await.expect("reload");
    wait_for(b, "#contacts-table, #contacts-empty", 15).await;
    let sound = b
        .find(Locator::Id("sound-new"))
        .await
        .expect("sound toggle");
    assert!(
        sound.prop("checked").await.expect("checked").as_deref() == Some("true"),
        "the sound choice is remembered"
    );

    new_contact(&app, &op, "Khách Trực Tiếp", "0915000001").await;
    let row = "tr[data-contact-code=\"KH2026-001\"]";
    let seen_a = wait_for(a, row, 5).await;
    let seen_b = wait_for(b, row, 5).await;
    eprintln!("new contact shown after {seen_a:?} and {seen_b:?}");

    click(a, "button[data-pick=\"KH2026-001\"]").await;
    let by = text_of(b, &format!("{row} [data-picked-by]")).await;
    assert!(by.contains("Nhân viên sale01"), "shown: {by}");
    assert!(
        b.find(Locator::Css("button[data-pick=\"KH2026-001\"]"))
            .await
            .is_err(),
        "the other board hides the Pick button"
    );

    new_contact(&app, &op, "Khách Thứ Hai", "0915000002").await;
    wait_for(b, "button[data-pick=\"KH2026-002\"]", 5).await;

    // The server goes away: banner and disabled Pick.
    let addr: std::net::SocketAddr = app
        .base
        .trim_start_matches("http://")
        .parse()
        .expect("addr");
    let master_key = std::fs::read_to_string(app.dir.path().join("data/master.key")).expect("key");
    app.shut_down();
    wait_for(b, "#offline-banner", 10).await;
    assert!(is_disabled(b, "button[data-pick=\"KH2026-002\"]").await);

    // It comes back on the same address; a lead created meanwhile reaches the board.
    let restarted = spawn_app_with(Options {
        web_dir: Some(web_bundle()),
        database_url: Some(app.database_url.clone()),
        master_key: Some(master_key.trim().to_owned()),
        bind: Some(addr),
        ..Options::default()
    })
    .await;
    let op = restarted.token_for("tongdai01", "Op123456").await;
    let created = restarted
        .bearer(
            Method::POST,
            "/api/contacts",
            &op,
            Some(&serde_json::json!({
                "full_name": "Khách Lúc Mất Mạng", "phone": "0915000003",
                "service_type_id": crate::contacts::service_type_id(&restarted, "TLDN").await,
                "source": "google"
            })),
        )
        .await;
    assert_eq!(created.status(), reqwest::StatusCode::CREATED);
    wait_for(b, "tr[data-contact-code=\"KH2026-003\"]", 40).await;
    assert!(
        b.find(Locator::Css("#offline-banner")).await.is_err(),
        "back online"
    );
    assert!(!is_disabled(b, "button[data-pick=\"KH2026-002\"]").await);
    let _ = first.client.clone().close().await;
    let _ = second.client.clone().close().await;
}
