//! Anonymizing a contact from its page in headless Chromium.

use crate::{
    browser::{app_with_bundle, browser, click, fill, sign_in, text_of},
    contacts::{new_contact, operator},
    helpers::{ADMIN_PASSWORD, ADMIN_USER},
};

#[tokio::test]
async fn an_admin_anonymizes_a_contact_after_typing_its_code() {
    let app = app_with_bundle().await;
    let op = operator(&app, "tongdai01").await;
    let contact = new_contact(&app, &op, "Lâm Thị Riêng Tư", "0915333444").await;
    let id = contact["id"].as_i64().expect("id");
    let code = contact["code"].as_str().expect("code");

    let browser = browser().await;
    let client = &browser.client;
    sign_in(client, &app, ADMIN_USER, ADMIN_PASSWORD).await;
    client
        .goto(&app.url(&format!("/contacts/{id}")))
        .await
        .expect("open");
    assert_eq!(text_of(client, "#contact-name").await, "Lâm Thị Riêng Tư");
    assert!(
        text_of(client, "#contact-card")
            .await
            .contains("0915333444")
    );
    fill(client, "anonymize-code", "KH-SAI").await;
    click(client, "#anonymize-submit").await;
    assert!(
        text_of(client, "#anonymize-code-error")
            .await
            .contains(code)
    );
    fill(client, "anonymize-code", code).await;
    click(client, "#anonymize-submit").await;
    assert!(text_of(client, "#anonymize-result").await.contains(code));
    assert_eq!(text_of(client, "#contact-name").await, code);
    let card = text_of(client, "#contact-card").await;
    assert!(!card.contains("0915333444"), "{card}");
}
