//! Attaching a file on a contact's page in headless Chromium: chosen through the file
//! input, listed, offered for download, deleted after confirming.

use std::time::Duration;

use fantoccini::Locator;

use crate::{
    attachments::{held_contact, png_fixture, stored_files},
    browser::{app_with_bundle, browser, click, sign_in, text_of},
    contacts::sale,
};

#[tokio::test]
async fn a_sale_uploads_lists_and_deletes_an_attachment_on_the_contact_page() {
    let app = app_with_bundle().await;
    let admin = app.admin_token().await;
    let (sale_id, _) = sale(&app, "sale01").await;
    let id = held_contact(&app, &admin, sale_id, "0915777888").await;
    let fixture = tempfile::tempdir().expect("dir");
    let file = fixture.path().join("CCCD mặt trước.png");
    std::fs::write(&file, png_fixture()).expect("fixture");

    let browser = browser().await;
    let client = &browser.client;
    sign_in(client, &app, "sale01", "Sale12345").await;
    client
        .goto(&app.url(&format!("/contacts/{id}")))
        .await
        .expect("open");
    assert!(
        text_of(client, "#attachments-empty")
            .await
            .contains("Chưa có tệp")
    );
    let input = client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Id("attachment-file"))
        .await
        .expect("file input");
    input
        .send_keys(&file.display().to_string())
        .await
        .expect("choose file");
    click(client, "#attachment-upload").await;
    assert!(
        text_of(client, "#attachment-notice")
            .await
            .contains("CCCD mặt trước.png")
    );
    let row = text_of(client, "#attachment-list tbody tr").await;
    assert!(row.contains("CCCD mặt trước.png"), "{row}");
    assert!(row.contains("Ảnh PNG") && row.contains("1 KB"), "{row}");
    assert!(row.contains("Nhân viên sale01"), "{row}");
    let href = client
        .find(Locator::Css("#attachment-list a.attachment-download"))
        .await
        .expect("download link")
        .attr("href")
        .await
        .expect("href")
        .expect("has href");
    assert!(
        href.starts_with("/api/attachments/") && href.ends_with("/download"),
        "{href}"
    );
    assert_eq!(stored_files(&app).len(), 1);

    click(client, "#attachment-list button.attachment-delete").await;
    click(client, "#confirm-ok").await;
    assert!(
        text_of(client, "#attachments-empty")
            .await
            .contains("Chưa có tệp")
    );
    assert!(stored_files(&app).is_empty());
}
