//! Products, coupons and deals against the running server: totals, coupon rules,
//! atomicity of closing a contact, payment history, row-level security and races.

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    contacts::{new_contact, operator, sale},
    helpers::{TestApp, error_of, spawn_app},
};

/// The test clock's day (2026-01-23 15:00 in Vietnam).
const TODAY: &str = "2026-01-23";

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Value,
) -> (StatusCode, Value) {
    let body = (!body.is_null()).then_some(body);
    let response = app.bearer(method, path, token, body.as_ref()).await;
    let status = response.status();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn created(app: &TestApp, path: &str, token: &str, body: Value) -> Value {
    let (status, out) = call(app, Method::POST, path, token, body).await;
    assert_eq!(status, StatusCode::CREATED, "POST {path}: {out}");
    out
}

async fn product(app: &TestApp, admin: &str, code: &str, price: i64, floor: Option<i64>) -> i64 {
    created(
        app,
        "/api/products",
        admin,
        json!({ "code": code, "name": format!("Gói {code}"), "base_price": price, "min_price": floor }),
    )
    .await["id"]
        .as_i64()
        .expect("id")
}

async fn coupon(app: &TestApp, admin: &str, body: Value) -> Value {
    created(app, "/api/coupons", admin, body).await
}

/// A new contact handed to `sale_id` by the admin: `consulting`, held by them.
async fn held_contact(app: &TestApp, admin: &str, op: &str, sale_id: i64, phone: &str) -> i64 {
    let contact = new_contact(app, op, &format!("Khách {phone}"), phone).await;
    let id = contact["id"].as_i64().expect("id");
    let (status, body) = call(
        app,
        Method::POST,
        &format!("/api/contacts/{id}/reassign"),
        admin,
        json!({ "user_id": sale_id }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "consulting");
    id
}

struct Firm {
    app: TestApp,
    admin: String,
    op: String,
    sale: (i64, String),
    other: (i64, String),
}

async fn firm() -> Firm {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let op = operator(&app, "tongdai01").await;
    let sale = sale(&app, "sale01").await;
    let other = crate::contacts::sale(&app, "sale02").await;
    Firm {
        app,
        admin,
        op,
        sale,
        other,
    }
}

fn deal_body(contact_id: i64, lines: Value, coupon: Option<&str>) -> Value {
    json!({
        "contact_id": contact_id,
        "lines": lines,
        "coupon_code": coupon,
        "payment_status": "pending",
        "closed_on": TODAY,
        "note": "Ký hợp đồng tại văn phòng",
    })
}

async fn contact_status(app: &TestApp, token: &str, id: i64) -> Value {
    let (status, body) = call(
        app,
        Method::GET,
        &format!("/api/contacts/{id}"),
        token,
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn a_sale_closes_a_held_contact_with_two_products_and_a_coupon() {
    let f = firm().await;
    let (app, admin) = (&f.app, &f.admin);
    let tldn = product(app, admin, "TLDN-7", 1_500_000, None).await;
    let ktdn = product(app, admin, "KTDN", 3_000_000, Some(2_500_000)).await;
    coupon(
        app,
        admin,
        json!({ "code": "sale10", "kind": "percent", "value": 10, "expires_on": "2026-12-31",
                "assignee_ids": [f.sale.0] }),
    )
    .await;
    let contact = held_contact(app, admin, &f.op, f.sale.0, "0912000001").await;
    let before = contact_status(app, &f.sale.1, contact).await;
    assert_eq!(before["can_close"], true);
    assert_eq!(before["deal_id"], Value::Null);
    assert!(
        !before["allowed_moves"]
            .as_array()
            .expect("test value")
            .contains(&json!("won")),
        "won is reached through a deal only"
    );

    let deal = created(
        app,
        "/api/deals",
        &f.sale.1,
        deal_body(
            contact,
            json!([
                { "product_id": tldn, "quantity": 2 },
                { "product_id": ktdn, "quantity": 1, "unit_price": 2_600_000, "closed_at": "2026-01-22" }
            ]),
            Some(" Sale10 "),
        ),
    )
    .await;
    assert_eq!(deal["code"], "HD2026-001");
    assert_eq!(deal["subtotal"], 5_600_000);
    assert_eq!(deal["discount"], 560_000);
    assert_eq!(deal["total"], 5_040_000);
    assert_eq!(deal["coupon"]["code"], "SALE10");
    assert_eq!(deal["closer_id"], f.sale.0);
    assert_eq!(deal["contact_name"], "Khách 0912000001");
    assert_eq!(deal["note"], "Ký hợp đồng tại văn phòng");
    assert_eq!(
        deal["lines"][0]["unit_price"], 1_500_000,
        "defaults to the base price"
    );
    assert_eq!(deal["lines"][0]["line_total"], 3_000_000);
    assert_eq!(deal["lines"][1]["closed_at"], "2026-01-21T17:00:00Z");
    assert_eq!(deal["payments"].as_array().expect("test value").len(), 1);
    assert_eq!(deal["payments"][0]["to_status"], "pending");
    assert_eq!(deal["editable"], true);

    let after = contact_status(app, &f.sale.1, contact).await;
    assert_eq!(after["status"], "won");
    assert_eq!(after["deal_id"], deal["id"]);
    assert_eq!(after["can_close"], false);

    let (_, page) = call(app, Method::GET, "/api/deals", &f.sale.1, Value::Null).await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["sum_total"], 5_040_000);
    assert_eq!(
        page["items"][0]["products"],
        json!(["Gói TLDN-7", "Gói KTDN"])
    );
    assert_eq!(page["items"][0]["contact_name"], "Khách 0912000001");

    let (_, mine) = call(app, Method::GET, "/api/coupons", admin, Value::Null).await;
    assert_eq!(mine[0]["used_count"], 1);

    // Both changes audited; the deal's history shows its note in clear to its closer,
    // while the stored copies hold no plaintext.
    let (_, history) = call(
        app,
        Method::GET,
        &format!("/api/deals/{}/history", deal["id"]),
        &f.sale.1,
        Value::Null,
    )
    .await;
    assert_eq!(history[0]["action"], "deals.created");
    assert_eq!(history[0]["after"]["note"], "Ký hợp đồng tại văn phòng");
    let (_, contact_history) = call(
        app,
        Method::GET,
        &format!("/api/contacts/{contact}/history"),
        &f.sale.1,
        Value::Null,
    )
    .await;
    assert_eq!(contact_history[0]["action"], "contacts.status_changed");
    assert_eq!(contact_history[0]["after"]["deal"], "HD2026-001");
    for table in ["audit_log", "events", "deals", "deal_payments"] {
        let rows = dump(app, table).await;
        assert!(
            !rows.contains("Ký hợp đồng tại văn phòng"),
            "plaintext note in {table}"
        );
        assert!(
            !rows.contains("Khách 0912000001"),
            "plaintext name in {table}"
        );
    }
    let (_, verify) = call(app, Method::GET, "/api/audit/verify", admin, Value::Null).await;
    assert_eq!(verify["ok"], true);
}

async fn table_counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for t in [
        "deals",
        "deal_lines",
        "deal_payments",
        "audit_log",
        "events",
    ] {
        out.push(app.count(t).await);
    }
    out
}

/// Every row of a table as text, to look for plaintext.
async fn dump(app: &TestApp, table: &str) -> String {
    use sea_orm::{ConnectionTrait, Statement};
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT * FROM {table}"),
        ))
        .await
        .expect("rows");
    format!("{rows:?}")
}

#[tokio::test]
async fn fixed_coupons_never_take_a_total_below_zero_and_percentages_round_half_up() {
    let f = firm().await;
    let (app, admin) = (&f.app, &f.admin);
    let cheap = product(app, admin, "DVK-25", 200_000, None).await;
    let odd = product(app, admin, "ODD", 1_010, None).await;
    coupon(
        app,
        admin,
        json!({ "code": "BIG", "kind": "fixed", "value": 500_000,
        "expires_on": TODAY, "assignee_ids": [f.sale.0] }),
    )
    .await;
    coupon(
        app,
        admin,
        json!({ "code": "P15", "kind": "percent", "value": 15,
        "expires_on": TODAY, "assignee_ids": [f.sale.0] }),
    )
    .await;
    let c1 = held_contact(app, admin, &f.op, f.sale.0, "0912000011").await;
    let c2 = held_contact(app, admin, &f.op, f.sale.0, "0912000012").await;
    let big = created(
        app,
        "/api/deals",
        &f.sale.1,
        deal_body(
            c1,
            json!([{ "product_id": cheap, "quantity": 1 }]),
            Some("BIG"),
        ),
    )
    .await;
    assert_eq!(
        (
            big["subtotal"].as_i64(),
            big["discount"].as_i64(),
            big["total"].as_i64()
        ),
        (Some(200_000), Some(200_000), Some(0))
    );
    // 15% of 1 010 = 151.5 → 152.
    let pct = created(
        app,
        "/api/deals",
        &f.sale.1,
        deal_body(
            c2,
            json!([{ "product_id": odd, "quantity": 1 }]),
            Some("P15"),
        ),
    )
    .await;
    assert_eq!(
        (pct["discount"].as_i64(), pct["total"].as_i64()),
        (Some(152), Some(858))
    );
}

#[tokio::test]
async fn coupons_apply_only_for_their_assignees_before_expiry_and_within_their_uses() {
    let f = firm().await;
    let (app, admin) = (&f.app, &f.admin);
    let p = product(app, admin, "TLDN-5", 1_000_000, None).await;
    coupon(
        app,
        admin,
        json!({ "code": "ONCE", "kind": "fixed", "value": 100_000,
        "expires_on": "2026-01-24", "max_uses": 1, "assignee_ids": [f.sale.0, f.other.0] }),
    )
    .await;
    coupon(
        app,
        admin,
        json!({ "code": "OTHER", "kind": "percent", "value": 5,
        "expires_on": "2026-12-31", "assignee_ids": [f.other.0] }),
    )
    .await;
    let c1 = held_contact(app, admin, &f.op, f.sale.0, "0912000021").await;
    let c2 = held_contact(app, admin, &f.op, f.sale.0, "0912000022").await;
    let line = json!([{ "product_id": p, "quantity": 1 }]);

    let (status, body) = error_of(
        app.bearer(
            Method::POST,
            "/api/deals",
            &f.sale.1,
            Some(&deal_body(c1, line.clone(), Some("OTHER"))),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "coupon_code");
    assert_eq!(body["message"], "Mã giảm giá OTHER không được giao cho bạn");

    let (status, body) = error_of(
        app.bearer(
            Method::POST,
            "/api/deals",
            &f.sale.1,
            Some(&deal_body(c1, line.clone(), Some("NOPE"))),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("coupon_code"))
    );

    // A Sale's own list shows only what they may use, and only themself as assignee.
    let (_, mine) = call(
        app,
        Method::GET,
        "/api/coupons/mine",
        &f.sale.1,
        Value::Null,
    )
    .await;
    let codes: Vec<&str> = mine
        .as_array()
        .expect("test value")
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    assert_eq!(codes, ["ONCE"]);
    assert_eq!(
        mine[0]["assignees"].as_array().expect("test value").len(),
        1
    );
    let (status, _) = call(app, Method::GET, "/api/coupons", &f.sale.1, Value::Null).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    created(
        app,
        "/api/deals",
        &f.sale.1,
        deal_body(c1, line.clone(), Some("ONCE")),
    )
    .await;
    let (status, body) = error_of(
        app.bearer(
            Method::POST,
            "/api/deals",
            &f.sale.1,
            Some(&deal_body(c2, line.clone(), Some("ONCE"))),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["message"], "Mã giảm giá ONCE đã hết lượt sử dụng");
    let (_, mine) = call(
        app,
        Method::GET,
        "/api/coupons/mine",
        &f.sale.1,
        Value::Null,
    )
    .await;
    assert_eq!(mine, json!([]), "a used-up coupon leaves the picker");

    // Expired after its last day (Vietnamese calendar).
    let c3 = held_contact(app, admin, &f.op, f.other.0, "0912000023").await;
    coupon(
        app,
        admin,
        json!({ "code": "SHORT", "kind": "fixed", "value": 1_000,
        "expires_on": TODAY, "assignee_ids": [f.other.0] }),
    )
    .await;
    app.clock.advance(Duration::hours(9)); // 2026-01-24 00:00 in Vietnam
    let (status, body) = error_of(
        app.bearer(
            Method::POST,
            "/api/deals",
            &f.other.1,
            Some(
                &deal_body(c3, line.clone(), Some("SHORT"))
                    .as_object()
                    .map(|o| {
                        let mut o = o.clone();
                        o.insert("closed_on".into(), json!("2026-01-24"));
                        Value::Object(o)
                    })
                    .expect("test value"),
            ),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["message"],
        "Mã giảm giá SHORT đã hết hạn ngày 23/01/2026"
    );
}

#[tokio::test]
async fn a_refusal_after_the_contact_moved_leaves_the_contact_and_everything_else_untouched() {
    let f = firm().await;
    let (app, admin) = (&f.app, &f.admin);
    let p = product(app, admin, "TLDN-7", 1_000_000, None).await;
    coupon(
        app,
        admin,
        json!({ "code": "ONCE", "kind": "fixed", "value": 1,
        "expires_on": "2026-12-31", "max_uses": 1, "assignee_ids": [f.sale.0] }),
    )
    .await;
    let line = json!([{ "product_id": p, "quantity": 1 }]);
    let c1 = held_contact(app, admin, &f.op, f.sale.0, "0912000031").await;
    let c2 = held_contact(app, admin, &f.op, f.sale.0, "0912000032").await;
    created(
        app,
        "/api/deals",
        &f.sale.1,
        deal_body(c1, line.clone(), Some("ONCE")),
    )
    .await;
    let before = table_counts(app).await;
    // The coupon check that fails runs after the contact's status was updated.
    let (status, _) = error_of(
        app.bearer(
            Method::POST,
            "/api/deals",
            &f.sale.1,
            Some(&deal_body(c2, line.clone(), Some("ONCE"))),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(table_counts(app).await, before, "nothing written");
    let contact = contact_status(app, &f.sale.1, c2).await;
    assert_eq!(contact["status"], "consulting");
    assert_eq!(contact["can_close"], true);
    // The next deal still gets the next number: the failed one used none.
    let ok = created(app, "/api/deals", &f.sale.1, deal_body(c2, line, None)).await;
    assert_eq!(ok["code"], "HD2026-002");
}

#[tokio::test]
async fn only_the_holder_closes_a_consulting_contact_and_only_once() {
    let f = firm().await;
    let (app, admin) = (&f.app, &f.admin);
    let p = product(app, admin, "TLDN-7", 1_000_000, None).await;
    let line = json!([{ "product_id": p, "quantity": 1 }]);
    let held = held_contact(app, admin, &f.op, f.sale.0, "0912000041").await;
    // Someone else's contact does not exist for another Sale.
    let (status, _) = error_of(
        app.bearer(
            Method::POST,
            "/api/deals",
            &f.other.1,
            Some(&deal_body(held, line.clone(), None)),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A pool contact is visible but not theirs to close.
    let pool = new_contact(app, &f.op, "Khách chờ", "0912000042").await["id"]
        .as_i64()
        .expect("test value");
    let (status, body) = error_of(
        app.bearer(
            Method::POST,
            "/api/deals",
            &f.sale.1,
            Some(&deal_body(pool, line.clone(), None)),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("contact_not_closable"))
    );
    // An operator may not create deals at all.
    let (status, _) = error_of(
        app.bearer(
            Method::POST,
            "/api/deals",
            &f.op,
            Some(&deal_body(held, line.clone(), None)),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Two submissions of the same deal at once: one deal.
    let body = deal_body(held, line.clone(), None);
    let attempts = (0..2).map(|_| app.bearer(Method::POST, "/api/deals", &f.sale.1, Some(&body)));
    let statuses: Vec<StatusCode> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.status())
        .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(app.count("deals").await, 1);
}

#[tokio::test]
async fn two_sales_racing_for_the_last_use_of_a_coupon_leave_one_discount() {
    let f = firm().await;
    let (app, admin) = (&f.app, &f.admin);
    let p = product(app, admin, "TLDN-7", 1_000_000, None).await;
    coupon(
        app,
        admin,
        json!({ "code": "LAST", "kind": "percent", "value": 50,
        "expires_on": "2026-12-31", "max_uses": 1, "assignee_ids": [f.sale.0, f.other.0] }),
    )
    .await;
    let line = json!([{ "product_id": p, "quantity": 1 }]);
    let c1 = held_contact(app, admin, &f.op, f.sale.0, "0912000051").await;
    let c2 = held_contact(app, admin, &f.op, f.other.0, "0912000052").await;
    let (b1, b2) = (
        deal_body(c1, line.clone(), Some("LAST")),
        deal_body(c2, line, Some("LAST")),
    );
    let (r1, r2) = tokio::join!(
        app.bearer(Method::POST, "/api/deals", &f.sale.1, Some(&b1)),
        app.bearer(Method::POST, "/api/deals", &f.other.1, Some(&b2)),
    );
    let mut statuses = [r1.status(), r2.status()];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::CREATED, StatusCode::UNPROCESSABLE_ENTITY]
    );
    let (_, all) = call(app, Method::GET, "/api/coupons", admin, Value::Null).await;
    assert_eq!(all[0]["used_count"], 1);
    let (_, page) = call(app, Method::GET, "/api/deals", admin, Value::Null).await;
    assert_eq!(page["total"], 1);
}

#[tokio::test]
async fn stopped_products_and_prices_under_the_floor_are_refused_naming_the_line() {
    let f = firm().await;
    let (app, admin) = (&f.app, &f.admin);
    let selling = product(app, admin, "TLDN-7", 1_000_000, Some(800_000)).await;
    let stopped = product(app, admin, "OLD", 500_000, None).await;
    let (status, _) = call(
        app,
        Method::PUT,
        &format!("/api/products/{stopped}"),
        admin,
        json!({ "code": "OLD", "name": "Gói cũ", "base_price": 500_000, "status": "stopped" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let c = held_contact(app, admin, &f.op, f.sale.0, "0912000061").await;
    let cases = [
        (
            json!([{ "product_id": selling, "quantity": 1 }, { "product_id": stopped, "quantity": 1 }]),
            "lines[1].product_id",
            "Sản phẩm OLD đã ngừng kinh doanh",
        ),
        (
            json!([{ "product_id": selling, "quantity": 1, "unit_price": 799_999 }]),
            "lines[0].unit_price",
            "Đơn giá của TLDN-7 không được thấp hơn giá sàn 800.000 ₫",
        ),
        (
            json!([{ "product_id": selling, "quantity": 0 }]),
            "lines[0].quantity",
            "Số lượng phải từ 1 đến 10000",
        ),
        (
            json!([{ "product_id": 999_999, "quantity": 1 }]),
            "lines[0].product_id",
            "Sản phẩm không tồn tại",
        ),
        (json!([]), "lines", "Hợp đồng cần ít nhất một sản phẩm"),
        (
            json!([{ "product_id": selling, "quantity": 1, "closed_at": "2026-01-24" }]),
            "lines[0].closed_at",
            "Thời điểm chốt không được sau hôm nay",
        ),
    ];
    for (lines, field, message) in cases {
        let (status, body) = error_of(
            app.bearer(
                Method::POST,
                "/api/deals",
                &f.sale.1,
                Some(&deal_body(c, lines, None)),
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["field"], field);
        assert_eq!(body["message"], message);
    }
    let mut late = deal_body(c, json!([{ "product_id": selling, "quantity": 1 }]), None);
    late["closed_on"] = json!("2026-01-24");
    let (_, body) = error_of(
        app.bearer(Method::POST, "/api/deals", &f.sale.1, Some(&late))
            .await,
    )
    .await;
    assert_eq!(body["field"], "closed_on");
    late["closed_on"] = json!("23/01/2026");
    let (_, body) = error_of(
        app.bearer(Method::POST, "/api/deals", &f.sale.1, Some(&late))
            .await,
    )
    .await;
    assert_eq!(
        body["message"],
        "Ngày chốt không hợp lệ (định dạng YYYY-MM-DD)"
    );
    assert_eq!(
        contact_status(app, &f.sale.1, c).await["status"],
        "consulting"
    );
    // Above the list price is always allowed, at or above the floor too.
    let deal = created(
        app,
        "/api/deals",
        &f.sale.1,
        deal_body(
            c,
            json!([
                { "product_id": selling, "quantity": 1, "unit_price": 800_000 },
                { "product_id": selling, "quantity": 1, "unit_price": 1_200_000 },
            ]),
            None,
        ),
    )
    .await;
    assert_eq!(deal["total"], 2_000_000);
    // Used products can be stopped, not deleted; unused ones go.
    let (status, body) = call(
        app,
        Method::DELETE,
        &format!("/api/products/{selling}"),
        admin,
        Value::Null,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("product_in_use"))
    );
    let (status, _) = call(
        app,
        Method::DELETE,
        &format!("/api/products/{stopped}"),
        admin,
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn payment_status_changes_are_kept_as_history_and_refunded_is_final() {
    let f = firm().await;
    let (app, admin) = (&f.app, &f.admin);
    let p = product(app, admin, "TLDN-7", 1_000_000, None).await;
    let c = held_contact(app, admin, &f.op, f.sale.0, "0912000071").await;
    let deal = created(
        app,
        "/api/deals",
        &f.sale.1,
        deal_body(c, json!([{ "product_id": p, "quantity": 1 }]), None),
    )
    .await;
    let id = deal["id"].as_i64().expect("test value");
    assert_eq!(deal["payment_moves"], json!(["partial", "paid"]));
    let pay = |status: &str, note: &str| json!({ "status": status, "note": note });
    let path = format!("/api/deals/{id}/payment");
    let (status, body) = call(app, Method::POST, &path, &f.sale.1, pay("refunded", "")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["allowed"], json!(["partial", "paid"]));
    assert_eq!(
        body["message"],
        "Không thể chuyển từ \"Chưa thanh toán\" sang \"Hoàn tiền\". Có thể chuyển sang: Thanh toán một phần, Đã thanh toán đủ"
    );
    let (status, _) = call(app, Method::POST, &path, &f.other.1, pay("paid", "")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another Sale cannot see it");
    let (_, body) = call(
        app,
        Method::POST,
        &path,
        &f.sale.1,
        pay("partial", "Đặt cọc 50%"),
    )
    .await;
    assert_eq!(body["payment_status"], "partial");
    let (_, body) = call(app, Method::POST, &path, admin, pay("paid", "Đã nhận đủ")).await;
    assert_eq!(body["payment_status"], "paid");
    let (_, body) = call(
        app,
        Method::POST,
        &path,
        &f.sale.1,
        pay("refunded", "Khách huỷ"),
    )
    .await;
    let history: Vec<(Value, Value, Value)> = body["payments"]
        .as_array()
        .expect("test value")
        .iter()
        .map(|p| {
            (
                p["from_status"].clone(),
                p["to_status"].clone(),
                p["note"].clone(),
            )
        })
        .collect();
    assert_eq!(
        history,
        vec![
            (Value::Null, json!("pending"), Value::Null),
            (json!("pending"), json!("partial"), json!("Đặt cọc 50%")),
            (json!("partial"), json!("paid"), json!("Đã nhận đủ")),
            (json!("paid"), json!("refunded"), json!("Khách huỷ")),
        ]
    );
    assert_eq!(body["payments"][2]["changed_by_name"], "Quản Trị Viên");
    assert_eq!(body["editable"], false);
    let (status, body) = call(app, Method::POST, &path, admin, pay("paid", "")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("deal_refunded"))
    );
    let (_, audit) = call(
        app,
        Method::GET,
        &format!("/api/deals/{id}/history"),
        &f.sale.1,
        Value::Null,
    )
    .await;
    let actions: Vec<&str> = audit
        .as_array()
        .expect("test value")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "deals.payment_changed",
            "deals.payment_changed",
            "deals.payment_changed",
            "deals.created"
        ]
    );
    assert_eq!(audit[0]["after"]["note"], "Khách huỷ");
    let (_, screen) = call(
        app,
        Method::GET,
        "/api/audit?target=deal",
        admin,
        Value::Null,
    )
    .await;
    assert_eq!(
        screen["items"][0]["after"]["note"], "Khách huỷ",
        "the audit screen opens a deal's sealed note with its contact's key"
    );
    assert!(!dump(app, "deal_payments").await.contains("Khách huỷ"));
}

#[tokio::test]
async fn sales_see_their_own_deals_and_admins_filter_and_total_all() {
    let f = firm().await;
    let (app, admin) = (&f.app, &f.admin);
    let p = product(app, admin, "TLDN-7", 1_000_000, None).await;
    let mut ids = Vec::new();
    for (i, (seller, token)) in [&f.sale, &f.sale, &f.other].into_iter().enumerate() {
        let c = held_contact(app, admin, &f.op, *seller, &format!("09120000{}", 81 + i)).await;
        let deal = created(
            app,
            "/api/deals",
            token,
            deal_body(c, json!([{ "product_id": p, "quantity": i + 1 }]), None),
        )
        .await;
        ids.push(deal["id"].as_i64().expect("test value"));
    }
    let (_, mine) = call(app, Method::GET, "/api/deals", &f.sale.1, Value::Null).await;
    assert_eq!(
        (mine["total"].as_u64(), mine["sum_total"].as_i64()),
        (Some(2), Some(3_000_000))
    );
    let (status, _) = call(
        app,
        Method::GET,
        &format!("/api/deals/{}", ids[2]),
        &f.sale.1,
        Value::Null,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another Sale's deal does not exist for them"
    );
    let (_, filters) = call(
        app,
        Method::GET,
        "/api/deals/filters",
        &f.sale.1,
        Value::Null,
    )
    .await;
    assert_eq!(filters["closers"], json!([]));

    let (_, all) = call(app, Method::GET, "/api/deals", admin, Value::Null).await;
    assert_eq!(
        (all["total"].as_u64(), all["sum_total"].as_i64()),
        (Some(3), Some(6_000_000))
    );
    let (_, filters) = call(app, Method::GET, "/api/deals/filters", admin, Value::Null).await;
    assert_eq!(filters["closers"].as_array().expect("test value").len(), 2);
    let (_, by_other) = call(
        app,
        Method::GET,
        &format!("/api/deals?closer_id={}", f.other.0),
        admin,
        Value::Null,
    )
    .await;
    assert_eq!(by_other["sum_total"], 3_000_000);
    let (_, by_code) = call(
        app,
        Method::GET,
        "/api/deals?q=hd2026-002",
        admin,
        Value::Null,
    )
    .await;
    assert_eq!(by_code["items"][0]["id"], ids[1]);
    let (_, by_phone) = call(
        app,
        Method::GET,
        "/api/deals?q=0912000083",
        admin,
        Value::Null,
    )
    .await;
    assert_eq!(by_phone["items"][0]["id"], ids[2]);
    let (_, paid) = call(
        app,
        Method::GET,
        "/api/deals?payment_status=paid",
        admin,
        Value::Null,
    )
    .await;
    assert_eq!(
        (paid["total"].as_u64(), paid["sum_total"].as_i64()),
        (Some(0), Some(0))
    );
    let (_, range) = call(
        app,
        Method::GET,
        "/api/deals?from=2026-01-23&to=2026-01-23&per_page=2",
        admin,
        Value::Null,
    )
    .await;
    assert_eq!(
        (
            range["total"].as_u64(),
            range["items"].as_array().map(Vec::len)
        ),
        (Some(3), Some(2))
    );
    let (status, body) = call(
        app,
        Method::GET,
        "/api/deals?from=hôm-nay",
        admin,
        Value::Null,
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("from"))
    );
}

#[tokio::test]
async fn editing_a_deal_reprices_it_swaps_the_coupon_and_is_audited() {
    let f = firm().await;
    let (app, admin) = (&f.app, &f.admin);
    let p = product(app, admin, "TLDN-7", 1_000_000, None).await;
    let q = product(app, admin, "KTDN", 2_000_000, None).await;
    coupon(
        app,
        admin,
        json!({ "code": "A10", "kind": "percent", "value": 10,
        "expires_on": "2026-12-31", "assignee_ids": [f.sale.0] }),
    )
    .await;
    coupon(
        app,
        admin,
        json!({ "code": "B100K", "kind": "fixed", "value": 100_000,
        "expires_on": "2026-12-31", "assignee_ids": [f.sale.0] }),
    )
    .await;
    let c = held_contact(app, admin, &f.op, f.sale.0, "0912000091").await;
    let deal = created(
        app,
        "/api/deals",
        &f.sale.1,
        deal_body(c, json!([{ "product_id": p, "quantity": 1 }]), Some("A10")),
    )
    .await;
    let id = deal["id"].as_i64().expect("test value");
    // Stopping the product later does not stop the deal from being edited with it.
    call(app, Method::PUT, &format!("/api/products/{p}"), admin,
        json!({ "code": "TLDN-7", "name": "Gói TLDN-7", "base_price": 1_200_000, "status": "stopped" })).await;
    let (status, body) = call(
        app,
        Method::PUT,
        &format!("/api/deals/{id}"),
        &f.sale.1,
        json!({
            "lines": [
                { "product_id": p, "quantity": 1, "unit_price": 1_000_000 },
                { "product_id": q, "quantity": 2 }
            ],
            "coupon_code": "b100k",
            "closed_on": "2026-01-20",
            "note": "Bổ sung kế toán",
        }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (
            body["subtotal"].as_i64(),
            body["discount"].as_i64(),
            body["total"].as_i64()
        ),
        (Some(5_000_000), Some(100_000), Some(4_900_000))
    );
    assert_eq!(body["closed_on"], "2026-01-20");
    let (_, coupons) = call(app, Method::GET, "/api/coupons", admin, Value::Null).await;
    let used = |code: &str| {
        coupons
            .as_array()
            .expect("test value")
            .iter()
            .find(|c| c["code"] == code)
            .map(|c| c["used_count"].clone())
            .expect("test value")
    };
    assert_eq!(
        (used("A10"), used("B100K")),
        (json!(0), json!(1)),
        "the old use is given back"
    );
    let (_, history) = call(
        app,
        Method::GET,
        &format!("/api/deals/{id}/history"),
        &f.sale.1,
        Value::Null,
    )
    .await;
    assert_eq!(history[0]["action"], "deals.updated");
    assert_eq!(history[0]["before"]["total"], 900_000);
    assert_eq!(history[0]["after"]["total"], 4_900_000);
    assert_eq!(history[0]["after"]["coupon"], "B100K");
    assert_eq!(history[0]["after"]["note"], "Bổ sung kế toán");
    // Another Sale may not edit it; the admin may.
    let edit = json!({ "lines": [{ "product_id": q, "quantity": 1 }], "closed_on": TODAY });
    let (status, _) = call(
        app,
        Method::PUT,
        &format!("/api/deals/{id}"),
        &f.other.1,
        edit.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = call(app, Method::PUT, &format!("/api/deals/{id}"), admin, edit).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (body["total"].as_i64(), body["coupon"].clone()),
        (Some(2_000_000), Value::Null)
    );
    let (_, coupons) = call(app, Method::GET, "/api/coupons", admin, Value::Null).await;
    assert_eq!(
        coupons
            .as_array()
            .expect("test value")
            .iter()
            .map(|c| c["used_count"].as_i64().expect("test value"))
            .sum::<i64>(),
        0
    );
}

#[tokio::test]
async fn admins_manage_products_and_coupons_with_clear_errors() {
    let f = firm().await;
    let (app, admin) = (&f.app, &f.admin);
    product(app, admin, "TLDN-7", 1_500_000, None).await;
    let bad = [
        (
            json!({ "code": "tldn-7", "name": "Trùng", "base_price": 1 }),
            StatusCode::CONFLICT,
            "code",
        ),
        (
            json!({ "code": "X", "name": "Ngắn", "base_price": 1 }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "code",
        ),
        (
            json!({ "code": "NEW", "name": " ", "base_price": 1 }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "name",
        ),
        (
            json!({ "code": "NEW", "name": "Âm", "base_price": -5 }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "base_price",
        ),
        (
            json!({ "code": "NEW", "name": "Sàn", "base_price": 5, "min_price": 6 }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "min_price",
        ),
        (
            json!({ "code": "NEW", "name": "TT", "base_price": 5, "status": "gone" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "status",
        ),
    ];
    for (body, want, field) in bad {
        let (status, out) = error_of(
            app.bearer(Method::POST, "/api/products", admin, Some(&body))
                .await,
        )
        .await;
        assert_eq!(
            (status, out["field"].as_str()),
            (want, Some(field)),
            "{body}"
        );
    }
    let (status, _) = call(
        app,
        Method::POST,
        "/api/products",
        &f.sale.1,
        json!({ "code": "NEW", "name": "x", "base_price": 1 }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, catalogue) = call(
        app,
        Method::GET,
        "/api/products?status=selling",
        &f.sale.1,
        Value::Null,
    )
    .await;
    assert_eq!(catalogue[0]["code"], "TLDN-7");

    // Coupons: assignees must be able to use coupons.
    let (status, out) = error_of(app.bearer(Method::POST, "/api/coupons", admin, Some(&json!({
        "code": "X10", "kind": "percent", "value": 10, "expires_on": "2026-12-31", "assignee_ids": [] }))).await).await;
    assert_eq!(
        (status, out["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("assignee_ids"))
    );
    let op_id = app.create_user("tongdai02", "Op123456", "Tổng Đài").await;
    let (_, out) = error_of(app.bearer(Method::POST, "/api/coupons", admin, Some(&json!({
        "code": "X10", "kind": "percent", "value": 10, "expires_on": "2026-12-31", "assignee_ids": [op_id] }))).await).await;
    assert_eq!(out["field"], "assignee_ids");
    let (_, assignable) = call(
        app,
        Method::GET,
        "/api/coupons/assignable",
        admin,
        Value::Null,
    )
    .await;
    let names: Vec<i64> = assignable
        .as_array()
        .expect("test value")
        .iter()
        .filter_map(|p| p["id"].as_i64())
        .collect();
    assert!(names.contains(&f.sale.0) && names.contains(&f.other.0) && !names.contains(&op_id));
    let c = coupon(
        app,
        admin,
        json!({ "code": "x10", "kind": "percent", "value": 10,
        "expires_on": "2026-12-31", "max_uses": 3, "assignee_ids": [f.sale.0] }),
    )
    .await;
    assert_eq!(
        (c["code"].as_str(), c["usable"].as_bool()),
        (Some("X10"), Some(true))
    );
    let id = c["id"].as_i64().expect("test value");
    let (status, out) = call(
        app,
        Method::PUT,
        &format!("/api/coupons/{id}"),
        admin,
        json!({
        "code": "X10", "kind": "percent", "value": 10, "expires_on": "2026-12-31",
        "active": false, "assignee_ids": [f.sale.0, f.other.0] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (out["active"].as_bool(), out["usable"].as_bool()),
        (Some(false), Some(false))
    );
    assert_eq!(out["assignees"].as_array().expect("test value").len(), 2);
    let (status, _) = call(
        app,
        Method::DELETE,
        &format!("/api/coupons/{id}"),
        admin,
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, audit) = call(
        app,
        Method::GET,
        "/api/audit?action=coupons.deleted",
        admin,
        Value::Null,
    )
    .await;
    assert_eq!(audit["total"], 1);
}
