//! The Yew client bundle: release wasm → wasm-bindgen glue → static files, in client-yew/dist.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::cmd;
use crate::setup::{Ctx, WASM_TARGET};

/// Builds client-yew/dist from scratch and returns its path.
pub fn build_bundle(ctx: &Ctx, wasm_bindgen: &Path) -> Result<PathBuf> {
    let dist = ctx.dist_dir();
    cmd::step("build wasm client (release)", || {
        cmd::run(ctx.cargo().args([
            "build",
            "-p",
            "client-yew",
            "--release",
            "--target",
            WASM_TARGET,
        ]))
    })?;
    cmd::step("wasm-bindgen into client-yew/dist", || {
        let wasm = ctx
            .target_dir
            .join(WASM_TARGET)
            .join("release")
            .join("client_yew.wasm");
        if !wasm.is_file() {
            bail!("{} not found after the build", wasm.display());
        }
        // Start clean so files deleted from static/ or renamed outputs don't linger.
        if dist.exists() {
            fs::remove_dir_all(&dist)
                .with_context(|| format!("cannot remove {}", dist.display()))?;
        }
        fs::create_dir_all(&dist).with_context(|| format!("cannot create {}", dist.display()))?;
        let mut bindgen = Command::new(wasm_bindgen);
        bindgen
            .args(["--target", "web", "--no-typescript", "--out-dir"])
            .arg(&dist)
            .args(["--out-name", "app"])
            .arg(&wasm);
        cmd::run(&mut bindgen)
    })?;
    cmd::step("copy client-yew/static into dist", || {
        let statics = ctx.repo.join("client-yew").join("static");
        if !statics.is_dir() {
            bail!("{} not found (it holds index.html)", statics.display());
        }
        let copied = copy_dir(&statics, &dist)?;
        println!("    {copied} files");
        if !dist.join("index.html").is_file() {
            bail!("client-yew/static has no index.html: the server would have no page to serve");
        }
        Ok(())
    })?;
    Ok(dist)
}

/// Copies every file under `from` into `to`, keeping sub-directories; returns the file count.
fn copy_dir(from: &Path, to: &Path) -> Result<usize> {
    let mut count = 0;
    for entry in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let src = entry.path();
        let dst = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            fs::create_dir_all(&dst).with_context(|| format!("cannot create {}", dst.display()))?;
            count += copy_dir(&src, &dst)?;
        } else {
            fs::copy(&src, &dst)
                .with_context(|| format!("cannot copy {} to {}", src.display(), dst.display()))?;
            count += 1;
        }
    }
    Ok(count)
}
