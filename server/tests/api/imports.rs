//! Importing the old Google Sheets: the dry run names every bad row, the import stores
//! exactly the valid ones with their history, and running it again adds nothing.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    cli::ankhang,
    contacts::{operator, sale, service_type_id},
    helpers::{TestApp, error_of, spawn_app},
};

const HEADINGS: &str =
    "Tên khách hàng,SĐT,Email,Loại nhu cầu,Nguồn liên hệ,Trạng thái,Người tư vấn,Ngày tạo,Ghi chú";

fn sheet(rows: &[&str]) -> String {
    // Sheets' CSV download starts with a BOM in some browsers; the import accepts both.
    format!("\u{feff}{HEADINGS}\n{}\n", rows.join("\n"))
}

async fn dry_run(app: &TestApp, token: &str, body: &Value) -> (StatusCode, Value) {
    let response = app
        .bearer(
            Method::POST,
            "/api/imports/contacts/dry-run",
            token,
            Some(body),
        )
        .await;
    let status = response.status();
    (status, response.json().await.expect("json"))
}

/// Starts an import and waits for it to finish.
async fn import(app: &TestApp, token: &str, csv: &str) -> Value {
    let response = app
        .bearer(
            Method::POST,
            "/api/imports/contacts",
            token,
            Some(&json!({ "csv": csv })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let job: Value = response.json().await.expect("job");
    let id = job["id"].as_u64().expect("id");
    for _ in 0..200 {
        let now: Value = app
            .bearer(Method::GET, &format!("/api/imports/{id}"), token, None)
            .await
            .json()
            .await
            .expect("progress");
        if now["done"] == true {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the import never finished");
}

async fn contacts(app: &TestApp, token: &str) -> Vec<Value> {
    let page: Value = app
        .bearer(Method::GET, "/api/contacts?per_page=100", token, None)
        .await
        .json()
        .await
        .expect("page");
    page["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn the_dry_run_names_every_bad_row_and_writes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    sale(&app, "sale01").await;
    let st = service_type_id(&app, "TLDN").await;
    let known = app
        .bearer(
            Method::POST,
            "/api/contacts",
            &op,
            Some(&json!({"full_name": "Đã Có", "phone": "0911000001", "service_type_id": st, "source": "google"})),
        )
        .await;
    assert_eq!(known.status(), StatusCode::CREATED);
    let before = app.count("contacts").await;
    let csv = sheet(&[
        "Nguyễn Văn An,0911000101,an@example.vn,TLDN,Ladi Zalo,,,01/11/2025 09:15,Gọi lại chiều",
        "Trần Thị Bình,911000102,,Thành lập doanh nghiệp,fb_mess,Thất bại,sale01,02/11/2025,",
        "Lê Sai Số,09110,,TLDN,google,,,,",
        ",0911000104,,TLDN,google,,,,",
        "Phạm Dịch Vụ,0911000105,,KHONGCO,google,,,,",
        "Hoàng Nguồn,0911000106,,TLDN,Báo giấy,,,,",
        "Vũ Ngày,0911000107,,TLDN,google,,,31/02/2026,",
        "Đỗ Trùng,0911000101,,TLDN,google,,,,",
        "Khách Cũ,0911000001,,TLDN,google,,,,",
        "Ngô Tư Vấn,0911000110,,TLDN,google,Đang tư vấn,,,",
        ",,,,,,,,",
    ]);
    let (status, report) = dry_run(&app, &admin, &json!({ "csv": csv })).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        report["rows"], 10,
        "the trailing empty row is not data: {report}"
    );
    assert_eq!(report["valid"], 2, "{report}");
    assert_eq!(report["mapping"]["phone"], "SĐT");
    let errors: Vec<(u64, String, String)> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().expect("line"),
                e["field"].as_str().expect("field").to_owned(),
                e["message"].as_str().expect("message").to_owned(),
            )
        })
        .collect();
    let lines: Vec<(u64, &str)> = errors.iter().map(|(l, f, _)| (*l, f.as_str())).collect();
    assert_eq!(
        lines,
        [
            (4, "Số điện thoại"),
            (5, "Họ tên"),
            (6, "Dịch vụ"),
            (7, "Nguồn"),
            (8, "Ngày tạo"),
            (11, "Người nhận"),
        ],
        "{errors:?}"
    );
    assert!(
        errors[0].2.contains("Số điện thoại không đúng định dạng"),
        "{errors:?}"
    );
    assert!(errors[2].2.contains("KHONGCO"), "{errors:?}");
    let skipped: Vec<(u64, String)> = report["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            (
                s["line"].as_u64().expect("line"),
                s["reason"].as_str().expect("reason").to_owned(),
            )
        })
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].1.contains("dòng 2"), "{skipped:?}");
    assert!(skipped[1].1.contains("đã có trong hệ thống"), "{skipped:?}");
    assert_eq!(
        app.count("contacts").await,
        before,
        "a dry run writes nothing"
    );

    let (status, body) = dry_run(
        &app,
        &admin,
        &json!({ "csv": "Tên khách hàng,Email\nAn,a@b.vn\n" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "mapping.phone", "{body}");
    let (status, body) = dry_run(&app, &admin, &json!({ "csv": "" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "csv", "{body}");
}

#[tokio::test]
async fn importing_stores_valid_rows_with_their_history_and_a_second_run_adds_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (sale_id, sale_token) = sale(&app, "sale01").await;
    let csv = sheet(&[
        "Nguyễn Văn An,0911000101,an@example.vn,TLDN,Ladi Zalo,,,01/11/2025 09:15,Gọi lại chiều",
        "Trần Thị Bình,0911000102,,TLDN,fb_mess,Chốt,Nhân viên sale01,02/11/2025,",
        "Lê Sai Số,09110,,TLDN,google,,,,",
    ]);
    let job = import(&app, &admin, &csv).await;
    assert_eq!(
        (
            job["imported"].as_u64(),
            job["skipped"].as_u64(),
            job["failed"].as_u64()
        ),
        (Some(2), Some(0), Some(1)),
        "{job}"
    );
    assert_eq!(job["errors"][0]["line"], 4);

    let list = contacts(&app, &admin).await;
    let an = list
        .iter()
        .find(|c| c["phone"] == "0911000101")
        .expect("An");
    assert_eq!(an["full_name"], "Nguyễn Văn An");
    assert_eq!(an["status"], "new");
    assert_eq!(an["note"], "Gọi lại chiều");
    assert_eq!(
        an["created_at"], "2025-11-01T02:15:00Z",
        "Vietnamese time kept: {an}"
    );
    let binh = list
        .iter()
        .find(|c| c["phone"] == "0911000102")
        .expect("Bình");
    assert_eq!(binh["status"], "won");
    assert_eq!(binh["assignee_id"], sale_id);
    // The Sale sees the lead the sheet gave them.
    let mine = contacts(&app, &sale_token).await;
    assert!(mine.iter().any(|c| c["phone"] == "0911000102"), "{mine:?}");

    let again = import(&app, &admin, &csv).await;
    assert_eq!(
        (again["imported"].as_u64(), again["skipped"].as_u64()),
        (Some(0), Some(2)),
        "{again}"
    );
    assert_eq!(app.count("contacts").await, 2);

    let audit: Value = app
        .bearer(
            Method::GET,
            "/api/audit?action=contacts.imported",
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("audit");
    assert_eq!(audit["total"], 2, "{audit}");
    let finished: Value = app
        .bearer(
            Method::GET,
            "/api/audit?action=contacts.import_finished",
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("audit");
    assert_eq!(finished["total"], 2, "{finished}");
    let verify: Value = app
        .bearer(Method::GET, "/api/audit/verify", &admin, None)
        .await
        .json()
        .await
        .expect("verify");
    assert_eq!(verify["ok"], true, "{verify}");
}

#[tokio::test]
async fn two_imports_of_the_same_file_at_once_store_each_person_once() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let rows: Vec<String> = (0..60)
        .map(|i| format!("Khách {i},09120{i:05},,TLDN,google,,,,"))
        .collect();
    let csv = sheet(&rows.iter().map(String::as_str).collect::<Vec<_>>());
    let (a, b) = tokio::join!(import(&app, &admin, &csv), import(&app, &admin, &csv));
    assert_eq!(
        a["imported"].as_u64().unwrap_or(0) + b["imported"].as_u64().unwrap_or(0),
        60,
        "{a} {b}"
    );
    assert_eq!(app.count("contacts").await, 60);
}

#[tokio::test]
async fn our_own_contacts_export_imports_back_into_another_office() {
    let source = spawn_app().await;
    let op = operator(&source, "tongdai01").await;
    let (_, sale_token) = sale(&source, "sale01").await;
    let st = service_type_id(&source, "TLDN").await;
    for (name, phone) in [
        ("Phan Thị Xuất", "0933000001"),
        ("Lý Văn Nhập", "0933000002"),
    ] {
        let created = source
            .bearer(
                Method::POST,
                "/api/contacts",
                &op,
                Some(
                    &json!({"full_name": name, "phone": phone, "service_type_id": st,
                    "source": "ladi_hotline", "email": "x@example.vn", "note": "Dòng 1\nDòng 2"}),
                ),
            )
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);
    }
    let picked: Value = source
        .bearer(Method::GET, "/api/contacts?per_page=10", &sale_token, None)
        .await
        .json()
        .await
        .expect("list");
    let first = picked["items"][0]["id"].as_i64().expect("id");
    let pick = source
        .bearer(
            Method::POST,
            &format!("/api/contacts/{first}/pick"),
            &sale_token,
            None,
        )
        .await;
    assert_eq!(pick.status(), StatusCode::OK);
    let admin = source.admin_token().await;
    let csv = source
        .bearer(Method::GET, "/api/contacts/export?format=csv", &admin, None)
        .await
        .text()
        .await
        .expect("csv");

    let target = spawn_app().await;
    sale(&target, "sale01").await;
    let target_admin = target.admin_token().await;
    let job = import(&target, &target_admin, &csv).await;
    assert_eq!(job["imported"], 2, "{job}");
    let mut before = contacts(&source, &admin).await;
    let mut after = contacts(&target, &target_admin).await;
    let key = |c: &Value| c["phone"].as_str().unwrap_or_default().to_owned();
    before.sort_by_key(key);
    after.sort_by_key(key);
    for (b, a) in before.iter().zip(&after) {
        for field in [
            "full_name",
            "phone",
            "email",
            "note",
            "status",
            "source",
            "created_at",
        ] {
            assert_eq!(a[field], b[field], "{field}: {a} vs {b}");
        }
        assert_eq!(a["assignee_name"], b["assignee_name"]);
    }
}

#[tokio::test]
async fn only_holders_of_contacts_import_may_import() {
    let app = spawn_app().await;
    let (_, sale_token) = sale(&app, "sale01").await;
    let response = app
        .bearer(
            Method::POST,
            "/api/imports/contacts/dry-run",
            &sale_token,
            Some(&json!({ "csv": sheet(&[]) })),
        )
        .await;
    let (status, _) = error_of(response).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[test]
fn the_cli_dry_run_prints_bad_rows_and_the_import_is_idempotent() {
    let dir = tempfile::tempdir().expect("dir");
    let (ok, out) = ankhang(dir.path(), &["bootstrap-admin"]);
    assert!(ok, "{out}");
    let file = dir.path().join("khach-hang.csv");
    std::fs::write(
        &file,
        sheet(&[
            "Nguyễn CLI,0944000001,,TLDN,google,,,,",
            "Sai CLI,0944,,TLDN,google,,,,",
        ]),
    )
    .expect("write");
    let path = file.to_str().expect("utf-8 path");
    let (ok, out) = ankhang(dir.path(), &["import", path, "--dry-run"]);
    assert!(!ok, "bad rows make the dry run exit 1: {out}");
    assert!(out.contains("Dòng 3: Số điện thoại"), "{out}");
    assert!(out.contains("1 dòng sẽ được nhập"), "{out}");

    std::fs::write(&file, sheet(&["Nguyễn CLI,0944000001,,TLDN,google,,,,"])).expect("write");
    let (ok, out) = ankhang(dir.path(), &["import", path]);
    assert!(ok, "{out}");
    assert!(out.contains("Đã nhập 1 khách hàng"), "{out}");
    let (ok, out) = ankhang(dir.path(), &["import", path]);
    assert!(ok, "{out}");
    assert!(out.contains("Đã nhập 0 khách hàng; bỏ qua 1"), "{out}");
}
