//! The whole firm's data for porting: every table, personal fields readable, no
//! secrets, anonymized people still anonymous, and the contacts file imports back.

use std::{collections::BTreeMap, io::Read};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    contacts::{operator, sale, service_type_id},
    helpers::{error_of, spawn_app},
};

fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("utf-8");
        let name = entry.name().expect("entry name").into_owned();
        files.insert(name, text);
    }
    files
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

#[tokio::test]
async fn the_tenant_export_holds_every_table_readable_without_secrets_and_imports_back() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (_, sale_token) = sale(&app, "sale01").await;
    let st = service_type_id(&app, "TLDN").await;
    let mut ids = Vec::new();
    for (name, phone) in [
        ("Đặng Thị Chuyển", "0977000001"),
        ("Bùi Văn Giữ", "0977000002"),
        ("Hà Thị Quên", "0977000003"),
    ] {
        let created: Value = app
            .bearer(
                Method::POST,
                "/api/contacts",
                &op,
                Some(
                    &json!({"full_name": name, "phone": phone, "service_type_id": st,
                    "source": "google", "note": format!("Ghi chú của {name}")}),
                ),
            )
            .await
            .json()
            .await
            .expect("created");
        ids.push((created["id"].as_i64().expect("id"), created["code"].clone()));
    }
    let (first, _) = ids[0];
    let picked = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{first}/pick"),
            &sale_token,
            None,
        )
        .await;
    assert_eq!(picked.status(), StatusCode::OK);
    let added = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{first}/interactions"),
            &sale_token,
            Some(&json!({ "kind": "call", "content": "Khách hẹn ký hợp đồng thứ Hai" })),
        )
        .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let (gone, gone_code) = ids[2].clone();
    let anonymized = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{gone}/anonymize"),
            &admin,
            Some(&json!({ "confirm_code": gone_code })),
        )
        .await;
    assert_eq!(anonymized.status(), StatusCode::OK);

    let refused = app
        .bearer(Method::GET, "/api/export/all", &sale_token, None)
        .await;
    assert_eq!(error_of(refused).await.0, StatusCode::FORBIDDEN);
    let response = app
        .bearer(Method::GET, "/api/export/all", &admin, None)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().await.expect("body");
    let files = unzip(&bytes);
    for name in [
        "manifest.json",
        "contacts.jsonl",
        "khach-hang.csv",
        "interactions.jsonl",
        "users.jsonl",
        "teams.jsonl",
        "roles.jsonl",
        "service_types.jsonl",
        "products.jsonl",
        "coupons.jsonl",
        "deals.jsonl",
        "deal_lines.jsonl",
        "deal_payments.jsonl",
    ] {
        assert!(
            files.contains_key(name),
            "{name} missing: {:?}",
            files.keys()
        );
    }
    let manifest: Value = serde_json::from_str(&files["manifest.json"]).expect("manifest");
    assert_eq!(manifest["files"]["contacts.jsonl"], 3);
    assert_eq!(
        manifest["files"]["khach-hang.csv"], 2,
        "anonymized people stay out"
    );

    let contacts = lines(&files["contacts.jsonl"]);
    assert_eq!(contacts[0]["full_name"], "Đặng Thị Chuyển");
    assert_eq!(contacts[0]["phone"], "0977000001");
    assert_eq!(contacts[0]["assignee"], "sale01");
    assert_eq!(contacts[2]["anonymized"], true);
    assert_eq!(contacts[2]["phone"], Value::Null);
    let everything: String = files.values().cloned().collect();
    assert!(!everything.contains("Hà Thị Quên") && !everything.contains("0977000003"));
    assert!(!everything.contains("password_hash") && !everything.contains("$argon2"));
    assert!(everything.contains("Khách hẹn ký hợp đồng thứ Hai"));
    let users = lines(&files["users.jsonl"]);
    let seller = users
        .iter()
        .find(|u| u["username"] == "sale01")
        .expect("sale01");
    assert_eq!(seller["roles"], json!(["Sale"]));

    let audit: Value = app
        .bearer(
            Method::GET,
            "/api/audit?action=data.tenant_exported",
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("audit");
    assert_eq!(audit["total"], 1);

    // Another office takes the contacts straight in.
    let other = spawn_app().await;
    sale(&other, "sale01").await;
    let other_admin = other.admin_token().await;
    let report: Value = other
        .bearer(
            Method::POST,
            "/api/imports/contacts/dry-run",
            &other_admin,
            Some(&json!({ "csv": files["khach-hang.csv"] })),
        )
        .await
        .json()
        .await
        .expect("report");
    assert_eq!(report["valid"], 2, "{report}");
    assert_eq!(report["errors"], json!([]), "{report}");
}
