//! CSV and XLSX exports: content, row-level security and masking, audit.

use std::io::Read;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    contacts::{new_contact, operator, sale},
    helpers::{TestApp, spawn_app},
};

async fn download(app: &TestApp, token: &str, path: &str) -> (StatusCode, Option<String>, Vec<u8>) {
    let response = app.bearer(Method::GET, path, token, None).await;
    let status = response.status();
    let disposition = response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (
        status,
        disposition,
        response.bytes().await.expect("body").to_vec(),
    )
}

fn csv_lines(body: &[u8]) -> Vec<String> {
    assert!(body.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    String::from_utf8(body[3..].to_vec())
        .expect("utf-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Every text of the first sheet (constant-memory sheets write strings inline).
fn xlsx_text(body: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(body)).expect("a zip");
    let mut sheet = archive.by_name("xl/worksheets/sheet1.xml").expect("sheet1");
    let mut xml = String::new();
    sheet.read_to_string(&mut xml).expect("xml");
    xml
}

#[tokio::test]
async fn contacts_export_as_csv_and_xlsx_within_the_callers_scope() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (sale_id, sale_token) = sale(&app, "sale01").await;
    let (_, rival) = crate::contacts::sale(&app, "sale02").await;
    new_contact(&app, &op, "Nguyễn Văn Chờ", "0918000001").await;
    let held = new_contact(&app, &op, "Trần Thị Giữ", "0918000002").await;
    let picked = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{}/pick", held["id"]),
            &rival,
            None,
        )
        .await;
    assert_eq!(picked.status(), StatusCode::OK);

    let (status, disposition, body) =
        download(&app, &admin, "/api/contacts/export?format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        disposition.is_some_and(|d| d.contains("khach-hang-") && d.ends_with(".csv\"")),
        "a named attachment"
    );
    let lines = csv_lines(&body);
    assert!(
        lines[0].starts_with("Mã KH,Họ tên,Số điện thoại"),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 3, "heading and two contacts");
    assert!(
        lines[1].contains("Trần Thị Giữ") && lines[1].contains("0918000002"),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains("Đang tư vấn") && lines[1].contains("Nhân viên sale02"));

    let (status, _, body) =
        download(&app, &admin, "/api/contacts/export?format=xlsx&status=new").await;
    assert_eq!(status, StatusCode::OK);
    let xml = xlsx_text(&body);
    assert!(
        xml.contains("Nguyễn Văn Chờ") && !xml.contains("Trần Thị Giữ"),
        "filters apply"
    );

    // Sales may not export by default; granted it, they get only what they may see,
    // with the pool's phones masked.
    let (status, _, _) = download(&app, &sale_token, "/api/contacts/export").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let granted = app
        .bearer(
            Method::PUT,
            &format!("/api/users/{sale_id}/overrides"),
            &admin,
            Some(&json!({ "overrides": [{ "code": "contacts.export", "granted": true }] })),
        )
        .await;
    assert_eq!(granted.status(), StatusCode::OK);
    let (status, _, body) = download(&app, &sale_token, "/api/contacts/export").await;
    assert_eq!(status, StatusCode::OK);
    let lines = csv_lines(&body);
    assert_eq!(lines.len(), 2, "only the pool contact: {lines:?}");
    assert!(
        lines[1].contains("Nguyễn Văn Chờ") && lines[1].contains("09******01"),
        "{}",
        lines[1]
    );
    assert!(!lines[1].contains("0918000001"), "masked");

    let (status, _, body) = download(&app, &admin, "/api/contacts/export?format=pdf").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(error["field"], "format");

    let audit: Value = app
        .bearer(
            Method::GET,
            "/api/audit?action=contacts.exported",
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(audit["total"], 3, "every export is audited: {audit}");
}

#[tokio::test]
async fn deals_and_report_tables_export_with_their_figures() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (_, sale_token) = sale(&app, "sale01").await;
    let product: Value = app
        .bearer(
            Method::POST,
            "/api/products",
            &admin,
            Some(&json!({ "code": "DVK-25", "name": "Dịch vụ khác", "base_price": 2_500_000 })),
        )
        .await
        .json()
        .await
        .expect("product");
    let contact = new_contact(&app, &op, "Lê Văn Ký", "0918000003").await;
    let id = contact["id"].as_i64().expect("id");
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
                "lines": [{ "product_id": product["id"], "quantity": 2 }],
                "payment_status": "paid",
                "closed_on": "2026-01-23",
            })),
        )
        .await;
    assert_eq!(deal.status(), StatusCode::CREATED);

    let (status, _, body) = download(&app, &sale_token, "/api/deals/export").await;
    assert_eq!(status, StatusCode::OK, "a Sale exports their own deals");
    let lines = csv_lines(&body);
    assert_eq!(lines.len(), 2);
    assert!(
        lines[1].starts_with(
            "HD2026-001,KH2026-001,Lê Văn Ký,Dịch vụ khác,,5000000,Đã thanh toán đủ,23/01/2026"
        ),
        "{}",
        lines[1]
    );

    let (status, disposition, body) = download(
        &app,
        &admin,
        "/api/reports/export?table=top_performers&period=month",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        disposition.is_some_and(|d| d.contains("bao-cao-top-performers-2026-01-01-2026-01-31"))
    );
    let lines = csv_lines(&body);
    assert_eq!(lines[0], "Nhân viên,Nhóm,Khách đã nhận,Hợp đồng,Doanh thu");
    assert_eq!(lines[1], "Nhân viên sale01,,1,1,5000000");

    let (status, _, body) = download(
        &app,
        &admin,
        "/api/reports/export?table=status&format=xlsx&period=month",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(xlsx_text(&body).contains("Chốt"));

    let (status, _, body) = download(&app, &admin, "/api/reports/export?table=secrets").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(error["field"], "table");
    let (status, _, _) = download(&app, &sale_token, "/api/reports/export?table=status").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
