//! The retention policy with an injected clock: years pass in a test, and each rule
//! removes exactly what is past its period — while the audit chain, archived or not,
//! still verifies, and an altered archive file is caught.

use std::{path::Path, process::Command};

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    attachments::{held_contact, png_fixture, stored_files, uploaded},
    contacts::sale,
    helpers::{TestApp, error_of, spawn_app},
};

async fn run(app: &TestApp, admin: &str) -> Value {
    let response = app
        .bearer(Method::POST, "/api/retention/run", admin, None)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("report")
}

async fn contact(app: &TestApp, admin: &str, id: i64) -> Value {
    app.bearer(Method::GET, &format!("/api/contacts/{id}"), admin, None)
        .await
        .json()
        .await
        .expect("contact")
}

async fn verify(app: &TestApp, admin: &str) -> Value {
    app.bearer(Method::GET, "/api/audit/verify", admin, None)
        .await
        .json()
        .await
        .expect("verify")
}

fn cli_verify(app: &TestApp) -> (bool, String) {
    let data: &Path = &app.dir.path().join("data");
    let output = Command::new(env!("CARGO_BIN_EXE_ankhang"))
        .args(["audit", "verify"])
        .env("DATABASE_URL", &app.database_url)
        .env("ANKHANG_DATA_DIR", data)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run ankhang");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

async fn product(app: &TestApp, admin: &str) -> i64 {
    let response = app
        .bearer(
            Method::POST,
            "/api/products",
            admin,
            Some(&json!({ "code": "LUU", "name": "Gói lưu trữ", "base_price": 1_000_000 })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.expect("product")["id"]
        .as_i64()
        .expect("id")
}

#[tokio::test]
async fn each_rule_removes_only_what_is_past_its_period_and_the_chain_still_verifies() {
    let app = spawn_app().await;
    let mut admin = app.admin_token().await;
    let (sale_id, sale_token) = sale(&app, "sale01").await;
    let failed = held_contact(&app, &admin, sale_id, "0916000001").await;
    let moved = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{failed}/status"),
            &sale_token,
            Some(&json!({ "status": "failed" })),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let active = held_contact(&app, &admin, sale_id, "0916000002").await;
    uploaded(
        &app,
        &sale_token,
        &format!("/api/contacts/{active}/attachments"),
        "hop-dong.png",
        &png_fixture(),
    )
    .await;
    let won = held_contact(&app, &admin, sale_id, "0916000003").await;
    let product = product(&app, &admin).await;
    let today = app.clock_now().date_naive().to_string();
    let deal = app
        .bearer(
            Method::POST,
            "/api/deals",
            &sale_token,
            Some(&json!({
                "contact_id": won, "lines": [{ "product_id": product, "quantity": 1 }],
                "payment_status": "paid", "closed_on": today,
            })),
        )
        .await;
    assert_eq!(
        deal.status(),
        StatusCode::CREATED,
        "{:?}",
        deal.text().await
    );
    assert!(app.count("events").await > 0);

    // Nothing is old yet.
    let first = run(&app, &admin).await;
    assert_eq!(first["inactive_contacts_anonymized"], 0, "{first}");
    assert_eq!(first["audit_archived"], 0);

    // Two years and a day: the failed contact goes; system logs (12 months) too.
    app.clock.advance(Duration::days(2 * 366));
    // Sessions end after three idle days: sign in again.
    admin = app.admin_token().await;
    let second = run(&app, &admin).await;
    assert_eq!(second["inactive_contacts_anonymized"], 1, "{second}");
    assert_eq!(second["won_contacts_anonymized"], 0);
    assert!(
        second["system_rows_deleted"].as_u64().unwrap_or(0) > 0,
        "{second}"
    );
    assert_eq!(app.count("events").await, 0);
    assert_eq!(contact(&app, &admin, failed).await["anonymized"], true);
    assert_eq!(
        contact(&app, &admin, active).await["full_name"],
        "Nguyễn Văn Mật"
    );
    assert_eq!(stored_files(&app).len(), 1, "files are kept five years");

    // Six years: the file goes, audit entries older than five years are archived.
    app.clock.advance(Duration::days(4 * 366));
    admin = app.admin_token().await;
    let third = run(&app, &admin).await;
    assert_eq!(third["attachments_deleted"], 1, "{third}");
    assert!(stored_files(&app).is_empty());
    let archived = third["audit_archived"].as_u64().expect("archived");
    assert!(archived > 10, "{third}");
    assert_eq!(third["audit_files"].as_array().map(Vec::len), Some(1));
    let check = verify(&app, &admin).await;
    assert_eq!(check["ok"], true, "{check}");
    assert_eq!(check["archived"], archived);
    assert_eq!(
        contact(&app, &admin, won).await["anonymized"],
        false,
        "deals keep 10 years"
    );
    let (ok, out) = cli_verify(&app);
    assert!(
        ok && out.contains("Nhật ký đã lưu trữ nguyên vẹn: 1 tệp"),
        "{out}"
    );

    // Eleven years: the won contact is anonymised, its deal's amount stays.
    app.clock.advance(Duration::days(5 * 366));
    admin = app.admin_token().await;
    let fourth = run(&app, &admin).await;
    assert_eq!(fourth["won_contacts_anonymized"], 1, "{fourth}");
    assert_eq!(contact(&app, &admin, won).await["anonymized"], true);
    let deals: Value = app
        .bearer(Method::GET, "/api/deals", &admin, None)
        .await
        .json()
        .await
        .expect("deals");
    assert_eq!(deals["items"][0]["total"], 1_000_000, "{deals}");
    assert_eq!(verify(&app, &admin).await["ok"], true);

    // Every run is in the trail (the early ones now in the archive file).
    let runs: Value = app
        .bearer(
            Method::GET,
            "/api/audit?action=data.retention_run",
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("audit");
    assert!(runs["total"].as_u64().unwrap_or(0) >= 1, "{runs}");

    let policy: Value = app
        .bearer(Method::GET, "/api/retention", &admin, None)
        .await
        .json()
        .await
        .expect("policy");
    assert_eq!(policy["audit_months"], 60);
    assert_eq!(policy["last_run"]["won_contacts_anonymized"], 1, "{policy}");

    // An altered archive file is named.
    let archive_dir = app.dir.path().join("data").join("archive");
    let file = std::fs::read_dir(&archive_dir)
        .expect("archive dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "gz"))
        .expect("an archive file");
    let mut bytes = std::fs::read(&file).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&file, bytes).expect("write");
    let (ok, out) = cli_verify(&app);
    assert!(!ok, "{out}");
    assert!(out.contains("audit-"), "{out}");
}

#[tokio::test]
async fn only_holders_of_data_retention_may_run_it() {
    let app = spawn_app().await;
    let (_, sale_token) = sale(&app, "sale01").await;
    let response = app
        .bearer(Method::POST, "/api/retention/run", &sale_token, None)
        .await;
    assert_eq!(error_of(response).await.0, StatusCode::FORBIDDEN);
}
