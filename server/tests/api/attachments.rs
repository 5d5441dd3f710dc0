//! Attachments: files on contacts and deals, encrypted at rest, typed by content,
//! size-limited, readable only by those who see the record, audited, and gone for
//! good when deleted, purged or anonymised.

use std::path::{Path, PathBuf};

use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::{
    contacts::{new_contact, operator, sale},
    encryption::{contains, database_bytes},
    helpers::{Options, TestApp, error_of, spawn_app, spawn_app_with},
};

/// A small PDF whose text would be readable in any unencrypted copy.
pub fn pdf_fixture() -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    pdf.extend_from_slice("BT (CCCD 079123456789 Nguyễn Văn Mật) Tj ET\n".as_bytes());
    // Several chunks' worth, so the stream's chunking is exercised end to end.
    for i in 0..20_000 {
        pdf.extend_from_slice(format!("% dòng {i}\n").as_bytes());
    }
    pdf.extend_from_slice(b"%%EOF\n");
    pdf
}

/// A 1×1 PNG.
pub fn png_fixture() -> Vec<u8> {
    let mut png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    png.extend_from_slice(b"\0\0\0\rIDATx\x9cc\xf8\xff\xff?\0\x05\xfe\x02\xfe\xa7\x35\x81\x84");
    png.extend_from_slice(b"\0\0\0\0IEND\xaeB`\x82");
    png
}

const PDF_SECRET: &str = "CCCD 079123456789";
const PDF_NAME: &str = "CCCD Nguyễn Văn Mật.pdf";

/// A `multipart/form-data` body with one file field (reqwest's multipart feature is
/// not needed for one field).
fn multipart(field: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----ankhang-test-boundary-7f3a";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub async fn upload(
    app: &TestApp,
    token: &str,
    path: &str,
    file_name: &str,
    bytes: &[u8],
) -> reqwest::Response {
    upload_field(app, token, path, "file", file_name, bytes).await
}

async fn upload_field(
    app: &TestApp,
    token: &str,
    path: &str,
    field: &str,
    file_name: &str,
    bytes: &[u8],
) -> reqwest::Response {
    let (content_type, body) = multipart(field, file_name, bytes);
    reqwest::Client::new()
        .post(app.url(path))
        .bearer_auth(token)
        .header(header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("upload")
}

pub async fn uploaded(app: &TestApp, token: &str, path: &str, name: &str, bytes: &[u8]) -> Value {
    let response = upload(app, token, path, name, bytes).await;
    assert_eq!(response.status(), StatusCode::CREATED, "upload {name}");
    response.json().await.expect("json")
}

pub fn stored_files(app: &TestApp) -> Vec<PathBuf> {
    let dir = app.dir.path().join("data").join("attachments");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries.flatten().map(|e| e.path()).collect()
}

fn read_all(paths: &[PathBuf]) -> Vec<u8> {
    paths
        .iter()
        .flat_map(|p| std::fs::read(p).expect("read"))
        .collect()
}

/// A contact created by an operator and handed to a new Sale, who may edit it.
pub async fn held_contact(app: &TestApp, admin: &str, sale_id: i64, phone: &str) -> i64 {
    let op = operator(app, &format!("op{phone}")).await;
    let contact = new_contact(app, &op, "Nguyễn Văn Mật", phone).await;
    let id = contact["id"].as_i64().expect("id");
    let moved = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{id}/reassign"),
            admin,
            Some(&json!({ "user_id": sale_id })),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    id
}

async fn audit_total(app: &TestApp, admin: &str, action: &str) -> (i64, String) {
    let response = app
        .bearer(
            Method::GET,
            &format!("/api/audit?action={action}"),
            admin,
            None,
        )
        .await;
    let text = response.text().await.expect("text");
    let body: Value = serde_json::from_str(&text).expect("json");
    (body["total"].as_i64().expect("total"), text)
}

#[tokio::test]
async fn a_contacts_files_round_trip_byte_exact_and_are_encrypted_on_disk() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (sale_id, sale_token) = sale(&app, "sale01").await;
    let id = held_contact(&app, &admin, sale_id, "0912000001").await;
    let path = format!("/api/contacts/{id}/attachments");
    let pdf = pdf_fixture();
    let png = png_fixture();

    let first = uploaded(&app, &sale_token, &path, PDF_NAME, &pdf).await;
    assert_eq!(first["file_name"], PDF_NAME);
    assert_eq!(first["content_type"], "application/pdf");
    assert_eq!(first["size_bytes"], pdf.len());
    assert_eq!(first["can_delete"], true);
    // The browser's name and header do not decide the type: the bytes do.
    let second = uploaded(&app, &sale_token, &path, "anh.pdf", &png).await;
    assert_eq!(second["content_type"], "image/png");

    let list: Value = app
        .bearer(Method::GET, &path, &sale_token, None)
        .await
        .json()
        .await
        .expect("list");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], second["id"], "newest first");
    assert_eq!(items[1]["uploaded_by_name"], "Nhân viên sale01");
    assert_eq!(list["max_bytes"], 10 * 1024 * 1024);

    let download = app
        .bearer(
            Method::GET,
            first["download_url"].as_str().expect("url"),
            &sale_token,
            None,
        )
        .await;
    assert_eq!(download.status(), StatusCode::OK);
    let headers = download.headers().clone();
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let disposition = headers[header::CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii");
    assert!(
        disposition.starts_with("attachment;")
            && disposition
                .contains("filename*=UTF-8''CCCD%20Nguy%E1%BB%85n%20V%C4%83n%20M%E1%BA%ADt.pdf"),
        "{disposition}"
    );
    assert_eq!(
        download.bytes().await.expect("bytes").as_ref(),
        pdf.as_slice()
    );
    let image = app
        .bearer(
            Method::GET,
            second["download_url"].as_str().expect("url"),
            &sale_token,
            None,
        )
        .await;
    assert_eq!(image.bytes().await.expect("bytes").as_ref(), png.as_slice());

    // On disk: two encrypted files with random names, no leftovers, no plaintext; the
    // name is not in the database file either.
    let files = stored_files(&app);
    assert_eq!(files.len(), 2, "{files:?}");
    let on_disk = read_all(&files);
    assert!(!contains(&on_disk, PDF_SECRET));
    assert!(!contains(&on_disk, "IHDR"));
    assert!(!contains(&database_bytes(&app).await, "Văn Mật.pdf"));

    let (uploads, text) = audit_total(&app, &admin, "attachments.uploaded").await;
    assert_eq!(uploads, 2);
    assert!(
        !text.contains("Mật.pdf"),
        "no file name in the audit: {text}"
    );
    assert_eq!(
        audit_total(&app, &admin, "attachments.downloaded").await.0,
        2
    );
}

#[tokio::test]
async fn an_altered_or_cut_file_fails_to_download_instead_of_serving_garbage() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = held_contact(&app, &admin, sale(&app, "sale01").await.0, "0912000002").await;
    let path = format!("/api/contacts/{id}/attachments");
    let file = uploaded(&app, &admin, &path, "hop-dong.pdf", &pdf_fixture()).await;
    let url = file["download_url"].as_str().expect("url").to_owned();
    let stored = stored_files(&app).pop().expect("stored file");
    let original = std::fs::read(&stored).expect("read");

    let mut flipped = original.clone();
    flipped[original.len() / 2] ^= 0x01;
    std::fs::write(&stored, &flipped).expect("tamper");
    let response = app.bearer(Method::GET, &url, &admin, None).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);

    std::fs::write(&stored, &original[..original.len() - 100]).expect("cut");
    let response = app.bearer(Method::GET, &url, &admin, None).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);

    std::fs::write(&stored, &original).expect("restore");
    let response = app.bearer(Method::GET, &url, &admin, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        audit_total(&app, &admin, "attachments.downloaded").await.0,
        1
    );
}

#[tokio::test]
async fn oversized_empty_and_unaccepted_files_are_refused_naming_the_field_and_leave_nothing() {
    let app = spawn_app_with(Options {
        attachment_max_bytes: Some(100_000),
        ..Options::default()
    })
    .await;
    let admin = app.admin_token().await;
    let id = held_contact(&app, &admin, sale(&app, "sale01").await.0, "0912000003").await;
    let path = format!("/api/contacts/{id}/attachments");

    let mut big = pdf_fixture();
    big.resize(150_000, b' ');
    let (status, body) = error_of(upload(&app, &admin, &path, "lon.pdf", &big).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["field"], "file");
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("Tệp đính kèm"),
        "{body}"
    );
    big.truncate(100_000);
    uploaded(&app, &admin, &path, "vua.pdf", &big).await;

    for (name, bytes) in [
        (
            "setup.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec(),
        ),
        ("a.png", b"\x7fELF\x02\x01\x01\x00\x00\x00".to_vec()),
        ("ghi-chu.pdf", "chỉ là chữ".as_bytes().to_vec()),
        ("rong.pdf", Vec::new()),
    ] {
        let (status, body) = error_of(upload(&app, &admin, &path, name, &bytes).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(body["field"], "file", "{name}");
        assert!(
            body["message"]
                .as_str()
                .expect("message")
                .contains("Tệp đính kèm"),
            "{body}"
        );
    }
    let wrong_field = upload_field(&app, &admin, &path, "tep", "a.pdf", &pdf_fixture()).await;
    assert_eq!(wrong_field.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Only the accepted file is on disk: refused uploads left no partial files.
    assert_eq!(stored_files(&app).len(), 1, "{:?}", stored_files(&app));
}

#[tokio::test]
async fn files_are_hidden_from_those_who_cannot_see_the_record() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (sale_id, sale_token) = sale(&app, "sale01").await;
    let (_, other) = sale(&app, "sale02").await;
    let id = held_contact(&app, &admin, sale_id, "0912000004").await;
    let contact_path = format!("/api/contacts/{id}/attachments");
    let file = uploaded(&app, &sale_token, &contact_path, "cccd.png", &png_fixture()).await;
    let url = file["download_url"].as_str().expect("url").to_owned();

    for path in [contact_path.clone(), url.clone()] {
        let response = app.bearer(Method::GET, &path, &other, None).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let response = app
        .bearer(
            Method::DELETE,
            &format!("/api/attachments/{}", file["id"]),
            &other,
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let refused = upload(&app, &other, &contact_path, "x.png", &png_fixture()).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    // An operator cannot edit contacts at all.
    let op = operator(&app, "tongdai09").await;
    let refused = upload(&app, &op, &contact_path, "x.png", &png_fixture()).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // A deal's files: its closer's, not the contact's list, not other Sales'.
    let product: Value = app
        .bearer(
            Method::POST,
            "/api/products",
            &admin,
            Some(&json!({ "code": "TLDN-7", "name": "Thành lập doanh nghiệp", "base_price": 1_500_000 })),
        )
        .await
        .json()
        .await
        .expect("product");
    let deal: Value = app
        .bearer(
            Method::POST,
            "/api/deals",
            &sale_token,
            Some(&json!({
                "contact_id": id, "payment_status": "pending", "closed_on": "2026-01-23",
                "lines": [{ "product_id": product["id"], "quantity": 1 }],
            })),
        )
        .await
        .json()
        .await
        .expect("deal");
    let deal_path = format!("/api/deals/{}/attachments", deal["id"]);
    let contract = uploaded(
        &app,
        &sale_token,
        &deal_path,
        "hop-dong.pdf",
        &pdf_fixture(),
    )
    .await;
    assert_eq!(contract["deal_id"], deal["id"]);
    let on_contact: Value = app
        .bearer(Method::GET, &contact_path, &sale_token, None)
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(on_contact["items"].as_array().expect("items").len(), 1);
    let on_deal: Value = app
        .bearer(Method::GET, &deal_path, &sale_token, None)
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(on_deal["items"][0]["file_name"], "hop-dong.pdf");
    let contract_url = contract["download_url"].as_str().expect("url");
    for path in [deal_path.as_str(), contract_url] {
        let response = app.bearer(Method::GET, path, &other, None).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let fetched = app.bearer(Method::GET, contract_url, &admin, None).await;
    assert_eq!(fetched.status(), StatusCode::OK);
}

#[tokio::test]
async fn only_the_uploader_or_an_administrator_deletes_and_the_file_is_shredded() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (sale_id, sale_token) = sale(&app, "sale01").await;
    let id = held_contact(&app, &admin, sale_id, "0912000005").await;
    let path = format!("/api/contacts/{id}/attachments");
    let by_admin = uploaded(&app, &admin, &path, "cccd-mat-truoc.png", &png_fixture()).await;
    let by_sale = uploaded(&app, &sale_token, &path, "cccd-mat-sau.pdf", &pdf_fixture()).await;
    let list: Value = app
        .bearer(Method::GET, &path, &sale_token, None)
        .await
        .json()
        .await
        .expect("list");
    let flags: Vec<&Value> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| &i["can_delete"])
        .collect();
    assert_eq!(flags, [&json!(true), &json!(false)]);

    let delete = |file: &Value| format!("/api/attachments/{}", file["id"]);
    let refused = app
        .bearer(Method::DELETE, &delete(&by_admin), &sale_token, None)
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(stored_files(&app).len(), 2);

    let done = app
        .bearer(Method::DELETE, &delete(&by_sale), &sale_token, None)
        .await;
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    assert_eq!(stored_files(&app).len(), 1);
    let gone = app
        .bearer(
            Method::GET,
            by_sale["download_url"].as_str().expect("url"),
            &sale_token,
            None,
        )
        .await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let done = app
        .bearer(Method::DELETE, &delete(&by_admin), &admin, None)
        .await;
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    assert!(stored_files(&app).is_empty());
    assert_eq!(app.count("attachments").await, 0);
    assert_eq!(audit_total(&app, &admin, "attachments.deleted").await.0, 2);
}

#[tokio::test]
async fn purging_removes_only_the_files_uploaded_before_the_cutoff() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = held_contact(&app, &admin, sale(&app, "sale01").await.0, "0912000006").await;
    let path = format!("/api/contacts/{id}/attachments");
    let old = uploaded(&app, &admin, &path, "cu.png", &png_fixture()).await;
    app.clock.advance(chrono::Duration::hours(1));
    let cutoff = app.clock_now();
    let recent = uploaded(&app, &admin, &path, "moi.pdf", &pdf_fixture()).await;
    let data_dir: &Path = &app.dir.path().join("data");

    let purged = server::attachments::purge_uploaded_before(&app.db, data_dir, cutoff)
        .await
        .expect("purge");
    assert_eq!(purged, 1);
    assert_eq!(stored_files(&app).len(), 1);
    let status = |file: &Value| {
        let url = file["download_url"].as_str().expect("url").to_owned();
        let (app, admin) = (&app, &admin);
        async move { app.bearer(Method::GET, &url, admin, None).await.status() }
    };
    assert_eq!(status(&old).await, StatusCode::NOT_FOUND);
    assert_eq!(status(&recent).await, StatusCode::OK);
    let again = server::attachments::purge_uploaded_before(&app.db, data_dir, cutoff)
        .await
        .expect("purge");
    assert_eq!(again, 0);
}

/// A minimal Word or Excel file: the ZIP entries Office writes first (the type is read
/// from the folder of the third and fourth entries).
fn office_fixture(folder: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, body) in [
        ("[Content_Types].xml", "<Types/>"),
        ("_rels/.rels", "<Relationships/>"),
        (
            &format!("{folder}/document.xml"),
            "<document>Hợp đồng dịch vụ</document>",
        ),
        (
            &format!("{folder}/_rels/document.xml.rels"),
            "<Relationships/>",
        ),
    ] {
        zip.start_file(name, options).expect("entry");
        zip.write_all(body.as_bytes()).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

#[tokio::test]
async fn word_and_excel_files_are_told_from_other_zip_archives() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = held_contact(&app, &admin, sale(&app, "sale01").await.0, "0912000007").await;
    let path = format!("/api/contacts/{id}/attachments");
    let word = uploaded(
        &app,
        &admin,
        &path,
        "hop-dong.docx",
        &office_fixture("word"),
    )
    .await;
    assert_eq!(
        word["content_type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let sheet = uploaded(&app, &admin, &path, "bang-tinh.xlsx", &office_fixture("xl")).await;
    assert_eq!(
        sheet["content_type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let plain_zip = upload(&app, &admin, &path, "nen.docx", &office_fixture("payload")).await;
    assert_eq!(plain_zip.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
