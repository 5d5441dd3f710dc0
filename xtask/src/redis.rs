//! Redis for the multi-node tests: Debian's `redis-server`, installed when missing.
//! Each test starts its own server on a free loopback port (so one may stop and
//! restart it); xtask only makes sure the binary is there and that the tests insist
//! on it rather than skip.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, Result};

use crate::setup;

/// Where the tests find the binary (server/tests/api/helpers/redis.rs).
const SERVER_VAR: &str = "ANKHANG_TEST_REDIS_SERVER";
/// Set: a missing binary fails the multi-node tests instead of skipping them.
const REQUIRE_VAR: &str = "ANKHANG_TEST_REQUIRE_REDIS";

pub fn ensure_installed() -> Result<PathBuf> {
    if let Some(found) = find() {
        println!("    {}", found.display());
        return Ok(found);
    }
    setup::apt_install(&["redis-server"])?;
    find().context("redis-server still not found after apt-get install redis-server")
}

fn find() -> Option<PathBuf> {
    Some(PathBuf::from("/usr/bin/redis-server"))
        .filter(|path| path.is_file())
        .or_else(|| setup::which("redis-server"))
}

/// Hands the binary to a test command.
pub fn pass_to(tests: &mut Command, binary: &Path) {
    tests.env(SERVER_VAR, binary).env(REQUIRE_VAR, "1");
    println!("    {SERVER_VAR}={} {REQUIRE_VAR}=1", binary.display());
}
