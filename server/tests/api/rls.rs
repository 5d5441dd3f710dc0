//! Row-level security: every role tries contacts outside its scope.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    contacts::{new_contact, operator, sale},
    helpers::{TestApp, error_of, spawn_app},
};

async fn codes(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let page: Value = app
        .bearer(Method::GET, &format!("/api/contacts{query}"), token, None)
        .await
        .json()
        .await
        .expect("json");
    let mut codes: Vec<String> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["code"].as_str().expect("code").to_owned())
        .collect();
    codes.sort();
    assert_eq!(
        page["total"].as_u64(),
        Some(codes.len() as u64),
        "count matches the rows"
    );
    codes
}

struct World {
    op_a: String,
    op_b: String,
    sale_a: String,
    sale_b: String,
    care: String,
    admin: String,
    /// KH…001: created by A, picked by sale A. 002: created by B, still new.
    /// 003: created by A, picked by sale B then failed. 004: created by B, picked by sale B.
    ids: Vec<i64>,
}

async fn world(app: &TestApp) -> World {
    let op_a = operator(app, "tongdai01").await;
    let op_b = operator(app, "tongdai02").await;
    let (_, sale_a) = sale(app, "sale01").await;
    let (_, sale_b) = sale(app, "sale02").await;
    app.create_user("cskh01", "Cskh12345", "CSKH").await;
    let care = app.token_for("cskh01", "Cskh12345").await;
    let admin = app.admin_token().await;
    let mut ids = Vec::new();
    for (op, name, phone) in [
        (&op_a, "Khách Một", "0911000001"),
        (&op_b, "Khách Hai", "0911000002"),
        (&op_a, "Khách Ba", "0911000003"),
        (&op_b, "Khách Bốn", "0911000004"),
    ] {
        ids.push(
            new_contact(app, op, name, phone).await["id"]
                .as_i64()
                .expect("id"),
        );
    }
    let pick = |token: &str, id: i64| {
        let token = token.to_owned();
        async move {
            let response = app
                .bearer(
                    Method::POST,
                    &format!("/api/contacts/{id}/pick"),
                    &token,
                    None,
                )
                .await;
            assert_eq!(response.status(), StatusCode::OK);
        }
    };
    pick(&sale_a, ids[0]).await;
    pick(&sale_b, ids[2]).await;
    app.execute("UPDATE sale_pick_state SET last_pick_at = NULL")
        .await;
    pick(&sale_b, ids[3]).await;
    let failed = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{}/status", ids[2]),
            &sale_b,
            Some(&json!({"status": "failed"})),
        )
        .await;
    assert_eq!(failed.status(), StatusCode::OK);
    World {
        op_a,
        op_b,
        sale_a,
        sale_b,
        care,
        admin,
        ids,
    }
}

#[tokio::test]
async fn each_role_lists_only_its_scope() {
    let app = spawn_app().await;
    let w = world(&app).await;
    assert_eq!(
        codes(&app, &w.admin, "").await,
        ["KH2026-001", "KH2026-002", "KH2026-003", "KH2026-004"]
    );
    // Sale: the pool plus what they hold (and the failed one they worked on).
    assert_eq!(
        codes(&app, &w.sale_a, "").await,
        ["KH2026-001", "KH2026-002"]
    );
    assert_eq!(
        codes(&app, &w.sale_b, "").await,
        ["KH2026-002", "KH2026-003", "KH2026-004"]
    );
    // Operators: the pool plus what they created.
    assert_eq!(
        codes(&app, &w.op_a, "").await,
        ["KH2026-001", "KH2026-002", "KH2026-003"]
    );
    assert_eq!(codes(&app, &w.op_b, "").await, ["KH2026-002", "KH2026-004"]);
    // Customer care: failed and care contacts only.
    assert_eq!(codes(&app, &w.care, "").await, ["KH2026-003"]);
    // Filters and search never widen the scope.
    assert_eq!(
        codes(&app, &w.sale_a, "?status=consulting").await,
        ["KH2026-001"]
    );
    assert!(codes(&app, &w.sale_a, "?q=0911000004").await.is_empty());
    assert_eq!(codes(&app, &w.care, "?q=khach").await, ["KH2026-003"]);
}

#[tokio::test]
async fn reads_and_writes_outside_the_scope_are_not_found() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let held_by_a = w.ids[0];
    for token in [&w.sale_b, &w.op_b, &w.care] {
        let (status, _) = error_of(
            app.bearer(
                Method::GET,
                &format!("/api/contacts/{held_by_a}"),
                token,
                None,
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = error_of(
            app.bearer(
                Method::GET,
                &format!("/api/contacts/{held_by_a}/interactions"),
                token,
                None,
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _) = error_of(
        app.bearer(
            Method::POST,
            &format!("/api/contacts/{held_by_a}/status"),
            &w.sale_b,
            Some(&json!({"status": "failed"})),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = error_of(
        app.bearer(
            Method::POST,
            &format!("/api/contacts/{held_by_a}/interactions"),
            &w.sale_b,
            Some(&json!({"kind": "call", "content": "x"})),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A pooled contact is visible but masked, so a Sale cannot edit it.
    let pooled = w.ids[1];
    let (status, _) = error_of(
        app.bearer(
            Method::PUT,
            &format!("/api/contacts/{pooled}"),
            &w.sale_a,
            Some(&json!({
                "full_name": "Đổi tên", "phone": "0911000002", "service_type_id": 1, "source": "google"
            })),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The operator who created it sees it unmasked.
    let theirs: Value = app
        .bearer(
            Method::GET,
            &format!("/api/contacts/{}", w.ids[2]),
            &w.op_a,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(theirs["masked"], false);
}

#[tokio::test]
async fn someone_with_no_contact_permission_sees_no_contacts_at_all() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let role: Value = app
        .bearer(
            Method::POST,
            "/api/roles",
            &admin,
            Some(&json!({"name": "Kế toán", "permissions": ["reports.view"]})),
        )
        .await
        .json()
        .await
        .expect("role");
    app.bearer(
        Method::POST,
        "/api/users",
        &admin,
        Some(&json!({"username": "ketoan", "password": "Ketoan123", "full_name": "Kế Toán", "role_ids": [role["id"]]})),
    )
    .await;
    let token = app.token_for("ketoan", "Ketoan123").await;
    let (status, _) = error_of(app.bearer(Method::GET, "/api/contacts", &token, None).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = error_of(
        app.bearer(Method::GET, "/api/contacts/1", &token, None)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
