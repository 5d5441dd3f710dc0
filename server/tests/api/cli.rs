//! The `ankhang` binary as an operator uses it.

use std::{path::Path, process::Command, time::Duration};

pub fn ankhang(dir: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_ankhang"))
        .args(args)
        .current_dir(dir)
        .env_remove("ANKHANG_MASTER_KEY")
        .env_remove("DATABASE_URL")
        .env_remove("ANKHANG_DATA_DIR")
        .env_remove("ANKHANG_ADMIN_PASSWORD")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run ankhang");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn first_run_creates_the_database_and_a_private_master_key() {
    let dir = tempfile::tempdir().expect("dir");
    let (ok, out) = ankhang(dir.path(), &["migrate"]);
    assert!(ok, "{out}");
    assert!(dir.path().join("data/ankhang.db").exists());
    let (ok, out) = ankhang(dir.path(), &["bootstrap-admin"]);
    assert!(ok, "{out}");
    assert!(out.contains("Tên đăng nhập: admin"), "{out}");
    assert!(out.contains("Mật khẩu:"), "{out}");
    let (ok, out) = ankhang(dir.path(), &["bootstrap-admin"]);
    assert!(ok, "{out}");
    assert!(out.contains("Đã có Super Admin"), "{out}");
}

#[test]
fn create_admin_is_idempotent_and_resets_the_password() {
    let dir = tempfile::tempdir().expect("dir");
    let args = [
        "create-admin",
        "--username",
        "boss",
        "--password",
        "Boss12345",
    ];
    let (ok, out) = ankhang(dir.path(), &args);
    assert!(ok && out.contains("Đã tạo Super Admin 'boss'"), "{out}");
    let (ok, out) = ankhang(dir.path(), &args);
    assert!(ok && out.contains("đã được đặt lại mật khẩu"), "{out}");
    let (ok, out) = ankhang(
        dir.path(),
        &["create-admin", "--username", "boss", "--password", "weak"],
    );
    assert!(!ok, "a weak password is refused");
    assert!(out.contains("--password"), "{out}");
}

#[test]
fn serve_generates_the_master_key_with_mode_0600_and_answers_healthz() {
    let dir = tempfile::tempdir().expect("dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let mut child = Command::new(env!("CARGO_BIN_EXE_ankhang"))
        .arg("serve")
        .current_dir(dir.path())
        .env_remove("ANKHANG_MASTER_KEY")
        .env_remove("DATABASE_URL")
        .env_remove("ANKHANG_DATA_DIR")
        .env("ANKHANG_BIND", format!("127.0.0.1:{port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve");
    let mut healthy = false;
    for _ in 0..100 {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            let _ = stream.write_all(b"GET /healthz HTTP/1.0\r\nHost: x\r\n\r\n");
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200") {
                healthy = true;
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(healthy, "serve never answered /healthz");
    let key = dir.path().join("data/master.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).expect("key").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn seed_demo_builds_a_small_firm_once() {
    let dir = tempfile::tempdir().expect("dir");
    let (ok, out) = ankhang(dir.path(), &["seed-demo", "--sales", "3"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("thêm 2 nhóm, 5 nhân viên, 12 khách hàng, 4 sản phẩm, 1 mã giảm giá"),
        "{out}"
    );
    assert!(out.contains("Demo@12345"), "{out}");
    let (ok, out) = ankhang(dir.path(), &["seed-demo", "--sales", "3"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("thêm 0 nhóm, 0 nhân viên, 0 khách hàng, 0 sản phẩm, 0 mã giảm giá"),
        "{out}"
    );
}

#[tokio::test]
async fn audit_verify_walks_a_seeded_year_and_names_a_tampered_entry() {
    let dir = tempfile::tempdir().expect("dir");
    let (ok, out) = ankhang(
        dir.path(),
        &["seed-demo", "--sales", "2", "--audit", "3000"],
    );
    assert!(ok, "{out}");
    assert!(out.contains("Nhật ký mẫu: thêm 3000 mục"), "{out}");
    let (ok, out) = ankhang(dir.path(), &["audit", "verify"]);
    assert!(ok, "{out}");
    assert!(out.contains("Chuỗi nhật ký nguyên vẹn"), "{out}");

    let url = format!("sqlite://{}", dir.path().join("data/ankhang.db").display());
    let db = sea_orm::Database::connect(&url).await.expect("db");
    sea_orm::ConnectionTrait::execute_unprepared(
        &db,
        "UPDATE audit_log SET after_data = '{\"status\":\"won\"}' WHERE id = 1500",
    )
    .await
    .expect("tamper");
    db.close().await.expect("close");
    let (ok, out) = ankhang(dir.path(), &["audit", "verify"]);
    assert!(!ok, "a tampered trail fails: {out}");
    assert!(out.contains("mục #1500"), "{out}");
}
