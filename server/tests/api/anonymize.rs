//! The right to be forgotten: after anonymizing, the person's name, phone and notes
//! are readable nowhere — API, audit, exports, database file — and the chain verifies.

use entities::contact_key;
use futures_util::{SinkExt, StreamExt};
use reqwest::{Method, StatusCode};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::{
    contacts::{operator, sale, service_type_id},
    encryption::{contains, database_bytes},
    helpers::{error_of, spawn_app},
};

/// Folds the whole WAL into the database file and empties it, retrying while the
/// server's own readers (matcher, dispatcher, checkpointer) hold a snapshot.
async fn fold_the_wal(app: &crate::helpers::TestApp) {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    for _ in 0..100 {
        let row = app
            .db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA wal_checkpoint(TRUNCATE)",
            ))
            .await
            .expect("checkpoint")
            .expect("row");
        let busy: i64 = row.try_get_by_index(0).expect("busy");
        if busy == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the WAL never folded in");
}

const NAME: &str = "Trịnh Văn Quên Lãng";
const PHONE: &str = "0986000777";
const NOTE: &str = "Hồ sơ ly hôn bí mật 4412";
const INTERACTION: &str = "Khách kể về tranh chấp đất 5521";

#[tokio::test]
async fn anonymizing_erases_every_readable_trace_and_keeps_the_chain_and_the_code() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (_, sale_token) = sale(&app, "sale01").await;
    let st = service_type_id(&app, "TLDN").await;
    let created: Value = app
        .bearer(
            Method::POST,
            "/api/contacts",
            &op,
            Some(&json!({
                "full_name": NAME, "phone": PHONE, "service_type_id": st,
                "source": "ladi_zalo", "email": "quen.lang@example.vn", "note": NOTE
            })),
        )
        .await
        .json()
        .await
        .expect("json");
    let id = created["id"].as_i64().expect("id");
    let code = created["code"].as_str().expect("code").to_owned();
    app.bearer(
        Method::POST,
        &format!("/api/contacts/{id}/pick"),
        &sale_token,
        None,
    )
    .await;
    let added = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{id}/interactions"),
            &sale_token,
            Some(&json!({ "kind": "call", "content": INTERACTION })),
        )
        .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let file = crate::attachments::uploaded(
        &app,
        &sale_token,
        &format!("/api/contacts/{id}/attachments"),
        "CCCD Trịnh Văn Quên Lãng.pdf",
        &crate::attachments::pdf_fixture(),
    )
    .await;
    assert_eq!(crate::attachments::stored_files(&app).len(), 1);
    let wrapped = contact_key::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("key")
        .wrapped_key;

    // Only its code confirms; a Sale may not do it at all.
    let url = format!("/api/contacts/{id}/anonymize");
    let wrong = app
        .bearer(
            Method::POST,
            &url,
            &admin,
            Some(&json!({ "confirm_code": "KH0000-999" })),
        )
        .await;
    let (status, body) = error_of(wrong).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "confirm_code");
    let refused = app
        .bearer(
            Method::POST,
            &url,
            &sale_token,
            Some(&json!({ "confirm_code": code })),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let done = app
        .bearer(
            Method::POST,
            &url,
            &admin,
            Some(&json!({ "confirm_code": code.to_lowercase() })),
        )
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    let shown: Value = done.json().await.expect("json");
    assert_eq!(shown["full_name"], code);
    assert_eq!(shown["code"], code);
    let again = app
        .bearer(
            Method::POST,
            &url,
            &admin,
            Some(&json!({ "confirm_code": code })),
        )
        .await;
    let (status, body) = error_of(again).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"], "already_anonymized");

    // Nothing readable through the API: the contact, its interactions, its history,
    // the audit trail, the export, the search by phone.
    let mut seen = String::new();
    for path in [
        format!("/api/contacts/{id}"),
        format!("/api/contacts/{id}/interactions"),
        format!("/api/contacts/{id}/history"),
        format!("/api/audit?target=contact:{id}"),
        "/api/audit?per_page=200".to_owned(),
        "/api/contacts/export?format=csv".to_owned(),
        format!("/api/contacts?q={PHONE}"),
    ] {
        let response = app.bearer(Method::GET, &path, &admin, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        seen.push_str(&response.text().await.expect("text"));
    }
    for secret in [NAME, PHONE, NOTE, INTERACTION, "quen.lang@example.vn"] {
        assert!(!seen.contains(secret), "{secret} still readable");
    }
    let found: Value = app
        .bearer(
            Method::GET,
            &format!("/api/contacts?q={PHONE}"),
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(found["total"], 0);
    assert!(seen.contains("contacts.anonymized"));

    // Its files are gone: the row, the file on disk, the download.
    assert!(crate::attachments::stored_files(&app).is_empty());
    assert_eq!(app.count("attachments").await, 0);
    let download = app
        .bearer(
            Method::GET,
            file["download_url"].as_str().expect("url"),
            &admin,
            None,
        )
        .await;
    assert_eq!(download.status(), StatusCode::NOT_FOUND);

    // The key is gone from the file too (overwritten, not left in a free page), so
    // old sealed copies — here or in backups — stay unreadable.
    if crate::helpers::database::backend() == crate::helpers::database::Backend::Sqlite {
        fold_the_wal(&app).await;
    }
    let bytes = database_bytes(&app).await;
    assert!(!contains(&bytes, &wrapped), "the wrapped data key survived");
    for secret in [NAME, PHONE, NOTE, INTERACTION] {
        assert!(!contains(&bytes, secret), "{secret} in the database file");
    }

    // A client resuming from the start is replayed the contact's events without it.
    let mut socket = crate::ws::connect(&app, Some(&admin))
        .await
        .expect("socket");
    socket
        .send(Message::text(r#"{"type":"resume","after_seq":0}"#))
        .await
        .expect("resume");
    let mut replayed = String::new();
    while let Ok(Some(Ok(frame))) =
        tokio::time::timeout(std::time::Duration::from_millis(500), socket.next()).await
    {
        if let Message::Text(text) = frame {
            replayed.push_str(&text);
        }
    }
    assert!(replayed.contains("contact.created"), "{replayed}");
    assert!(!replayed.contains(NAME), "{replayed}");

    let verified: Value = app
        .bearer(Method::GET, "/api/audit/verify", &admin, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(verified["ok"], true, "{verified}");
}

#[tokio::test]
async fn one_contacts_data_exports_as_json_csv_and_xlsx_and_is_audited() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (_, sale_token) = sale(&app, "sale01").await;
    let contact = crate::contacts::new_contact(&app, &op, NAME, PHONE).await;
    let id = contact["id"].as_i64().expect("id");
    let code = contact["code"].as_str().expect("code").to_owned();
    app.bearer(
        Method::POST,
        &format!("/api/contacts/{id}/pick"),
        &sale_token,
        None,
    )
    .await;
    app.bearer(
        Method::POST,
        &format!("/api/contacts/{id}/interactions"),
        &sale_token,
        Some(&json!({ "kind": "call", "content": INTERACTION })),
    )
    .await;

    let url = format!("/api/contacts/{id}/data");
    let response = app.bearer(Method::GET, &url, &admin, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .to_owned();
    assert!(disposition.contains(&format!("du-lieu-{}.json", code.to_lowercase())));
    let file: Value = response.json().await.expect("json");
    assert_eq!(file["contact"]["full_name"], NAME);
    assert_eq!(file["contact"]["phone"], PHONE);
    assert_eq!(file["interactions"][0]["content"], INTERACTION);
    assert!(file["history"].as_array().expect("history").len() >= 2);

    let csv = app
        .bearer(Method::GET, &format!("{url}?format=csv"), &admin, None)
        .await
        .text()
        .await
        .expect("csv");
    assert!(csv.starts_with('\u{feff}'), "BOM for Excel");
    assert!(csv.contains(NAME) && csv.contains(PHONE) && csv.contains(INTERACTION));
    let xlsx = app
        .bearer(Method::GET, &format!("{url}?format=xlsx"), &admin, None)
        .await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.expect("bytes").starts_with(b"PK"));

    let bad = app
        .bearer(Method::GET, &format!("{url}?format=pdf"), &admin, None)
        .await;
    let (status, body) = error_of(bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "format");
    let refused = app.bearer(Method::GET, &url, &sale_token, None).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let audited: Value = app
        .bearer(
            Method::GET,
            "/api/audit?action=contacts.data_exported",
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(audited["total"], 3);
}
