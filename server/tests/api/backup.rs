//! `ankhang backup` / `ankhang restore` as an operator runs them against a real server's
//! database, and the scheduled backups of `ankhang serve`.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use chrono::Duration as Span;
use prometheus_client::metrics::counter::Counter;
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};
use server::{
    backup::{
        names,
        schedule::{Plan, Scheduler},
        verify,
    },
    config::BackupConfig,
    monitoring::{Metrics, Monitor, alerts::Limits},
};

use crate::{
    contacts::{new_contact, operator, sale},
    helpers::{Options, TestApp, database::skip_unless_sqlite, spawn_app, spawn_app_with},
};

/// What the skipped tests exercise: `ankhang backup` copies and restores SQLite's file
/// (on MySQL/PostgreSQL it points to the database's own tools, tested below).
const SQLITE_FILE: &str = "backing up and restoring the database file";

/// Runs the real binary against `app`'s database and data folder.
async fn ankhang(app: &TestApp, args: &[&str]) -> (bool, String) {
    ankhang_with(app, &app.database_url, args).await
}

async fn ankhang_with(app: &TestApp, database_url: &str, args: &[&str]) -> (bool, String) {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_ankhang"))
        .args(args)
        .current_dir(app.dir.path())
        .env("DATABASE_URL", database_url)
        .env("ANKHANG_DATA_DIR", app.dir.path().join("data"))
        .env_remove("ANKHANG_MASTER_KEY")
        .env("RUST_LOG", "warn")
        .output()
        .await
        .expect("run ankhang");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

fn text(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

fn db_file(app: &TestApp) -> PathBuf {
    app.dir.path().join("test.db")
}

/// Two contacts (one picked and closed with a deal), two employees besides the admin.
struct Business {
    contact_id: i64,
    deal_id: i64,
    operator: String,
}

async fn business(app: &TestApp) -> Business {
    let admin = app.admin_token().await;
    let op = operator(app, "tongdai01").await;
    let (_, sale) = sale(app, "sale01").await;
    let contact = new_contact(app, &op, "Nguyễn Văn An", "0912345678").await;
    new_contact(app, &op, "Lê Thị Cúc", "0987654321").await;
    let contact_id = contact["id"].as_i64().expect("id");
    let picked = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{contact_id}/pick"),
            &sale,
            None,
        )
        .await;
    assert_eq!(picked.status(), StatusCode::OK);
    let product: Value = app
        .bearer(
            Method::POST,
            "/api/products",
            &admin,
            Some(&json!({ "code": "TLDN-7", "name": "Thành lập doanh nghiệp", "base_price": 7_000_000 })),
        )
        .await
        .json()
        .await
        .expect("product");
    let deal = app
        .bearer(
            Method::POST,
            "/api/deals",
            &sale,
            Some(&json!({
                "contact_id": contact_id,
                "lines": [{ "product_id": product["id"], "quantity": 1 }],
                "payment_status": "pending",
                "closed_on": "2026-01-23",
            })),
        )
        .await;
    assert_eq!(deal.status(), StatusCode::CREATED);
    let deal: Value = deal.json().await.expect("deal");
    Business {
        contact_id,
        deal_id: deal["id"].as_i64().expect("deal id"),
        operator: op,
    }
}

/// Every row of every table, each as SQLite's `quote()` of its columns, sorted.
async fn dump(db: &DatabaseConnection) -> BTreeMap<String, Vec<String>> {
    let strings = |sql: String| async move {
        db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .expect("query")
            .iter()
            .map(|row| row.try_get_by_index::<String>(0).expect("text"))
            .collect::<Vec<_>>()
    };
    let mut all = BTreeMap::new();
    let tables = strings(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'".into(),
    )
    .await;
    for table in tables {
        let columns = strings(format!(
            "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
        ))
        .await;
        let row = columns
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let mut rows = strings(format!("SELECT {row} FROM \"{table}\"")).await;
        rows.sort();
        all.insert(table, rows);
    }
    all
}

/// Stops the server and lets go of the test's own connections to its database.
async fn stop_everything(app: &TestApp) {
    app.stop().await;
    app.db.close_by_ref().await.expect("close pool");
}

fn set_aside_files(app: &TestApp) -> Vec<PathBuf> {
    std::fs::read_dir(app.dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("test.db.before-restore-")
                    && !n.ends_with("-wal")
                    && !n.ends_with("-shm")
            })
        })
        .collect()
}

#[tokio::test]
async fn a_restore_drill_brings_back_every_row_and_an_intact_audit_chain() {
    if skip_unless_sqlite(SQLITE_FILE) {
        return;
    }
    let app = spawn_app().await;
    let firm = business(&app).await;
    let backup = app.dir.path().join("drill.sqlite3");

    // Online: the server keeps serving while the backup is taken.
    let (ok, out) = ankhang(&app, &["backup", "--out", text(&backup)]).await;
    assert!(ok, "{out}");
    assert!(out.contains("Đã sao lưu vào"), "{out}");
    assert!(out.contains("integrity_check ok"), "{out}");
    assert!(
        out.contains("3 nhân viên, 2 khách hàng, 1 hợp đồng"),
        "{out}"
    );
    assert!(out.contains(" byte"), "{out}");
    assert_eq!(
        app.get("/healthz").await.status(),
        StatusCode::OK,
        "still serving"
    );

    stop_everything(&app).await;
    let current = app.db_reopened().await;
    let before = dump(&current).await;
    current.close().await.expect("close");
    assert!(before["contacts"].len() == 2 && before["deals"].len() == 1);

    // Disaster: the database is gone.
    for path in [
        db_file(&app),
        app.dir.path().join("test.db-wal"),
        app.dir.path().join("test.db-shm"),
    ] {
        let _ = std::fs::remove_file(path);
    }
    let (ok, out) = ankhang(&app, &["restore", text(&backup)]).await;
    assert!(ok, "{out}");
    assert!(out.contains("Đã khôi phục"), "{out}");
    assert!(!out.contains("được giữ lại"), "nothing to set aside: {out}");

    let restored = app.db_reopened().await;
    assert_eq!(dump(&restored).await, before, "every row is back");
    let chain = server::audit::verify(&restored).await.expect("verify");
    assert_eq!(chain.first_bad_id, None);
    restored.close().await.expect("close");

    // The restored database serves again with the same master key.
    let key = std::fs::read_to_string(app.dir.path().join("data/master.key")).expect("key");
    let again = spawn_app_with(Options {
        database_url: Some(app.database_url.clone()),
        master_key: Some(key.trim().to_owned()),
        ..Options::default()
    })
    .await;
    let admin = again.admin_token().await;
    let contact: Value = again
        .bearer(
            Method::GET,
            &format!("/api/contacts/{}", firm.contact_id),
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("contact");
    assert_eq!(contact["full_name"], "Nguyễn Văn An");
    assert_eq!(contact["status"], "won");
    let deal = again
        .bearer(
            Method::GET,
            &format!("/api/deals/{}", firm.deal_id),
            &admin,
            None,
        )
        .await;
    assert_eq!(deal.status(), StatusCode::OK);
    let verified: Value = again
        .bearer(Method::GET, "/api/audit/verify", &admin, None)
        .await
        .json()
        .await
        .expect("verify");
    assert_eq!(verified["ok"], true, "{verified}");
}

#[tokio::test]
async fn restore_refuses_while_a_server_holds_the_database() {
    if skip_unless_sqlite(SQLITE_FILE) {
        return;
    }
    let app = spawn_app().await;
    business(&app).await;
    let backup = app.dir.path().join("a.sqlite3");
    let (ok, out) = ankhang(&app, &["backup", "--out", text(&backup)]).await;
    assert!(ok, "{out}");

    let (ok, out) = ankhang(&app, &["restore", text(&backup), "--force"]).await;
    assert!(!ok, "{out}");
    assert!(out.contains("đang được dùng"), "{out}");
    assert!(out.contains("Hãy dừng máy chủ"), "{out}");
    assert!(set_aside_files(&app).is_empty());
    assert_eq!(app.count("contacts").await, 2, "nothing changed");
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn restore_keeps_a_database_with_data_unless_forced_and_then_sets_it_aside() {
    if skip_unless_sqlite(SQLITE_FILE) {
        return;
    }
    let app = spawn_app().await;
    let firm = business(&app).await;
    let backup = app.dir.path().join("a.sqlite3");
    let (ok, out) = ankhang(&app, &["backup", "--out", text(&backup)]).await;
    assert!(ok, "{out}");
    // Work done after the backup.
    new_contact(&app, &firm.operator, "Trần Thị Bình", "0901234567").await;
    stop_everything(&app).await;

    let (ok, out) = ankhang(&app, &["restore", text(&backup)]).await;
    assert!(!ok, "{out}");
    assert!(out.contains("đang có dữ liệu"), "{out}");
    assert!(out.contains("--force"), "{out}");
    assert!(set_aside_files(&app).is_empty());
    let current = app.db_reopened().await;
    assert_eq!(count(&current, "contacts").await, 3, "untouched");
    current.close().await.expect("close");

    let (ok, out) = ankhang(&app, &["restore", text(&backup), "--force"]).await;
    assert!(ok, "{out}");
    assert!(out.contains("Cơ sở dữ liệu cũ được giữ lại ở"), "{out}");
    let aside = set_aside_files(&app);
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(out.contains(text(&aside[0])), "{out}");

    let restored = app.db_reopened().await;
    assert_eq!(count(&restored, "contacts").await, 2, "the backup's state");
    restored.close().await.expect("close");
    let old = verify::inspect(&aside[0])
        .await
        .expect("the old database is whole");
    assert_eq!(old.contacts, 3, "the work after the backup is kept aside");
}

#[tokio::test]
async fn backup_never_overwrites_and_defaults_to_a_dated_file_in_data_backups() {
    if skip_unless_sqlite(SQLITE_FILE) {
        return;
    }
    let app = spawn_app().await;
    let out = app.dir.path().join("once.sqlite3");
    let (ok, text_out) = ankhang(&app, &["backup", "--out", text(&out)]).await;
    assert!(ok, "{text_out}");
    let first = std::fs::read(&out).expect("backup");

    business(&app).await;
    let (ok, text_out) = ankhang(&app, &["backup", "--out", text(&out)]).await;
    assert!(!ok, "{text_out}");
    assert!(text_out.contains("đã tồn tại"), "{text_out}");
    assert_eq!(
        std::fs::read(&out).expect("backup"),
        first,
        "left as it was"
    );

    let (ok, text_out) = ankhang(&app, &["backup"]).await;
    assert!(ok, "{text_out}");
    let made = names::listed(&app.dir.path().join("data/backups")).expect("list");
    assert_eq!(made.len(), 1);
    let name = made[0].file_name().and_then(|n| n.to_str()).expect("name");
    assert!(
        name.starts_with("ankhang-20") && name.ends_with(".sqlite3") && name.len() == 31,
        "{name}"
    );
    assert!(text_out.contains(name), "{text_out}");
}

#[tokio::test]
async fn a_tampered_backup_is_refused_naming_the_first_broken_audit_entry() {
    if skip_unless_sqlite(SQLITE_FILE) {
        return;
    }
    let app = spawn_app().await;
    business(&app).await;
    let backup = app.dir.path().join("tampered.sqlite3");
    let (ok, out) = ankhang(&app, &["backup", "--out", text(&backup)]).await;
    assert!(ok, "{out}");

    // Someone edits history in the copy: the pick's "before" state.
    let copy = server::db::connect(&format!("sqlite://{}?mode=rw", text(&backup)))
        .await
        .expect("open copy");
    let row = copy
        .query_one_raw(Statement::from_string(
            copy.get_database_backend(),
            "SELECT id FROM audit_log WHERE action = 'contacts.picked'",
        ))
        .await
        .expect("query")
        .expect("row");
    let id: i64 = row.try_get("", "id").expect("id");
    copy.execute_unprepared(&format!(
        "UPDATE audit_log SET before_data = '{{\"status\":\"won\"}}' WHERE id = {id}"
    ))
    .await
    .expect("tamper");
    copy.close().await.expect("close");

    stop_everything(&app).await;
    let (ok, out) = ankhang(&app, &["restore", text(&backup), "--force"]).await;
    assert!(!ok, "{out}");
    assert!(out.contains("Nhật ký kiểm toán"), "{out}");
    assert!(out.contains(&format!("từ bản ghi #{id}")), "{out}");
    assert!(set_aside_files(&app).is_empty(), "nothing was touched");
    let current = app.db_reopened().await;
    assert_eq!(count(&current, "contacts").await, 2);
    current.close().await.expect("close");
}

#[tokio::test]
async fn other_databases_are_pointed_to_their_own_tools() {
    let app = spawn_app().await;
    let (ok, out) = ankhang_with(&app, "postgres://crm@127.0.0.1:1/crm", &["backup"]).await;
    assert!(!ok, "{out}");
    assert!(
        out.contains("pg_dump -Fc") && out.contains("pg_restore"),
        "{out}"
    );
    let (ok, out) = ankhang_with(
        &app,
        "mysql://crm@127.0.0.1:1/crm",
        &["restore", "x.sqlite3"],
    )
    .await;
    assert!(!ok, "{out}");
    assert!(out.contains("mysqldump --single-transaction"), "{out}");
}

async fn count(db: &DatabaseConnection, table: &str) -> i64 {
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT COUNT(*) AS n FROM {table}"),
    ))
    .await
    .expect("count")
    .expect("row")
    .try_get("", "n")
    .expect("n")
}

#[tokio::test]
async fn scheduled_backups_are_verified_copied_offsite_pruned_and_audited_but_all_kept_once_the_chain_breaks()
 {
    if skip_unless_sqlite(SQLITE_FILE) {
        return;
    }
    let app = spawn_app().await;
    business(&app).await;
    let local = app.dir.path().join("data/backups");
    let offsite = app.dir.path().join("nas/ankhang");
    let monitor = Monitor::start(
        None,
        Limits::default(),
        Arc::new(Metrics::new(Counter::default())),
        app.clock.clone(),
    )
    .0;
    let scheduler = Scheduler::new(
        app.db.clone(),
        app.clock.clone(),
        Plan {
            dir: local.clone(),
            keep: 3,
            offsite: Some(offsite.clone()),
            mirrored: vec![app.dir.path().join("data/attachments")],
        },
        monitor,
    );
    // Files kept beside the database travel off-site with it.
    let attachments = app.dir.path().join("data/attachments");
    std::fs::create_dir_all(&attachments).expect("dir");
    std::fs::write(attachments.join("a1"), b"sealed one").expect("file");
    std::fs::write(attachments.join("a2"), b"sealed two").expect("file");
    std::fs::write(attachments.join("a3.part"), b"half").expect("file");
    let mut made = Vec::new();
    for round in 0..5 {
        if round == 2 {
            // Shredded locally: must not linger off-site.
            std::fs::remove_file(attachments.join("a2")).expect("remove");
        }
        let run = scheduler.run_once().await.expect("backup run");
        assert!(run.size > 0);
        assert!(run.offsite.as_ref().is_some_and(|p| p.exists()));
        made.push(run.file);
        app.clock.advance(Span::minutes(15));
    }
    let mut mirrored: Vec<String> = std::fs::read_dir(offsite.join("attachments"))
        .expect("mirrored attachments")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    mirrored.sort();
    assert_eq!(mirrored, ["a1"]);
    let newest: Vec<PathBuf> = made[2..].to_vec();
    assert_eq!(names::listed(&local).expect("local"), newest);
    let offsite_names: Vec<_> = names::listed(&offsite)
        .expect("offsite")
        .iter()
        .map(|p| p.file_name().map(ToOwned::to_owned))
        .collect();
    let local_names: Vec<_> = newest
        .iter()
        .map(|p| p.file_name().map(ToOwned::to_owned))
        .collect();
    assert_eq!(offsite_names, local_names);
    assert_eq!(
        newest[0].file_name().and_then(|n| n.to_str()),
        Some("ankhang-20260123-083000.sqlite3"),
        "named by the app clock, UTC"
    );
    let last = verify::inspect(&newest[2]).await.expect("sound");
    assert_eq!((last.contacts, last.deals), (2, 1));

    let token = app.admin_token().await;
    let audit: Value = app
        .bearer(
            Method::GET,
            "/api/audit?action=system.backup_created",
            &token,
            None,
        )
        .await
        .json()
        .await
        .expect("audit");
    assert_eq!(audit["total"], 5, "{audit}");
    let entry = audit["items"][0].to_string();
    assert!(entry.contains("ankhang-20260123-090000.sqlite3"), "{entry}");
    assert!(entry.contains("size"), "{entry}");

    // History is rewritten in the live database: the run fails loudly, its copy is
    // kept, and no older copy (with an intact chain) is pruned.
    app.execute("UPDATE audit_log SET ip = '10.0.0.1' WHERE id = 2")
        .await;
    let err = scheduler.run_once().await.expect_err("broken chain");
    assert!(err.to_string().contains("từ bản ghi #2"), "{err}");
    assert_eq!(names::listed(&local).expect("local").len(), 4);
    assert_eq!(names::listed(&offsite).expect("offsite").len(), 4);
}

#[tokio::test]
async fn the_server_takes_scheduled_backups_until_it_stops() {
    if skip_unless_sqlite(SQLITE_FILE) {
        return;
    }
    let app = spawn_app_with(Options {
        backup: Some(BackupConfig {
            interval: Some(Duration::from_millis(150)),
            keep: 2,
            offsite_dir: None,
        }),
        ..Options::default()
    })
    .await;
    let dir = app.dir.path().join("data/backups");
    let mut runs = 0;
    for _ in 0..100 {
        runs = app
            .count("audit_log WHERE action = 'system.backup_created'")
            .await;
        if runs >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(runs >= 3, "only {runs} scheduled backups");

    tokio::time::timeout(Duration::from_secs(10), app.stop())
        .await
        .expect("the scheduler stops with the server");
    // Checked once stopped: a run's file lands before that run prunes, so a listing
    // taken mid-run may briefly show KEEP + 1. Several runs within one second of the
    // (frozen) test clock get distinct names.
    let after_stop = names::listed(&dir).expect("list");
    assert_eq!(after_stop.len(), 2, "pruned to KEEP");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        names::listed(&dir).expect("list"),
        after_stop,
        "no run after shutdown"
    );
}
