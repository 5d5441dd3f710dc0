//! What the schema stores reads back the same on every database (microseconds, 4-byte
//! UTF-8, text keys compared byte for byte), and a transaction InnoDB picks as a
//! deadlock victim is answered `409 busy`, not 500.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use entities::{event, team};
use reqwest::{Method, StatusCode};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, TransactionTrait};

use crate::{
    contacts::{new_contact, operator, sale},
    helpers::{
        database::{Backend, backend},
        error_of, spawn_app,
    },
};

#[tokio::test]
async fn timestamps_and_vietnamese_text_round_trip_exactly() {
    let app = spawn_app().await;
    let at = Utc
        .with_ymd_and_hms(2037, 3, 4, 5, 6, 7)
        .single()
        .expect("time")
        + chrono::Duration::microseconds(123_456);
    let text = "Khách Đà Nẵng – ước mơ 🚀";
    let written = event::ActiveModel {
        at: Set(at),
        kind: Set("test.round_trip".into()),
        contact_id: Set(None),
        payload: Set(text.repeat(5_000)),
        audience: Set("{}".into()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("insert");
    let read = event::Entity::find_by_id(written.id)
        .one(&app.db)
        .await
        .expect("read")
        .expect("row");
    // To the microsecond, and longer than MySQL's 64 KiB `TEXT`. (Not past 2038: sqlx
    // sends a chrono time to MySQL as a `TIMESTAMP`, which ends there; see the README.)
    assert_eq!(read.at, at);
    assert_eq!(read.payload, text.repeat(5_000));
}

#[tokio::test]
async fn text_keys_differ_by_case_and_accents_as_on_sqlite() {
    let app = spawn_app().await;
    let now = Utc::now();
    for name in ["Nhóm Miền Nam", "nhóm miền nam", "Nhom Mien Nam"] {
        team::ActiveModel {
            name: Set(name.into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{name} is a name of its own: {e}"));
    }
    let found = team::Entity::find()
        .all(&app.db)
        .await
        .expect("teams")
        .into_iter()
        .filter(|t| t.name == "nhóm miền nam")
        .count();
    assert_eq!(found, 1);
    let by_name = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id FROM teams WHERE name = 'nhóm miền nam'",
        ))
        .await
        .expect("query");
    assert_eq!(
        by_name.len(),
        1,
        "an equality match ignored case or accents"
    );
}

#[tokio::test]
async fn a_deadlock_victim_is_answered_409_busy_and_the_retry_succeeds() {
    if backend() != Backend::MySql {
        eprintln!(
            "skipped on {:?}: InnoDB's deadlock victim choice is what is tested",
            backend()
        );
        return;
    }
    let app = spawn_app().await;
    let op = operator(&app, "tongdai01").await;
    let (_, token) = sale(&app, "sale01").await;
    let contact = new_contact(&app, &op, "Nguyễn Văn Khoá", "0912000111").await;
    let id = contact["id"].as_i64().expect("id");

    // A rival transaction that has already changed many rows (so InnoDB prefers to roll
    // back the pick) holds the contact's row...
    let rival = app.db.begin().await.expect("begin");
    rival
        .execute_unprepared("UPDATE permissions SET sort_order = sort_order + 1000")
        .await
        .expect("rows");
    rival
        .execute_unprepared(&format!(
            "SELECT id FROM contacts WHERE id = {id} FOR UPDATE"
        ))
        .await
        .expect("lock contact");
    // ...the pick takes the write turn and waits for that row...
    let picking = {
        let (base, client, token) = (app.base.clone(), app.client.clone(), token.clone());
        tokio::spawn(async move {
            client
                .post(format!("{base}/api/contacts/{id}/pick"))
                .bearer_auth(token)
                .send()
                .await
                .expect("pick")
        })
    };
    wait_for_a_lock_wait(&app).await;
    // ...and the rival now wants the write turn: a cycle InnoDB breaks at once.
    rival
        .execute_unprepared("SELECT id FROM audit_head WHERE id = 1 FOR UPDATE")
        .await
        .expect("the rival survives");
    rival.rollback().await.expect("rollback");

    let (status, body) = error_of(picking.await.expect("join")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"], "busy", "{body}");
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("thử lại")
    );

    let again = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{id}/pick"),
            &token,
            None,
        )
        .await;
    assert_eq!(again.status(), StatusCode::OK);
}

/// Returns once a transaction on this test's database waits for a row lock.
async fn wait_for_a_lock_wait(app: &crate::helpers::TestApp) {
    for _ in 0..300 {
        let waiting = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::MySql,
                "SELECT COUNT(*) AS n FROM information_schema.innodb_trx t \
                 JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id \
                 WHERE t.trx_state = 'LOCK WAIT' AND p.db = DATABASE()",
            ))
            .await
            .expect("innodb_trx")
            .expect("row")
            .try_get::<i64>("", "n")
            .expect("n");
        if waiting > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the pick never waited for the contact's row");
}
