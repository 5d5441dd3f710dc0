//! Personal data never reaches the database file in plain text.

use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};

use crate::{
    contacts::{operator, sale, service_type_id},
    helpers::{
        TestApp,
        database::{Backend, backend},
        spawn_app,
    },
};

const NAME: &str = "Phạm Thị Độc Nhất";
const PHONE: &str = "0987123456";
const EMAIL: &str = "doc.nhat.bimat@example.vn";
const NOTE: &str = "Ghi chú rất riêng tư số 771";
const INTERACTION: &str = "Khách kể chuyện gia đình 993";

/// What the database holds, to look for plaintext in: on SQLite its files byte for
/// byte (free pages and the write-ahead log included); on PostgreSQL a data-only
/// `pg_dump` (old row versions are left to VACUUM); on MySQL every column of every
/// row of every table, as text.
pub async fn database_bytes(app: &TestApp) -> Vec<u8> {
    match backend() {
        Backend::Sqlite => {}
        Backend::Postgres => return pg_dump(app),
        Backend::MySql => return every_row_as_text(app).await.into_bytes(),
    }
    let mut all = Vec::new();
    for entry in std::fs::read_dir(app.dir.path()).expect("dir").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("test.db") {
            all.extend(std::fs::read(entry.path()).expect("read"));
        }
    }
    all
}

fn pg_dump(app: &TestApp) -> Vec<u8> {
    let out = std::process::Command::new("pg_dump")
        .args(["--data-only", "--no-owner"])
        .arg(&app.database_url)
        .output()
        .expect("run pg_dump");
    assert!(
        out.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

async fn every_row_as_text(app: &TestApp) -> String {
    let db = &app.db;
    let sql_backend = db.get_database_backend();
    let (schema, quote) = match sql_backend {
        DbBackend::MySql => ("DATABASE()", '`'),
        _ => ("current_schema()", '"'),
    };
    let columns = db
        .query_all_raw(Statement::from_string(
            sql_backend,
            format!(
                "SELECT table_name AS t, column_name AS c FROM information_schema.columns \
                 WHERE table_schema = {schema} ORDER BY table_name, ordinal_position"
            ),
        ))
        .await
        .expect("columns");
    let mut tables: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for row in columns {
        let table: String = row.try_get("", "t").expect("table");
        let column: String = row.try_get("", "c").expect("column");
        tables
            .entry(table)
            .or_default()
            .push(format!("{quote}{column}{quote}"));
    }
    let mut all = String::new();
    for (table, columns) in tables {
        let rows = db
            .query_all_raw(Statement::from_string(
                sql_backend,
                format!(
                    "SELECT concat_ws('|', {}) AS line FROM {quote}{table}{quote}",
                    columns.join(", ")
                ),
            ))
            .await
            .expect("rows");
        for row in rows {
            all.push_str(&row.try_get::<String>("", "line").expect("line"));
            all.push('\n');
        }
    }
    all
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[tokio::test]
async fn personal_fields_notes_interactions_and_audit_copies_are_not_in_the_db_file() {
    let app = spawn_app().await;
    let op = operator(&app, "tongdai01").await;
    let (_, sale) = sale(&app, "sale01").await;
    let st = service_type_id(&app, "TLDN").await;
    let created: Value = app
        .bearer(
            Method::POST,
            "/api/contacts",
            &op,
            Some(&json!({
                "full_name": NAME, "phone": PHONE, "email": EMAIL, "note": NOTE,
                "service_type_id": st, "source": "fb_mess"
            })),
        )
        .await
        .json()
        .await
        .expect("json");
    let id = created["id"].as_i64().expect("id");
    assert_eq!(
        app.bearer(
            Method::POST,
            &format!("/api/contacts/{id}/pick"),
            &sale,
            None
        )
        .await
        .status(),
        StatusCode::OK
    );
    app.bearer(
        Method::POST,
        &format!("/api/contacts/{id}/interactions"),
        &sale,
        Some(&json!({"kind": "call", "content": INTERACTION})),
    )
    .await;
    let edited = app
        .bearer(
            Method::PUT,
            &format!("/api/contacts/{id}"),
            &sale,
            Some(&json!({
                "full_name": NAME, "phone": PHONE, "email": EMAIL,
                "note": format!("{NOTE} (đã gọi)"), "service_type_id": st, "source": "fb_mess"
            })),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    if backend() == Backend::Sqlite {
        app.execute("PRAGMA wal_checkpoint(TRUNCATE)").await;
    }

    let bytes = database_bytes(&app).await;
    assert!(bytes.len() > 10_000, "read the real database");
    for secret in [
        NAME,
        PHONE,
        EMAIL,
        NOTE,
        INTERACTION,
        "Độc Nhất",
        "0987 123 456",
    ] {
        assert!(!contains(&bytes, secret), "{secret} found in plain text");
    }

    // The API still shows everything to those allowed, audit entries included.
    let admin = app.admin_token().await;
    let audit: Value = app
        .bearer(
            Method::GET,
            &format!("/api/audit?target=contact:{id}&action=contacts.updated"),
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("audit");
    let entry = &audit["items"][0];
    assert_eq!(entry["before"]["personal"]["note"], NOTE);
    assert_eq!(entry["after"]["personal"]["phone"], PHONE);
    let read: Value = app
        .bearer(Method::GET, &format!("/api/contacts/{id}"), &sale, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(read["full_name"], NAME);
    assert_eq!(read["email"], EMAIL);
}

#[tokio::test]
async fn rotating_the_master_key_keeps_every_contact_readable_and_searchable() {
    use server::keys::Keys;

    let app = spawn_app().await;
    let op = operator(&app, "tongdai01").await;
    let st = service_type_id(&app, "TLDN").await;
    for (name, phone) in [
        ("Nguyễn Văn Xoay", "0912000001"),
        ("Lê Thị Khoá", "0912000002"),
    ] {
        let response = app
            .bearer(
                Method::POST,
                "/api/contacts",
                &op,
                Some(&json!({"full_name": name, "phone": phone, "service_type_id": st, "source": "google"})),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let old = Keys::load(None, &app.dir.path().join("data")).expect("old key");
    let (new, encoded) = Keys::generate();
    let done = server::rotate::rotate(&app.db, &old, &new, app.clock_now())
        .await
        .expect("rotate");
    assert_eq!(done.keys_rewrapped, 2);
    assert_eq!(done.contacts_reindexed, 2);

    // A server started with the new key reads and finds everything.
    let rotated = crate::helpers::spawn_app_with(crate::helpers::Options {
        master_key: Some(encoded),
        database_url: Some(app.database_url.clone()),
        ..Default::default()
    })
    .await;
    let op = rotated.token_for("tongdai01", "Op123456").await;
    let page: Value = rotated
        .bearer(Method::GET, "/api/contacts?q=0912000002", &op, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["full_name"], "Lê Thị Khoá");
    let by_name: Value = rotated
        .bearer(Method::GET, "/api/contacts?q=nguyen%20xoay", &op, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(by_name["items"][0]["phone"], "0912000001");

    // The old key no longer opens anything.
    let retired = server::contacts::vault::Vault::new(&old);
    let keys = retired.keys_for(&app.db, &[1, 2]).await.expect("query");
    assert!(keys.is_empty());
}
