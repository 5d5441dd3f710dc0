//! The Google Sheets import in headless Chromium: choose the CSV, read the dry run
//! (bad rows named), pick a default for blank cells, import, see the contacts.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::browser::{app_with_bundle, browser, click, select, sign_in, text_of, wait_for_text};

async fn wait_until_contains(client: &Client, css: &str, expected: &str) {
    let mut shown = String::new();
    for _ in 0..150 {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            shown = element.text().await.unwrap_or_default();
            if shown.contains(expected) {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} shows {shown:?}, without {expected:?}");
}

#[tokio::test]
async fn an_admin_imports_a_sheet_after_reading_the_dry_run() {
    let app = app_with_bundle().await;
    let fixture = tempfile::tempdir().expect("dir");
    let file = fixture.path().join("khach-cu.csv");
    std::fs::write(
        &file,
        "Tên khách hàng,SĐT,Loại nhu cầu,Nguồn,Ghi chú\n\
         Nguyễn Sheet Một,0955000001,TLDN,,Khách cũ\n\
         Trần Sheet Hai,955000002,TLDN,Ladi Zalo,\n\
         Lỗi Số,0955,TLDN,google,\n",
    )
    .expect("fixture");

    let browser = browser().await;
    let client = &browser.client;
    sign_in(client, &app, "admin", crate::helpers::ADMIN_PASSWORD).await;
    client.goto(&app.url("/data")).await.expect("open");
    let input = client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Id("import-file"))
        .await
        .expect("file input");
    input
        .send_keys(&file.display().to_string())
        .await
        .expect("choose file");
    // A blank source and a bad phone; the heading "SĐT" was recognised on its own.
    wait_for_text(client, "#import-errors .import-count-value", "2").await;
    wait_for_text(client, "#import-valid .import-count-value", "1").await;
    let errors = text_of(client, "#import-error-table").await;
    assert!(errors.contains("Thiếu nguồn khách hàng"), "{errors}");
    assert!(
        errors.contains("Số điện thoại không đúng định dạng"),
        "{errors}"
    );

    // A default source for blank cells fixes the first row at the next dry run.
    select(client, "default-source", "google").await;
    wait_for_text(client, "#import-valid .import-count-value", "2").await;
    wait_until_contains(client, "#import-start", "Nhập 2 khách hàng").await;
    assert_eq!(app.count("contacts").await, 0, "the dry run wrote nothing");

    click(client, "#import-start").await;
    wait_until_contains(client, "#import-done", "Đã nhập 2 khách hàng").await;
    assert_eq!(app.count("contacts").await, 2);
    client.goto(&app.url("/contacts")).await.expect("contacts");
    wait_until_contains(client, "body", "Trần Sheet Hai").await;

    // The same screen shows the retention policy and runs it on request.
    client.goto(&app.url("/data")).await.expect("data");
    wait_until_contains(client, "#retention-rules", "Nhật ký hoạt động").await;
    wait_until_contains(client, "#retention-last", "Chưa chạy").await;
    click(client, "#retention-run").await;
    wait_until_contains(client, "#retention-last", "Lần chạy gần nhất").await;
    assert!(text_of(client, "#export-all").await.contains("Tải tệp ZIP"));
}
