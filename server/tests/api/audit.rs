use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{ADMIN_PASSWORD, ADMIN_USER, spawn_app};

async fn audit(app: &crate::helpers::TestApp, token: &str, query: &str) -> Value {
    let response = app
        .bearer(Method::GET, &format!("/api/audit{query}"), token, None)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json")
}

#[tokio::test]
async fn auth_events_are_recorded_with_actor_ip_and_device() {
    let app = spawn_app().await;
    app.login(ADMIN_USER, "Wrong12345").await;
    let token = app.admin_token().await;
    app.bearer(
        Method::POST,
        "/api/auth/logout",
        &app.admin_token().await,
        None,
    )
    .await;

    let failed = audit(&app, &token, "?action=auth.login_failed").await;
    assert_eq!(failed["total"], 1);
    let entry = &failed["items"][0];
    assert_eq!(entry["ip"], "127.0.0.1");
    assert_eq!(entry["after"]["username"], "admin");
    assert!(entry["actor_id"].is_null());

    let logins = audit(&app, &token, "?action=auth.login").await;
    assert_eq!(logins["total"], 2);
    assert_eq!(logins["items"][0]["actor_name"], "Quản Trị Viên");
    assert_eq!(audit(&app, &token, "?action=auth.logout").await["total"], 1);
    let module = audit(&app, &token, "?action=auth.").await;
    assert_eq!(module["total"], 4);
    let text = audit(&app, &token, "?q=login_failed").await;
    assert_eq!(text["total"], 1);
}

#[tokio::test]
async fn the_chain_verifies_and_a_tampered_entry_is_pinpointed() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    app.login(ADMIN_USER, ADMIN_PASSWORD).await;
    app.login(ADMIN_USER, "Wrong12345").await;

    let ok: Value = app
        .bearer(Method::GET, "/api/audit/verify", &token, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(ok["ok"], true);
    let entries = ok["entries"].as_i64().expect("entries");
    assert!(entries >= 4);

    app.execute("UPDATE audit_log SET ip = '10.0.0.1' WHERE id = 2")
        .await;
    let bad: Value = app
        .bearer(Method::GET, "/api/audit/verify", &token, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(bad["ok"], false);
    assert_eq!(bad["first_bad_id"], 2);
}

#[tokio::test]
async fn deleting_the_newest_entry_is_detected() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    app.execute("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)")
        .await;
    let bad: Value = app
        .bearer(Method::GET, "/api/audit/verify", &token, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(bad["ok"], false);
}

#[tokio::test]
async fn concurrent_writers_keep_one_unbroken_chain() {
    let app = spawn_app().await;
    let logins = (0..12).map(|i| {
        let app = &app;
        async move {
            let password = if i % 3 == 0 {
                "Wrong12345"
            } else {
                ADMIN_PASSWORD
            };
            reqwest::Client::new()
                .post(app.url("/api/auth/login"))
                .json(&serde_json::json!({"username": ADMIN_USER, "password": password}))
                .send()
                .await
                .expect("login")
                .status()
        }
    });
    let statuses = futures_util::future::join_all(logins).await;
    assert!(
        statuses
            .iter()
            .all(|s| s.is_client_error() || s.is_success())
    );
    let token = app.admin_token().await;
    let result: Value = app
        .bearer(Method::GET, "/api/audit/verify", &token, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(result["ok"], true, "{result}");
    assert!(result["entries"].as_i64().expect("n") >= 14);
}

#[tokio::test]
async fn free_text_finds_people_actions_codes_and_addresses_without_diacritics() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let contact = crate::contacts::new_contact(&app, &token, "Lê Văn Tám", "0912000111").await;
    let code = contact["code"].as_str().expect("code");
    let id = contact["id"].as_i64().expect("id");

    let by_label = audit(&app, &token, "?q=tao%20khach").await;
    assert_eq!(by_label["total"], 1, "{by_label}");
    assert_eq!(by_label["items"][0]["action"], "contacts.created");
    let by_code = audit(&app, &token, &format!("?q={code}")).await;
    assert_eq!(by_code["total"], 1, "{by_code}");
    assert_eq!(by_code["items"][0]["target_id"], id.to_string());
    let by_person = audit(&app, &token, "?q=quan%20tri").await;
    assert!(
        by_person["total"].as_u64().expect("total") >= 2,
        "{by_person}"
    );
    let by_module_label = audit(&app, &token, "?q=dang%20nhap").await;
    assert!(by_module_label["total"].as_u64().expect("total") >= 1);
    assert!(
        by_module_label["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|e| e["module"] == "auth")
    );
    let by_ip = audit(&app, &token, "?q=127.0").await;
    let from_here = by_ip["items"].as_array().expect("items");
    assert!(from_here.len() >= 2, "{by_ip}");
    assert!(from_here.iter().all(|e| e["ip"] == "127.0.0.1"));
    let nothing = audit(&app, &token, "?q=khongcogi").await;
    assert_eq!(nothing["total"], 0);
    assert_eq!(nothing["total_exact"], true);

    let by_module = audit(&app, &token, "?module=contacts").await;
    assert_eq!(by_module["total"], 1);
    let by_target = audit(&app, &token, &format!("?target=contact:{id}")).await;
    assert_eq!(by_target["total"], 1);
}

#[tokio::test]
async fn days_filter_on_the_vietnamese_calendar_and_bad_bounds_name_the_field() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let today = server::domain::today_in_vietnam(app.clock_now());
    let yesterday = today.pred_opt().expect("yesterday");
    let on_today = audit(&app, &token, &format!("?from={today}&to={today}")).await;
    assert!(
        on_today["total"].as_u64().expect("total") >= 1,
        "{on_today}"
    );
    let before = audit(&app, &token, &format!("?to={yesterday}")).await;
    assert_eq!(before["total"], 0);

    for (query, field) in [
        ("?from=31/12/2026", "from"),
        ("?to=hôm%20nay", "to"),
        (&*format!("?from={today}&to={yesterday}"), "to"),
    ] {
        let response = app
            .bearer(Method::GET, &format!("/api/audit{query}"), &token, None)
            .await;
        let (status, body) = crate::helpers::error_of(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(body["field"], field, "{query}: {body}");
    }
}

#[tokio::test]
async fn a_large_trail_is_counted_up_to_the_cap_and_still_verifies() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let written = server::demo_audit::load(&app.db, 10_050)
        .await
        .expect("load");
    assert_eq!(written, 10_050);

    let all = audit(&app, &token, "?per_page=5").await;
    assert_eq!(all["total"], 10_000);
    assert_eq!(all["total_exact"], false);
    assert_eq!(all["items"].as_array().expect("items").len(), 5);
    // Newest first: the bulk year lies behind today's own entries.
    let times: Vec<&str> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["at"].as_str().expect("at"))
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    let picks = audit(&app, &token, "?action=contacts.picked&per_page=1").await;
    assert_eq!(picks["total_exact"], true);
    assert!(picks["total"].as_u64().expect("total") > 500);

    let verified: Value = app
        .bearer(Method::GET, "/api/audit/verify", &token, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(verified["ok"], true, "{verified}");
    assert!(verified["entries"].as_u64().expect("entries") > 10_050);
}

#[tokio::test]
async fn actors_lists_everyone_for_the_filter_and_needs_logs_view() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    app.create_user("sale01", "Sale12345", "Sale").await;
    let actors: Value = app
        .bearer(Method::GET, "/api/audit/actors", &token, None)
        .await
        .json()
        .await
        .expect("json");
    let names: Vec<&str> = actors
        .as_array()
        .expect("list")
        .iter()
        .map(|p| p["username"].as_str().expect("username"))
        .collect();
    assert!(
        names.contains(&"admin") && names.contains(&"sale01"),
        "{names:?}"
    );
    let sale = app.token_for("sale01", "Sale12345").await;
    let refused = app
        .bearer(Method::GET, "/api/audit/actors", &sale, None)
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}
