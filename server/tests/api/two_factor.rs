//! TOTP two-factor authentication (AUTH-007). Codes are computed here from the secret
//! the server hands out, with the same crate, at the test server's manual clock.

use chrono::{DateTime, Duration, Utc};
use reqwest::{Method, Response, StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_of, spawn_app, spawn_app_with};

const SALE: &str = "sale01";
const SALE_PASSWORD: &str = "Sale12345";

pub fn code_at(secret_base32: &str, at: DateTime<Utc>) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_base32).expect("base32 secret");
    totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .expect("totp")
        .generate(u64::try_from(at.timestamp()).expect("after 1970"))
        .to_string()
}

fn now_code(app: &TestApp, secret: &str) -> String {
    code_at(secret, app.clock_now())
}

/// The next 30-second step: a code of the step just used is refused as a replay.
fn next_step(app: &TestApp) {
    app.clock.advance(Duration::seconds(30));
}

/// A login as a script sends it: no cookies, no Origin.
async fn login(app: &TestApp, body: Value) -> Response {
    reqwest::Client::new()
        .post(app.url("/api/auth/login"))
        .json(&body)
        .send()
        .await
        .expect("login")
}

fn with_code(code: &str) -> Value {
    json!({ "username": SALE, "password": SALE_PASSWORD, "totp_code": code })
}

async fn token_of(response: Response) -> String {
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.expect("json")["token"]
        .as_str()
        .expect("token")
        .to_owned()
}

async fn call(app: &TestApp, method: Method, path: &str, token: &str, body: Value) -> Response {
    app.bearer(method, path, token, Some(&body)).await
}

struct Enrolled {
    id: i64,
    token: String,
    secret: String,
    recovery: Vec<String>,
}

/// Sale `sale01` with 2FA on, signed in with the token from before enrolment. The clock
/// has moved on a step, so a fresh code is not the confirming one.
async fn enrolled_sale(app: &TestApp) -> Enrolled {
    let id = app.create_user(SALE, SALE_PASSWORD, "Sale").await;
    let token = app.token_for(SALE, SALE_PASSWORD).await;
    let setup = call(
        app,
        Method::POST,
        "/api/me/two-factor/setup",
        &token,
        json!({}),
    )
    .await;
    assert_eq!(setup.status(), StatusCode::OK);
    let setup: Value = setup.json().await.expect("json");
    let secret = setup["secret"].as_str().expect("secret").to_owned();
    let enabled = call(
        app,
        Method::POST,
        "/api/me/two-factor/enable",
        &token,
        json!({ "code": now_code(app, &secret) }),
    )
    .await;
    assert_eq!(enabled.status(), StatusCode::OK);
    let codes: Value = enabled.json().await.expect("json");
    let recovery = codes["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    next_step(app);
    Enrolled {
        id,
        token,
        secret,
        recovery,
    }
}

async fn audit(app: &TestApp, query: &str) -> Value {
    let admin = app.admin_token().await;
    app.bearer(Method::GET, &format!("/api/audit{query}"), &admin, None)
        .await
        .json()
        .await
        .expect("audit")
}

async fn set_sale_role_requires_two_factor(app: &TestApp, required: bool) {
    let admin = app.admin_token().await;
    let role = app.role_id("Sale").await;
    let roles: Value = app
        .bearer(Method::GET, "/api/roles", &admin, None)
        .await
        .json()
        .await
        .expect("roles");
    let sale = roles
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["id"] == role)
        .expect("Sale")
        .clone();
    let response = call(
        app,
        Method::PUT,
        &format!("/api/roles/{role}"),
        &admin,
        json!({
            "name": sale["name"],
            "description": sale["description"],
            "permissions": sale["permissions"],
            "require_two_factor": required,
        }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["require_two_factor"], required);
}

#[tokio::test]
async fn setup_is_pending_until_a_code_confirms_it_then_ten_recovery_codes_come_once() {
    let app = spawn_app().await;
    app.create_user(SALE, SALE_PASSWORD, "Sale").await;
    let token = app.token_for(SALE, SALE_PASSWORD).await;
    let me: Value = app
        .bearer(Method::GET, "/api/me", &token, None)
        .await
        .json()
        .await
        .expect("me");
    assert_eq!(me["two_factor_enabled"], false);
    assert_eq!(me["two_factor_required"], false);

    let setup: Value = call(
        &app,
        Method::POST,
        "/api/me/two-factor/setup",
        &token,
        json!({}),
    )
    .await
    .json()
    .await
    .expect("setup");
    let secret = setup["secret"].as_str().expect("secret");
    let uri = setup["otpauth_uri"].as_str().expect("uri");
    assert!(
        uri.starts_with("otpauth://totp/AnKhangCRM:sale01?"),
        "{uri}"
    );
    assert!(uri.contains(&format!("secret={secret}")) && uri.contains("issuer=AnKhangCRM"));
    assert!(setup["qr_svg"].as_str().expect("svg").contains("<svg"));

    // Pending: signing in still needs no code.
    assert_eq!(
        login(&app, json!({ "username": SALE, "password": SALE_PASSWORD }))
            .await
            .status(),
        StatusCode::OK
    );
    let (status, wrong) = error_of(
        call(
            &app,
            Method::POST,
            "/api/me/two-factor/enable",
            &token,
            json!({ "code": "000000" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong["field"], "code");
    assert!(
        wrong["message"]
            .as_str()
            .expect("msg")
            .contains("Mã xác thực")
    );

    let enabled = call(
        &app,
        Method::POST,
        "/api/me/two-factor/enable",
        &token,
        json!({ "code": now_code(&app, secret) }),
    )
    .await;
    assert_eq!(enabled.status(), StatusCode::OK);
    let codes: Value = enabled.json().await.expect("json");
    let codes = codes["codes"].as_array().expect("codes");
    assert_eq!(codes.len(), 10);
    let distinct: std::collections::BTreeSet<&str> =
        codes.iter().map(|c| c.as_str().expect("str")).collect();
    assert_eq!(distinct.len(), 10);

    let me: Value = app
        .bearer(Method::GET, "/api/me", &token, None)
        .await
        .json()
        .await
        .expect("me");
    assert_eq!(me["two_factor_enabled"], true);
    // Set-up again while on is refused: the codes are not shown twice either.
    let (status, again) = error_of(
        call(
            &app,
            Method::POST,
            "/api/me/two-factor/setup",
            &token,
            json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(again["error"], "two_factor_already_enabled");
}

#[tokio::test]
async fn login_asks_for_the_code_only_after_the_password_and_creates_no_session_without_it() {
    let app = spawn_app().await;
    let sale = enrolled_sale(&app).await;
    let sessions_before = app.count("sessions").await;

    let (status, missing) =
        error_of(login(&app, json!({ "username": SALE, "password": SALE_PASSWORD })).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing["error"], "two_factor_required");
    assert_eq!(app.count("sessions").await, sessions_before, "no session");

    // A wrong password does not reveal that 2FA is on.
    let (_, wrong_password) =
        error_of(login(&app, json!({ "username": SALE, "password": "Wrong12345" })).await).await;
    assert_eq!(wrong_password["error"], "invalid_credentials");
    let (_, wrong_password_with_code) = error_of(
        login(
            &app,
            json!({ "username": SALE, "password": "Wrong12345", "totp_code": now_code(&app, &sale.secret) }),
        )
        .await,
    )
    .await;
    assert_eq!(wrong_password_with_code["error"], "invalid_credentials");

    let (status, wrong) = error_of(login(&app, with_code("123456")).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong["error"], "invalid_two_factor_code");
    assert_eq!(app.count("sessions").await, sessions_before);

    let response = login(&app, with_code(&now_code(&app, &sale.secret))).await;
    let body: Value = {
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("json")
    };
    assert_eq!(body["user"]["two_factor_enabled"], true);
    assert_eq!(app.count("sessions").await, sessions_before + 1);
}

#[tokio::test]
async fn a_code_is_accepted_once_and_its_neighbour_steps_too() {
    let app = spawn_app().await;
    let sale = enrolled_sale(&app).await;
    let code = now_code(&app, &sale.secret);
    token_of(login(&app, with_code(&code)).await).await;
    let (status, replay) = error_of(login(&app, with_code(&code)).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(replay["error"], "invalid_two_factor_code");

    // The phone a step behind: the previous step's code still counts once the step
    // moved on (±1 step), but not two steps back.
    next_step(&app);
    let late = code_at(&sale.secret, app.clock_now() + Duration::seconds(30));
    token_of(login(&app, with_code(&late)).await).await;
    next_step(&app);
    next_step(&app);
    next_step(&app);
    let stale = code_at(&sale.secret, app.clock_now() - Duration::seconds(60));
    let (_, body) = error_of(login(&app, with_code(&stale)).await).await;
    assert_eq!(body["error"], "invalid_two_factor_code");
}

#[tokio::test]
async fn a_recovery_code_signs_in_once_and_is_audited() {
    let app = spawn_app().await;
    let sale = enrolled_sale(&app).await;
    let code = sale.recovery[3].clone();
    // Typed in capitals and without dashes it is the same code.
    let typed = code.to_uppercase().replace('-', " ");
    token_of(login(&app, with_code(&typed)).await).await;
    let (status, again) = error_of(login(&app, with_code(&code)).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(again["error"], "invalid_two_factor_code");
    // Another one still works.
    token_of(login(&app, with_code(&sale.recovery[4])).await).await;

    let used = audit(&app, "?action=auth.recovery_code_used").await;
    assert_eq!(used["total"], 2);
    assert_eq!(used["items"][0]["after"]["remaining"], 8);
}

#[tokio::test]
async fn five_wrong_codes_trip_the_login_limiter_even_for_the_right_code() {
    let app = spawn_app().await;
    let sale = enrolled_sale(&app).await;
    for _ in 0..5 {
        let (status, _) = error_of(login(&app, with_code("000000")).await).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let response = login(&app, with_code(&now_code(&app, &sale.secret))).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key(header::RETRY_AFTER));
    let (_, body) = error_of(response).await;
    assert_eq!(body["error"], "too_many_attempts");

    app.clock.advance(Duration::seconds(61));
    token_of(login(&app, with_code(&now_code(&app, &sale.secret))).await).await;
    let failed = audit(&app, "?action=auth.two_factor_failed").await;
    assert_eq!(failed["total"], 5);
}

#[tokio::test]
async fn a_role_requiring_two_factor_confines_an_unenrolled_user_to_the_profile_until_enrolled() {
    let app = spawn_app().await;
    app.create_user(SALE, SALE_PASSWORD, "Sale").await;
    set_sale_role_requires_two_factor(&app, true).await;

    let response = login(&app, json!({ "username": SALE, "password": SALE_PASSWORD })).await;
    assert_eq!(response.status(), StatusCode::OK, "sign-in still works");
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["user"]["two_factor_required"], true);
    assert_eq!(body["user"]["two_factor_enabled"], false);
    let token = body["token"].as_str().expect("token").to_owned();

    let (status, refused) =
        error_of(app.bearer(Method::GET, "/api/contacts", &token, None).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(refused["error"], "two_factor_enrollment_required");
    let (status, _) = error_of(
        app.bearer(Method::GET, "/api/events/latest", &token, None)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for path in ["/api/me", "/api/me/sessions"] {
        assert_eq!(
            app.bearer(Method::GET, path, &token, None).await.status(),
            StatusCode::OK,
            "{path}"
        );
    }

    let setup: Value = call(
        &app,
        Method::POST,
        "/api/me/two-factor/setup",
        &token,
        json!({}),
    )
    .await
    .json()
    .await
    .expect("setup");
    let secret = setup["secret"].as_str().expect("secret").to_owned();
    let enabled = call(
        &app,
        Method::POST,
        "/api/me/two-factor/enable",
        &token,
        json!({ "code": now_code(&app, &secret) }),
    )
    .await;
    assert_eq!(enabled.status(), StatusCode::OK);
    assert_eq!(
        app.bearer(Method::GET, "/api/contacts", &token, None)
            .await
            .status(),
        StatusCode::OK,
        "enrolled: the same session reaches everything its permissions allow"
    );

    next_step(&app);
    let (status, kept) = error_of(
        call(
            &app,
            Method::POST,
            "/api/me/two-factor/disable",
            &token,
            json!({ "password": SALE_PASSWORD, "code": now_code(&app, &secret) }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(kept["error"], "two_factor_required_by_role");

    let roles_updated = audit(&app, "?action=roles.updated").await;
    let entry = &roles_updated["items"][0];
    assert_eq!(entry["before"]["require_two_factor"], false);
    assert_eq!(entry["after"]["require_two_factor"], true);
}

#[tokio::test]
async fn roles_default_to_no_requirement_and_keep_it_when_a_save_omits_the_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created: Value = call(
        &app,
        Method::POST,
        "/api/roles",
        &admin,
        json!({ "name": "Kế toán", "permissions": ["reports.view"] }),
    )
    .await
    .json()
    .await
    .expect("role");
    assert_eq!(created["require_two_factor"], false);
    let id = created["id"].as_i64().expect("id");
    let path = format!("/api/roles/{id}");
    let on =
        json!({ "name": "Kế toán", "permissions": ["reports.view"], "require_two_factor": true });
    call(&app, Method::PUT, &path, &admin, on).await;
    let omitted = json!({ "name": "Kế toán", "permissions": ["reports.view", "logs.view"] });
    let kept: Value = call(&app, Method::PUT, &path, &admin, omitted)
        .await
        .json()
        .await
        .expect("role");
    assert_eq!(kept["require_two_factor"], true);
    let clone: Value = call(
        &app,
        Method::POST,
        &format!("{path}/clone"),
        &admin,
        json!({ "name": "Kế toán 2" }),
    )
    .await
    .json()
    .await
    .expect("clone");
    assert_eq!(clone["require_two_factor"], true);
}

#[tokio::test]
async fn disabling_needs_the_password_and_a_code_and_regenerating_invalidates_old_codes() {
    let app = spawn_app().await;
    let sale = enrolled_sale(&app).await;
    let regenerated = call(
        &app,
        Method::POST,
        "/api/me/two-factor/recovery-codes",
        &sale.token,
        json!({ "code": now_code(&app, &sale.secret) }),
    )
    .await;
    assert_eq!(regenerated.status(), StatusCode::OK);
    let fresh: Value = regenerated.json().await.expect("json");
    let fresh = fresh["codes"][0].as_str().expect("code").to_owned();
    let (_, old) = error_of(login(&app, with_code(&sale.recovery[0])).await).await;
    assert_eq!(
        old["error"], "invalid_two_factor_code",
        "old codes are gone"
    );

    let (status, body) = error_of(
        call(
            &app,
            Method::POST,
            "/api/me/two-factor/disable",
            &sale.token,
            json!({ "password": "Wrong12345", "code": fresh }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "password");
    let (status, body) = error_of(
        call(
            &app,
            Method::POST,
            "/api/me/two-factor/disable",
            &sale.token,
            json!({ "password": SALE_PASSWORD, "code": "" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "code");

    // A recovery code switches it off too (the phone is lost).
    let response = call(
        &app,
        Method::POST,
        "/api/me/two-factor/disable",
        &sale.token,
        json!({ "password": SALE_PASSWORD, "code": fresh }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    token_of(login(&app, json!({ "username": SALE, "password": SALE_PASSWORD })).await).await;
    assert_eq!(app.count("two_factor_recovery_codes").await, 0);
}

#[tokio::test]
async fn an_admin_reset_removes_two_factor_and_ends_the_employees_sessions() {
    let app = spawn_app().await;
    let sale = enrolled_sale(&app).await;
    let admin = app.admin_token().await;
    let path = format!("/api/users/{}/two-factor", sale.id);

    let (status, _) = error_of(app.bearer(Method::DELETE, &path, &sale.token, None).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "users.manage only");
    let admin_id = app
        .bearer(Method::GET, "/api/me", &admin, None)
        .await
        .json::<Value>()
        .await
        .expect("me")["id"]
        .as_i64()
        .expect("id");
    let (status, own) = error_of(
        app.bearer(
            Method::DELETE,
            &format!("/api/users/{admin_id}/two-factor"),
            &admin,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(own["error"], "self_change");

    let response = app.bearer(Method::DELETE, &path, &admin, None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.bearer(Method::GET, "/api/me", &sale.token, None)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    token_of(login(&app, json!({ "username": SALE, "password": SALE_PASSWORD })).await).await;
    let reset = audit(&app, "?action=users.two_factor_reset").await;
    assert_eq!(reset["items"][0]["before"]["two_factor_enabled"], true);
}

#[tokio::test]
async fn the_audit_trail_records_every_step_but_never_the_secret_or_a_code() {
    let app = spawn_app().await;
    let sale = enrolled_sale(&app).await;
    let mut typed = vec![sale.secret.clone()];
    typed.extend(sale.recovery.iter().cloned());

    login(&app, with_code("999999")).await;
    let code = now_code(&app, &sale.secret);
    typed.push(code.clone());
    let regenerated: Value = call(
        &app,
        Method::POST,
        "/api/me/two-factor/recovery-codes",
        &sale.token,
        json!({ "code": code }),
    )
    .await
    .json()
    .await
    .expect("codes");
    let fresh: Vec<String> = regenerated["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    typed.extend(fresh.iter().cloned());
    token_of(login(&app, with_code(&fresh[0])).await).await;
    call(
        &app,
        Method::POST,
        "/api/me/two-factor/disable",
        &sale.token,
        json!({ "password": SALE_PASSWORD, "code": fresh[1] }),
    )
    .await;

    let trail = audit(&app, "?per_page=200").await;
    let actions: Vec<&str> = trail["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["action"].as_str().expect("action"))
        .collect();
    for action in [
        "auth.two_factor_enabled",
        "auth.two_factor_failed",
        "auth.recovery_codes_regenerated",
        "auth.recovery_code_used",
        "auth.two_factor_disabled",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    let text = trail.to_string().to_lowercase();
    for secret in &typed {
        assert!(
            !text.contains(&secret.to_lowercase()),
            "{secret} leaked into the audit trail"
        );
    }
    // The raw table too (the API might filter what it shows).
    let raw = stored(&app, entities::audit_log::Entity)
        .await
        .to_lowercase();
    for secret in &typed {
        assert!(!raw.contains(&secret.to_lowercase()));
    }
}

/// Every stored row of an entity, every column, as text.
async fn stored<E: sea_orm::EntityTrait>(app: &TestApp, entity: E) -> String
where
    E::Model: std::fmt::Debug,
{
    let _ = entity;
    let rows = E::find().all(&app.db).await.expect("rows");
    format!("{rows:?}")
}

#[tokio::test]
async fn the_secret_is_stored_sealed_and_recovery_codes_only_as_digests() {
    let app = spawn_app().await;
    let sale = enrolled_sale(&app).await;
    let secrets = stored(&app, entities::user_two_factor::Entity).await;
    assert!(secrets.contains("secret_sealed"));
    assert!(
        !secrets.contains(&sale.secret),
        "base32 secret in plain text"
    );
    let codes = stored(&app, entities::two_factor_recovery_code::Entity).await;
    assert_eq!(codes.matches("code_hash").count(), 10);
    for code in &sale.recovery {
        assert!(!codes.contains(code.as_str()));
        assert!(!codes.contains(&code.replace('-', "")));
    }
    // The sealed value opens only with the key derived from this server's master key.
    use sea_orm::EntityTrait;
    let row = entities::user_two_factor::Entity::find_by_id(sale.id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("row");
    assert_ne!(row.secret_sealed, sale.secret);
    let other = tempfile::tempdir().expect("dir");
    let stranger = server::keys::Keys::load(None, other.path()).expect("keys");
    assert!(
        server::auth::two_factor::secret::SecretBox::new(&stranger)
            .open(sale.id, &row.secret_sealed)
            .is_err()
    );
}

#[tokio::test]
async fn two_factor_keeps_working_after_the_master_key_is_rotated() {
    let app = spawn_app().await;
    let sale = enrolled_sale(&app).await;
    let old = server::keys::Keys::load(None, &app.dir.path().join("data")).expect("old key");
    let (new, encoded) = server::keys::Keys::generate();
    let done = server::rotate::rotate(&app.db, &old, &new, app.clock_now())
        .await
        .expect("rotate");
    assert_eq!(done.totp_secrets_resealed, 1);
    let rotated = spawn_app_with(crate::helpers::Options {
        master_key: Some(encoded),
        database_url: Some(app.database_url.clone()),
        ..Default::default()
    })
    .await;
    // The second server has its own clock at the same start time.
    rotated.clock.advance(app.clock_now() - rotated.clock_now());
    token_of(login(&rotated, with_code(&now_code(&rotated, &sale.secret))).await).await;
}
