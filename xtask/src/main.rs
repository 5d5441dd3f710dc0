//! `cargo xtask`: one entry point to run AnKhangCRM locally and to run CI.

mod client;
mod cmd;
mod mariadb;
mod postgres;
mod redis;
mod setup;

use std::env;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use crate::setup::Ctx;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "AnKhangCRM developer and CI tasks")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Build the client and the server (release), migrate, create the first admin, then serve.
    Run,
    /// CI: install tools, fmt, clippy, build the client, run every test (on SQLite, then
    /// the server's integration suite again on a throwaway PostgreSQL).
    Test {
        /// Which passes to run; `postgres` / `mariadb` run only the integration suite
        /// on that database (no fmt, clippy or client build), for development.
        #[arg(long, value_enum, default_value_t = Db::All)]
        db: Db,
        /// Passed to the test runner (`cargo xtask test -- some_filter`).
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Only build the client bundle into client-yew/dist.
    BuildClient,
}

/// The databases `cargo xtask test` runs the suite on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Db {
    /// Every check and test on SQLite, then the integration suite on PostgreSQL and
    /// on MariaDB (what CI runs).
    All,
    /// Every check and test on SQLite only.
    Sqlite,
    /// Only the integration suite on PostgreSQL.
    Postgres,
    /// Only the integration suite on MariaDB.
    Mariadb,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let start = Instant::now();
    let result = Ctx::new().and_then(|ctx| match cli.command {
        Task::Run => run(&ctx),
        Task::Test { db, args } => test(&ctx, db, &args),
        Task::BuildClient => {
            let wasm_bindgen = setup::wasm_tools(&ctx)?;
            client::build_bundle(&ctx, &wasm_bindgen).map(drop)
        }
    });
    match result {
        Ok(()) => {
            println!("==> done in {:.1} s", start.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("xtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(ctx: &Ctx) -> Result<()> {
    let wasm_bindgen = setup::wasm_tools(ctx)?;
    let dist = client::build_bundle(ctx, &wasm_bindgen)?;
    cmd::step("build server (release)", || {
        cmd::run(ctx.cargo().args(["build", "--release", "-p", "server"]))
    })?;

    let bin = ctx.release_bin("ankhang");
    // A user-provided web dir wins (e.g. a differently built client).
    let web_dir = env::var_os("ANKHANG_WEB_DIR").unwrap_or_else(|| dist.into_os_string());
    // cwd = repo root so `data/` (git-ignored) lands in the clone.
    let server = |sub: &str| {
        let mut c = Command::new(&bin);
        c.arg(sub)
            .current_dir(&ctx.repo)
            .env("ANKHANG_WEB_DIR", &web_dir);
        c
    };
    cmd::step("migrate database", || cmd::run(&mut server("migrate")))?;
    // Creates a Super Admin only when none exists and prints its credentials itself.
    cmd::step("bootstrap admin", || {
        cmd::run(&mut server("bootstrap-admin"))
    })?;

    let bind = env::var("ANKHANG_BIND").unwrap_or_else(|_| "127.0.0.1:8080".into());
    println!(
        "AnKhangCRM: http://{} — đăng nhập bằng tài khoản admin ở trên",
        browsable(&bind)
    );
    serve(server("serve"))
}

/// A wildcard bind address is not something a browser can open; show loopback instead.
fn browsable(bind: &str) -> String {
    if let Some(port) = bind.strip_prefix("0.0.0.0:") {
        format!("127.0.0.1:{port}")
    } else if let Some(port) = bind.strip_prefix("[::]:") {
        format!("localhost:{port}")
    } else {
        bind.to_owned()
    }
}

/// Replaces xtask with the server so Ctrl-C and the exit code behave as if it ran directly.
#[cfg(unix)]
fn serve(mut cmd: Command) -> Result<()> {
    use std::io::Write;
    use std::os::unix::process::CommandExt;
    println!("    $ {}", cmd::describe(&cmd));
    let _ = std::io::stdout().flush();
    let err = cmd.exec(); // returns only on failure
    Err(err).with_context(|| format!("cannot start `{}`", cmd::describe(&cmd)))
}

/// Elsewhere: wait on the child, which handles Ctrl-C itself.
#[cfg(not(unix))]
fn serve(mut cmd: Command) -> Result<()> {
    cmd::run(&mut cmd)
}

fn test(ctx: &Ctx, db: Db, extra: &[String]) -> Result<()> {
    let runner = test_runner(ctx);
    // Every chosen pass runs even when an earlier one failed: CI reports them all.
    let mut failures = Vec::new();
    if matches!(db, Db::All | Db::Sqlite)
        && let Err(err) = test_sqlite(ctx, runner, extra)
    {
        failures.push(format!("SQLite: {err:#}"));
    }
    if matches!(db, Db::All | Db::Postgres)
        && let Err(err) = test_postgres(ctx, extra)
    {
        failures.push(format!("PostgreSQL: {err:#}"));
    }
    if matches!(db, Db::All | Db::Mariadb)
        && let Err(err) = mariadb::test_pass(ctx, runner, extra)
    {
        failures.push(format!("MariaDB: {err:#}"));
    }
    if failures.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("{}", failures.join("; "))
    }
}

/// Tests whose name contains this are left out of the PostgreSQL pass: they exercise
/// the web client, which talks to the same API whatever the database.
const BROWSER_TESTS: &str = "browser";

/// The server's integration suite once more, on a fresh PostgreSQL cluster that lives as
/// long as the pass (stopped and deleted on the way out, failed or not).
fn test_postgres(ctx: &Ctx, extra: &[String]) -> Result<()> {
    let pg = cmd::step("PostgreSQL (throwaway cluster)", postgres::Postgres::start)?;
    let nextest = cmd::probe(ctx.cargo().args(["nextest", "--version"]));
    let mut tests = ctx.cargo();
    if nextest {
        tests
            .args([
                "nextest",
                "run",
                "-p",
                "server",
                "--test",
                "api",
                "--no-fail-fast",
            ])
            .args(["-E", &format!("not test(/{BROWSER_TESTS}/)")])
            .args(extra);
    } else {
        tests
            .args(["test", "-p", "server", "--test", "api", "--no-fail-fast"])
            .args(extra);
        if !extra.iter().any(|a| a == "--") {
            tests.arg("--");
        }
        tests.args(["--skip", BROWSER_TESTS]);
    }
    tests.env(TEST_DATABASE_VAR, pg.url());
    let redis = cmd::step("redis-server", redis::ensure_installed)?;
    cmd::step("integration tests on PostgreSQL", || {
        redis::pass_to(&mut tests, &redis);
        print_env(&[(TEST_DATABASE_VAR, std::ffi::OsStr::new(pg.url()))]);
        cmd::run(&mut tests)
    })
}

/// Where the suite creates its databases (see server/tests/api/helpers/database.rs).
const TEST_DATABASE_VAR: &str = "ANKHANG_TEST_DATABASE_URL";

fn test_sqlite(ctx: &Ctx, runner: &[&str], extra: &[String]) -> Result<()> {
    let wasm_bindgen = setup::wasm_tools(ctx)?;
    let browser = cmd::step(
        "system packages (chromium, chromedriver, pkg-config, libssl-dev)",
        setup::ensure_system_packages,
    )?;
    cmd::step("cargo fmt --check", || {
        cmd::run(ctx.cargo().args(["fmt", "--all", "--", "--check"]))
    })?;
    cmd::step("clippy (host crates)", || {
        cmd::run(
            ctx.cargo()
                .args(["clippy", "--all-targets", "--", "-D", "warnings"]),
        )
    })?;
    cmd::step("clippy (wasm client)", || {
        cmd::run(ctx.cargo().args([
            "clippy",
            "-p",
            "client-yew",
            "--target",
            setup::WASM_TARGET,
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    let dist = client::build_bundle(ctx, &wasm_bindgen)?;
    let redis = cmd::step("redis-server", redis::ensure_installed)?;

    cmd::step(&format!("tests (cargo {})", runner.join(" ")), || {
        let mut tests = ctx.cargo();
        tests
            .args(runner)
            .args(["--workspace", "--no-fail-fast"])
            .args(extra)
            .env("ANKHANG_WEB_DIR", &dist)
            .env("CHROMEDRIVER", &browser.chromedriver)
            .env("CHROMIUM", &browser.chromium);
        redis::pass_to(&mut tests, &redis);
        print_env(&[
            ("ANKHANG_WEB_DIR", dist.as_os_str()),
            ("CHROMEDRIVER", browser.chromedriver.as_os_str()),
            ("CHROMIUM", browser.chromium.as_os_str()),
        ]);
        cmd::run(&mut tests)
    })
}

/// nextest isolates tests in processes and reports better; plain cargo test is the fallback.
fn test_runner(ctx: &Ctx) -> &'static [&'static str] {
    if cmd::probe(ctx.cargo().args(["nextest", "--version"])) {
        &["nextest", "run"]
    } else {
        &["test"]
    }
}

/// Logs the environment handed to the tests (cmd::run only shows the command line).
fn print_env(vars: &[(&str, &std::ffi::OsStr)]) {
    for (name, value) in vars {
        println!("    {name}={}", Path::new(value).display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_args_pass_through() {
        let cli = Cli::try_parse_from(["xtask", "test", "--", "some_filter", "--nocapture"])
            .expect("parse");
        match cli.command {
            Task::Test { db, args } => {
                assert_eq!(db, Db::All);
                assert_eq!(args, ["some_filter", "--nocapture"]);
            }
            _ => panic!("expected test"),
        }
    }

    #[test]
    fn one_database_can_be_chosen() {
        for (name, chosen) in [("postgres", Db::Postgres), ("mariadb", Db::Mariadb)] {
            let cli =
                Cli::try_parse_from(["xtask", "test", "--db", name, "--", "pick"]).expect("parse");
            match cli.command {
                Task::Test { db, args } => {
                    assert_eq!(db, chosen);
                    assert_eq!(args, ["pick"]);
                }
                _ => panic!("expected test"),
            }
        }
    }

    #[test]
    fn wildcard_bind_is_shown_as_loopback() {
        assert_eq!(browsable("0.0.0.0:9000"), "127.0.0.1:9000");
        assert_eq!(browsable("127.0.0.1:8080"), "127.0.0.1:8080");
    }
}
