//! Connecting Zalo OA in the real client, against the fake Zalo: the consent text
//! (scopes, purpose, retention) stands before the connect button, the button leads to
//! Zalo's permission page, and Zalo's redirect back lands on a connected screen.

use fantoccini::Locator;

use crate::{
    browser::{browser, click, fill, sign_in, text_of, wait_for_text},
    helpers::{
        ADMIN_PASSWORD, ADMIN_USER, Options, spawn_app_with, web_bundle,
        zalo::{CODE, OA_NAME, ZaloFake},
    },
};

#[tokio::test]
async fn an_admin_reads_the_consent_then_connects_zalo_oa_through_zalos_permission_page() {
    let fake = ZaloFake::start().await;
    let app = spawn_app_with(Options {
        web_dir: Some(web_bundle()),
        zalo: Some(fake.config()),
        ..Options::default()
    })
    .await;
    let browser = browser().await;
    let client = &browser.client;
    sign_in(client, &app, ADMIN_USER, ADMIN_PASSWORD).await;
    client.goto(&app.url("/zalo")).await.expect("zalo page");

    wait_for_text(client, "#zalo-status", "Chưa kết nối").await;
    let consent = text_of(client, "#zalo-consent").await;
    for needle in [
        "oa.info",
        "zns.send",
        "Dữ liệu này được dùng để",
        "thu hồi quyền",
    ] {
        assert!(consent.contains(needle), "{needle} in {consent}");
    }
    let consent_first = client
        .execute(
            "const c = document.querySelector('#zalo-consent');
             const b = document.querySelector('#zalo-connect');
             return !!(c.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);",
            vec![],
        )
        .await
        .expect("order");
    assert_eq!(
        consent_first.as_bool(),
        Some(true),
        "consent before the button"
    );

    click(client, "#zalo-connect").await;
    let permission_page = format!("{}/v4/oa/permission?", fake.base);
    let mut url = String::new();
    for _ in 0..100 {
        url = client.current_url().await.expect("url").to_string();
        if url.starts_with(&permission_page) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(url.starts_with(&permission_page), "went to Zalo: {url}");
    let query: std::collections::HashMap<String, String> = url::Url::parse(&url)
        .expect("url")
        .query_pairs()
        .into_owned()
        .collect();
    fake.expect_challenge(&query["code_challenge"]);

    // Zalo sends the browser back to the callback with the code and the state.
    let back = format!(
        "{}?code={CODE}&state={}",
        app.url("/api/zalo/callback"),
        query["state"]
    );
    client.goto(&back).await.expect("callback");
    wait_for_text(client, "#zalo-status", "Đang kết nối").await;
    assert_eq!(text_of(client, "#zalo-oa-name").await, OA_NAME);
    assert!(client.find(Locator::Css("#zalo-disconnect")).await.is_ok());

    // Templates: added through the form, then turned off.
    fill(client, "zalo-template-id", "231677").await;
    fill(client, "zalo-template-name", "Chào mừng khách hàng mới").await;
    fill(
        client,
        "zalo-template-params",
        "customer_name=Nguyễn Văn A\ncontact_code=KH2026-001",
    )
    .await;
    click(client, "#zalo-template-form button[type=submit]").await;
    let row = "[data-zalo-template=\"231677\"]";
    let shown = text_of(client, row).await;
    assert!(
        shown.contains("customer_name=Nguyễn Văn A, contact_code=KH2026-001"),
        "{shown}"
    );
    click(client, "[data-toggle-zalo-template=\"231677\"]").await;
    wait_for_text(client, &format!("{row} td:nth-child(4)"), "Đã tắt").await;
}

#[tokio::test]
async fn cskh_composes_a_zns_from_the_care_queue_with_parameters_filled_from_the_contact() {
    let fake = ZaloFake::start().await;
    let app = spawn_app_with(Options {
        web_dir: Some(web_bundle()),
        zalo: Some(fake.config()),
        ..Options::default()
    })
    .await;
    let admin = app.admin_token().await;
    crate::zalo::connect(&app, &fake, &admin).await;
    crate::zalo::create_template(&app, &admin).await;
    let op = crate::contacts::operator(&app, "tongdai01").await;
    let contact = crate::contacts::new_contact(&app, &op, "Trần Thị Bình", "0912000111").await;
    let id = contact["id"].as_i64().expect("id");
    // In the care queue, so CSKH may see it.
    app.execute(&format!(
        "UPDATE contacts SET status = 'failed' WHERE id = {id}"
    ))
    .await;
    app.create_user("cskh01", "Cskh12345", "CSKH").await;

    let browser = browser().await;
    let client = &browser.client;
    sign_in(client, &app, "cskh01", "Cskh12345").await;
    client
        .goto(&app.url("/zalo/compose"))
        .await
        .expect("composer");
    click(client, &format!("input[data-contact=\"{id}\"]")).await;
    let select = client
        .wait()
        .at_most(std::time::Duration::from_secs(15))
        .for_element(Locator::Css("#zalo-compose-template"))
        .await
        .expect("template select");
    select
        .select_by_label("Chào mừng khách hàng mới")
        .await
        .expect("choose template");
    let preview = text_of(client, &format!("[data-preview=\"{id}\"]")).await;
    assert!(
        preview.contains("customer_name: Trần Thị Bình")
            && preview.contains("contact_code: KH2026-001"),
        "{preview}"
    );
    click(client, "#zalo-compose-send").await;
    wait_for_text(
        client,
        "#zalo-compose-result",
        "Đã xếp hàng gửi 1 tin Zalo. Nếu gửi không được, bạn sẽ nhận được thông báo.",
    )
    .await;
    for _ in 0..100 {
        if !fake.sent().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let sent = fake.sent();
    assert_eq!(sent.len(), 1, "one ZNS");
    assert_eq!(sent[0].1["template_data"]["customer_name"], "Trần Thị Bình");
    assert_eq!(sent[0].1["template_data"]["contact_code"], "KH2026-001");
}
