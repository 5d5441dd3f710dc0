use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_of, spawn_app};

pub async fn operator(app: &TestApp, username: &str) -> String {
    app.create_user(username, "Op123456", "Tổng Đài").await;
    app.token_for(username, "Op123456").await
}

pub async fn sale(app: &TestApp, username: &str) -> (i64, String) {
    let id = app.create_user(username, "Sale12345", "Sale").await;
    (id, app.token_for(username, "Sale12345").await)
}

pub async fn service_type_id(app: &TestApp, code: &str) -> i64 {
    let token = app.admin_token().await;
    let all: Vec<Value> = app
        .bearer(Method::GET, "/api/service-types", &token, None)
        .await
        .json()
        .await
        .expect("types");
    all.iter()
        .find(|t| t["code"] == code)
        .and_then(|t| t["id"].as_i64())
        .expect("service type")
}

pub async fn new_contact(app: &TestApp, token: &str, name: &str, phone: &str) -> Value {
    let st = service_type_id(app, "TLDN").await;
    let response = app
        .bearer(
            Method::POST,
            "/api/contacts",
            token,
            Some(&json!({
                "full_name": name, "phone": phone, "service_type_id": st,
                "source": "ladi_zalo", "email": "khach@example.vn", "note": "Cần tư vấn gấp"
            })),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "create {name}");
    response.json().await.expect("json")
}

#[tokio::test]
async fn an_operator_creates_contacts_with_yearly_codes_and_normalised_phones() {
    let app = spawn_app().await;
    let op = operator(&app, "tongdai01").await;
    let first = new_contact(&app, &op, "Nguyễn Văn An", "+84 912 345 678").await;
    assert_eq!(first["code"], "KH2026-001");
    assert_eq!(first["status"], "new");
    assert_eq!(first["phone"], "0912345678");
    assert_eq!(first["masked"], false, "the creator sees what they typed");
    assert_eq!(first["service_type_code"], "TLDN");
    let second = new_contact(&app, &op, "Trần Thị Bình", "0987654321").await;
    assert_eq!(second["code"], "KH2026-002");
}

#[tokio::test]
async fn concurrent_creations_get_distinct_gapless_codes() {
    let app = spawn_app().await;
    let op = operator(&app, "tongdai01").await;
    let st = service_type_id(&app, "KTDN").await;
    let requests = (0..30).map(|i| {
        let (app, op) = (&app, &op);
        async move {
            app.bearer(
                Method::POST,
                "/api/contacts",
                op,
                Some(&json!({
                    "full_name": format!("Khách {i}"), "phone": format!("09{:08}", 10_000_000 + i),
                    "service_type_id": st, "source": "google"
                })),
            )
            .await
            .json::<Value>()
            .await
            .expect("json")["code"]
                .as_str()
                .expect("code")
                .to_owned()
        }
    });
    let mut codes = futures_util::future::join_all(requests).await;
    codes.sort();
    let expected: Vec<String> = (1..=30).map(|n| format!("KH2026-{n:03}")).collect();
    assert_eq!(codes, expected);
}

#[tokio::test]
async fn codes_restart_at_new_year_in_vietnam_time() {
    let app = spawn_app().await;
    let op = operator(&app, "tongdai01").await;
    new_contact(&app, &op, "Khách cũ", "0911111111").await;
    // 2026-01-23 08:00Z → 2026-12-31 16:59:59Z is still 2026 in UTC+7 (23:59:59).
    app.clock.advance(
        chrono::DateTime::parse_from_rfc3339("2026-12-31T16:59:59Z")
            .expect("t")
            .to_utc()
            - app.clock_now(),
    );
    // Eleven months later the old session has long expired.
    let op = app.token_for("tongdai01", "Op123456").await;
    assert_eq!(
        new_contact(&app, &op, "Khách cuối năm", "0922222222").await["code"],
        "KH2026-002"
    );
    app.clock.advance(chrono::Duration::seconds(1));
    assert_eq!(
        new_contact(&app, &op, "Khách năm mới", "0933333333").await["code"],
        "KH2027-001"
    );
}

#[tokio::test]
async fn bad_contact_fields_are_named_in_vietnamese() {
    let app = spawn_app().await;
    let op = operator(&app, "tongdai01").await;
    let st = service_type_id(&app, "TLDN").await;
    let base =
        json!({"full_name": "A", "phone": "0912345678", "service_type_id": st, "source": "google"});
    for (field, value, message) in [
        (
            "phone",
            json!("12345"),
            "Số điện thoại không đúng định dạng",
        ),
        ("email", json!("abc"), "Email không đúng định dạng"),
        (
            "service_type_id",
            json!(999),
            "Loại dịch vụ không tồn tại hoặc đã ẩn",
        ),
        ("source", json!("tiktok"), "Nguồn khách hàng không hợp lệ"),
        ("full_name", json!(""), "Vui lòng nhập họ tên"),
    ] {
        let mut body = base.clone();
        body[field] = value;
        let (status, error) = error_of(
            app.bearer(Method::POST, "/api/contacts", &op, Some(&body))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(error["field"], field);
        assert_eq!(error["message"], message);
    }
    assert_eq!(app.count("contacts").await, 0);
}

#[tokio::test]
async fn a_known_phone_is_reported_and_can_still_be_created_deliberately() {
    let app = spawn_app().await;
    let op = operator(&app, "tongdai01").await;
    let first = new_contact(&app, &op, "Lê Văn Cường", "0912345678").await;
    let check: Value = app
        .bearer(
            Method::GET,
            "/api/contacts/check-phone?phone=%2B84912345678",
            &op,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(check["normalised"], "0912345678");
    assert_eq!(check["duplicates"][0]["code"], first["code"]);

    let st = service_type_id(&app, "TLDN").await;
    let mut body = json!({
        "full_name": "Lê Văn Cường", "phone": "091 234 5678", "service_type_id": st, "source": "google"
    });
    let (status, error) = error_of(
        app.bearer(Method::POST, "/api/contacts", &op, Some(&body))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error["error"], "duplicate_phone");
    assert_eq!(error["duplicates"][0]["id"], first["id"]);

    body["allow_duplicate"] = json!(true);
    let response = app
        .bearer(Method::POST, "/api/contacts", &op, Some(&body))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let admin = app.admin_token().await;
    let audit: Value = app
        .bearer(
            Method::GET,
            "/api/audit?action=contacts.created",
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("audit");
    assert_eq!(
        audit["items"][0]["after"]["created_despite_duplicates"][0]["code"],
        first["code"]
    );
}

#[tokio::test]
async fn names_are_found_without_diacritics_phones_exactly_and_codes_by_prefix() {
    let app = spawn_app().await;
    let op = operator(&app, "tongdai01").await;
    new_contact(&app, &op, "Nguyễn Văn An", "0912345678").await;
    new_contact(&app, &op, "Nguyễn Thị Hoa", "0987654321").await;
    new_contact(&app, &op, "Phạm Văn Đức", "0977777777").await;
    let search = |q: &str| {
        let (app, op, q) = (&app, &op, q.to_owned());
        async move {
            let page: Value = app
                .bearer(
                    Method::GET,
                    &format!("/api/contacts?q={}", urlencode(&q)),
                    op,
                    None,
                )
                .await
                .json()
                .await
                .expect("json");
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|c| c["full_name"].as_str().expect("name").to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("nguyen van").await, ["Nguyễn Văn An"]);
    assert_eq!(search("NGUYEN").await.len(), 2);
    assert_eq!(search("duc").await, ["Phạm Văn Đức"]);
    assert_eq!(search("+84987654321").await, ["Nguyễn Thị Hoa"]);
    assert_eq!(search("KH2026-003").await, ["Phạm Văn Đức"]);
    assert!(search("nguyen duc").await.is_empty());
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn the_status_flow_is_enforced_with_the_allowed_moves_named() {
    let app = spawn_app().await;
    let op = operator(&app, "tongdai01").await;
    let (_, sale) = sale(&app, "sale01").await;
    app.create_user("cskh01", "Cskh12345", "CSKH").await;
    let care = app.token_for("cskh01", "Cskh12345").await;
    let contact = new_contact(&app, &op, "Đỗ Minh Khang", "0912000111").await;
    let id = contact["id"].as_i64().expect("id");
    let status = |token: &str, to: &str| {
        let (app, token, to) = (&app, token.to_owned(), to.to_owned());
        async move {
            app.bearer(
                Method::POST,
                &format!("/api/contacts/{id}/status"),
                &token,
                Some(&json!({"status": to})),
            )
            .await
        }
    };
    // Not picked yet: no manual move exists.
    let (code, body) = error_of(status(&sale, "consulting").await).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"], "invalid_transition");

    let picked = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{id}/pick"),
            &sale,
            None,
        )
        .await;
    assert_eq!(picked.status(), StatusCode::OK);
    let (_, body) = error_of(status(&sale, "won").await).await;
    assert_eq!(body["allowed"], json!(["failed"]));
    assert!(body["message"].as_str().expect("m").contains("Thất bại"));
    let (_, body) = error_of(status(&sale, "closed").await).await;
    assert_eq!(body["error"], "invalid_transition");

    assert_eq!(status(&sale, "failed").await.status(), StatusCode::OK);
    let (_, body) = error_of(status(&sale, "care_l1").await).await;
    assert_eq!(
        body["allowed"],
        json!([]),
        "failed contacts are customer care's"
    );

    assert_eq!(status(&care, "care_l1").await.status(), StatusCode::OK);
    assert_eq!(status(&care, "care_l2").await.status(), StatusCode::OK);
    let back: Value = status(&care, "new").await.json().await.expect("json");
    assert_eq!(back["status"], "new");
    assert!(back["assignee_id"].is_null(), "back in the pool");
    let (_, body) = error_of(status(&care, "bogus").await).await;
    assert_eq!(body["field"], "status");
}

#[tokio::test]
async fn pool_contacts_are_masked_for_sales_until_they_pick_them() {
    let app = spawn_app().await;
    let op = operator(&app, "tongdai01").await;
    let (_, sale) = sale(&app, "sale01").await;
    let contact = new_contact(&app, &op, "Vũ Thị Lan", "0912345678").await;
    let id = contact["id"].as_i64().expect("id");
    let pooled: Value = app
        .bearer(Method::GET, &format!("/api/contacts/{id}"), &sale, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(pooled["phone"], "09******78");
    assert_eq!(pooled["email"], "k***@example.vn");
    assert_eq!(pooled["masked"], true);
    assert!(pooled["note"].is_null());
    let picked: Value = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{id}/pick"),
            &sale,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(picked["phone"], "0912345678");
    assert_eq!(picked["masked"], false);
    assert_eq!(picked["status"], "consulting");
}

#[tokio::test]
async fn interactions_are_appended_and_shown_newest_first() {
    let app = spawn_app().await;
    let op = operator(&app, "tongdai01").await;
    let (_, sale) = sale(&app, "sale01").await;
    let id = new_contact(&app, &op, "Hồ Văn Tài", "0912345670").await["id"]
        .as_i64()
        .expect("id");
    app.bearer(
        Method::POST,
        &format!("/api/contacts/{id}/pick"),
        &sale,
        None,
    )
    .await;
    for (kind, content) in [("call", "Gọi lần 1, khách bận"), ("zalo", "Đã gửi báo giá")]
    {
        let response = app
            .bearer(
                Method::POST,
                &format!("/api/contacts/{id}/interactions"),
                &sale,
                Some(&json!({"kind": kind, "content": content})),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let list: Vec<Value> = app
        .bearer(
            Method::GET,
            &format!("/api/contacts/{id}/interactions"),
            &sale,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["content"], "Đã gửi báo giá");
    assert_eq!(list[1]["kind"], "call");
    let (_, body) = error_of(
        app.bearer(
            Method::POST,
            &format!("/api/contacts/{id}/interactions"),
            &sale,
            Some(&json!({"kind": "fax", "content": "x"})),
        )
        .await,
    )
    .await;
    assert_eq!(body["field"], "kind");
}

#[tokio::test]
async fn an_admin_reassigns_a_contact_and_the_audit_says_from_whom_to_whom() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let (_, first) = sale(&app, "sale01").await;
    let (second_id, second) = sale(&app, "sale02").await;
    let id = new_contact(&app, &op, "Mai Văn Hùng", "0912345671").await["id"]
        .as_i64()
        .expect("id");
    app.bearer(
        Method::POST,
        &format!("/api/contacts/{id}/pick"),
        &first,
        None,
    )
    .await;
    let moved: Value = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{id}/reassign"),
            &admin,
            Some(&json!({"user_id": second_id})),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(moved["assignee_id"], second_id);
    assert_eq!(
        app.bearer(Method::GET, &format!("/api/contacts/{id}"), &first, None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let theirs: Value = app
        .bearer(Method::GET, &format!("/api/contacts/{id}"), &second, None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(theirs["masked"], false);
    let audit: Value = app
        .bearer(
            Method::GET,
            "/api/audit?action=contacts.reassigned",
            &admin,
            None,
        )
        .await
        .json()
        .await
        .expect("audit");
    assert_eq!(
        audit["items"][0]["after"]["summary"],
        "Chuyển khách hàng từ Nhân viên sale01 sang Nhân viên sale02"
    );
    let pooled: Value = app
        .bearer(
            Method::POST,
            &format!("/api/contacts/{id}/reassign"),
            &admin,
            Some(&json!({"user_id": null})),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(pooled["status"], "new");
    assert!(pooled["assignee_id"].is_null());
}

#[tokio::test]
async fn the_contact_history_shows_personal_changes_only_to_those_who_may_see_them() {
    let app = spawn_app().await;
    let op = operator(&app, "tongdai01").await;
    let (_, sale) = sale(&app, "sale01").await;
    let id = new_contact(&app, &op, "Lý Thị Mai", "0912345672").await["id"]
        .as_i64()
        .expect("id");
    let masked: Vec<Value> = app
        .bearer(
            Method::GET,
            &format!("/api/contacts/{id}/history"),
            &sale,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(masked[0]["action"], "contacts.created");
    assert_eq!(masked[0]["after"]["personal"]["phone"], "***");
    assert!(masked[0]["ip"].is_null());
    app.bearer(
        Method::POST,
        &format!("/api/contacts/{id}/pick"),
        &sale,
        None,
    )
    .await;
    let shown: Vec<Value> = app
        .bearer(
            Method::GET,
            &format!("/api/contacts/{id}/history"),
            &sale,
            None,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(shown[0]["action"], "contacts.picked");
    assert_eq!(shown[1]["after"]["personal"]["phone"], "0912345672");
}
