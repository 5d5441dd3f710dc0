//! Paths shared by every task and the tools they need (wasm target, wasm-bindgen, apt packages).

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};

use crate::cmd;

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Where things are, resolved once so every child cargo and every lookup agree.
pub struct Ctx {
    pub repo: PathBuf,
    pub target_dir: PathBuf,
    pub tools: PathBuf,
    cargo: OsString,
}

impl Ctx {
    pub fn new() -> Result<Self> {
        // `cargo run` sets CARGO_MANIFEST_DIR at run time; prefer it to the compile-time
        // path, because clones sharing one target dir may run a binary built elsewhere.
        let manifest_dir = env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        let repo = manifest_dir
            .parent()
            .context("xtask must live in a sub-directory of the workspace")?
            .to_path_buf();
        let home = env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
            .context("HOME is not set: it locates the build cache ($HOME/.cache/ankhang)")?;
        let cache = home.join(".cache").join("ankhang");
        // Outside the clone by default so CI runs (fresh clones) stay incremental.
        let target_dir = match env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
            // Cargo resolves a relative CARGO_TARGET_DIR against the cwd; our children run in the repo.
            Some(dir) => std::path::absolute(&dir)
                .with_context(|| format!("cannot resolve CARGO_TARGET_DIR={dir:?}"))?,
            None => cache.join("target"),
        };
        // `cargo run` tells us which cargo it is, so children use the same toolchain.
        let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        println!("==> cargo target dir: {}", target_dir.display());
        Ok(Self {
            repo,
            target_dir,
            tools: cache.join("tools"),
            cargo,
        })
    }

    /// A cargo command in the repo root using our target dir.
    pub fn cargo(&self) -> Command {
        let mut cmd = Command::new(&self.cargo);
        cmd.current_dir(&self.repo)
            .env("CARGO_TARGET_DIR", &self.target_dir);
        cmd
    }

    pub fn dist_dir(&self) -> PathBuf {
        self.repo.join("client-yew").join("dist")
    }

    pub fn release_bin(&self, name: &str) -> PathBuf {
        self.target_dir
            .join("release")
            .join(format!("{name}{}", env::consts::EXE_SUFFIX))
    }

    fn wasm_bindgen_bin(&self) -> PathBuf {
        self.tools
            .join("bin")
            .join(format!("wasm-bindgen{}", env::consts::EXE_SUFFIX))
    }
}

/// Set-up shared by every task that builds the client. Returns the wasm-bindgen binary.
pub fn wasm_tools(ctx: &Ctx) -> Result<PathBuf> {
    cmd::step("rust target wasm32-unknown-unknown", || {
        ensure_wasm_target(ctx)
    })?;
    cmd::step("wasm-bindgen-cli (Cargo.lock's version)", || {
        ensure_wasm_bindgen(ctx)
    })
}

fn ensure_wasm_target(ctx: &Ctx) -> Result<()> {
    let rustup = || {
        let mut c = Command::new("rustup");
        // The repo may pin a toolchain; ask about that one.
        c.current_dir(&ctx.repo);
        c
    };
    if !cmd::probe(rustup().arg("--version")) {
        println!("    rustup not found; assuming the toolchain already has {WASM_TARGET}");
        return Ok(());
    }
    let installed = cmd::output(rustup().args(["target", "list", "--installed"]))?;
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        println!("    already installed");
        return Ok(());
    }
    cmd::run(rustup().args(["target", "add", WASM_TARGET]))
}

fn ensure_wasm_bindgen(ctx: &Ctx) -> Result<PathBuf> {
    let lock_path = ctx.repo.join("Cargo.lock");
    if !lock_path.exists() {
        cmd::run(ctx.cargo().arg("generate-lockfile"))?;
    }
    let lock = fs::read_to_string(&lock_path)
        .with_context(|| format!("cannot read {}", lock_path.display()))?;
    let want = lock_version(&lock, "wasm-bindgen")?
        .context("Cargo.lock has no `wasm-bindgen` package: does client-yew depend on it?")?;

    let bin = ctx.wasm_bindgen_bin();
    match installed_version(&bin) {
        Some(have) if have == want => {
            println!("    wasm-bindgen {want} already in {}", bin.display());
            return Ok(bin);
        }
        Some(have) => println!("    found wasm-bindgen {have}, need {want}"),
        None => println!("    wasm-bindgen {want} not installed yet"),
    }
    // The CLI must match the crate exactly or the generated JS glue breaks.
    // No `--locked`: a locked dependency is missing from some registry mirrors.
    // `--force` replaces a stale binary even if cargo's install records disagree.
    // Without CARGO_TARGET_DIR cargo builds in a temp dir instead of our workspace target.
    let mut install = ctx.cargo();
    install
        .env_remove("CARGO_TARGET_DIR")
        .args([
            "install",
            "wasm-bindgen-cli",
            "--force",
            "--version",
            &want,
            "--root",
        ])
        .arg(&ctx.tools);
    cmd::run(&mut install)?;
    match installed_version(&bin) {
        Some(have) if have == want => Ok(bin),
        Some(have) => bail!("installed wasm-bindgen reports {have}, expected {want}"),
        None => bail!("{} missing after cargo install", bin.display()),
    }
}

/// Version of `bin` (a wasm-bindgen CLI), or None if it is absent or broken.
fn installed_version(bin: &Path) -> Option<String> {
    if !bin.is_file() {
        return None;
    }
    let out = cmd::output(Command::new(bin).arg("--version")).ok()?;
    parse_tool_version(&out)
}

/// `wasm-bindgen 0.2.130` → `0.2.130`.
fn parse_tool_version(out: &str) -> Option<String> {
    out.split_whitespace().nth(1).map(str::to_owned)
}

/// The version of package `name` in Cargo.lock text. A plain line scan is enough for the lock
/// format and avoids a TOML dependency. Errors if several versions are locked (ambiguous).
pub fn lock_version(lock: &str, name: &str) -> Result<Option<String>> {
    let mut versions: Vec<&str> = Vec::new();
    for block in lock.split("[[package]]").skip(1) {
        let (mut pkg, mut version) = (None, None);
        for line in block.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                break; // a following table such as [metadata]
            }
            if let Some(v) = toml_string(line, "name") {
                pkg = Some(v);
            } else if let Some(v) = toml_string(line, "version") {
                version = Some(v);
            }
        }
        if pkg == Some(name) {
            let v = version.ok_or_else(|| anyhow!("Cargo.lock: `{name}` has no version"))?;
            if !versions.contains(&v) {
                versions.push(v);
            }
        }
    }
    match versions.as_slice() {
        [] => Ok(None),
        [v] => Ok(Some((*v).to_owned())),
        many => bail!(
            "Cargo.lock has several `{name}` versions ({}); the wasm-bindgen CLI must match one",
            many.join(", ")
        ),
    }
}

/// `key = "value"` → `value`.
fn toml_string<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line
        .strip_prefix(key)?
        .trim_start()
        .strip_prefix('=')?
        .trim();
    rest.strip_prefix('"')?.strip_suffix('"')
}

/// Browser paths handed to the end-to-end tests.
pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

/// Installs, via apt-get, whatever the tests need and the machine lacks: Chromium and
/// chromedriver for browser tests, pkg-config and libssl-dev for crates linking OpenSSL.
pub fn ensure_system_packages() -> Result<Browser> {
    let mut missing = Vec::new();
    if find_browser().is_none() {
        missing.extend(["chromium", "chromium-driver"]);
    }
    if !cmd::probe(Command::new("pkg-config").args(["--exists", "openssl"])) {
        missing.extend(["pkg-config", "libssl-dev"]);
    }
    if missing.is_empty() {
        println!("    all present");
    } else {
        apt_install(&missing)?;
    }
    find_browser().context("chromium or chromedriver still not found after apt-get install")
}

fn find_browser() -> Option<Browser> {
    let find = |var: &str, default: &str, name: &str| {
        env::var_os(var)
            .map(PathBuf::from)
            .filter(|p| p.is_file())
            .or_else(|| Some(PathBuf::from(default)).filter(|p| p.is_file()))
            .or_else(|| which(name))
    };
    Some(Browser {
        chromium: find("CHROMIUM", "/usr/bin/chromium", "chromium")?,
        chromedriver: find("CHROMEDRIVER", "/usr/bin/chromedriver", "chromedriver")?,
    })
}

fn which(name: &str) -> Option<PathBuf> {
    env::split_paths(&env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

pub fn apt_install(packages: &[&str]) -> Result<()> {
    println!("    missing: {}", packages.join(" "));
    if which("apt-get").is_none() {
        bail!(
            "apt-get not found: install these packages with your package manager: {}",
            packages.join(" ")
        );
    }
    let is_root = cmd::output(Command::new("id").arg("-u")).is_ok_and(|uid| uid.trim() == "0");
    let apt = |args: &[&str]| {
        let mut c = if is_root {
            let mut c = Command::new("apt-get");
            c.env("DEBIAN_FRONTEND", "noninteractive");
            c
        } else {
            // sudo drops most of the environment; pass the variable as an argument.
            let mut c = Command::new("sudo");
            c.args(["DEBIAN_FRONTEND=noninteractive", "apt-get"]);
            c
        };
        c.args(args);
        c
    };
    cmd::run(&mut apt(&["update"]))?;
    let mut install = apt(&["install", "-y"]);
    install.args(packages);
    cmd::run(&mut install)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"# This file is automatically @generated by Cargo.
version = 4

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "quote",
 "wasm-bindgen-macro-support",
]

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "abc"
dependencies = [
 "cfg-if",
 "wasm-bindgen-macro",
]

[[package]]
name = "xtask"
version = "0.1.0"
"#;

    #[test]
    fn finds_exact_package() {
        assert_eq!(
            lock_version(LOCK, "wasm-bindgen")
                .expect("parse")
                .as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            lock_version(LOCK, "xtask").expect("parse").as_deref(),
            Some("0.1.0")
        );
        assert_eq!(lock_version(LOCK, "wasm").expect("parse"), None);
        assert_eq!(lock_version("", "wasm-bindgen").expect("parse"), None);
    }

    #[test]
    fn rejects_ambiguous_versions() {
        let lock = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.99\"\n");
        assert!(lock_version(&lock, "wasm-bindgen").is_err());
    }

    #[test]
    fn stops_at_following_tables() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\n\n[metadata]\nversion = \"9\"\n";
        assert!(lock_version(lock, "wasm-bindgen").is_err());
    }

    #[test]
    fn parses_cli_version() {
        assert_eq!(
            parse_tool_version("wasm-bindgen 0.2.130\n").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(parse_tool_version(""), None);
    }
}
