//! Child processes and timed steps, with errors that say what failed.

use std::io::ErrorKind;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};

/// Runs one named step: prints `==> name`, then its duration (CI logs show where time goes),
/// and tags any error with the step name so the first failure is obvious.
pub fn step<T>(name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("==> {name}");
    let start = Instant::now();
    let result = f();
    let secs = start.elapsed().as_secs_f64();
    match result {
        Ok(value) => {
            println!("    {name}: ok in {secs:.1} s");
            Ok(value)
        }
        Err(err) => {
            println!("    {name}: FAILED after {secs:.1} s");
            Err(err.context(format!("step `{name}` failed")))
        }
    }
}

/// The command line as a user would type it, for logs and error messages.
pub fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

fn spawn_error(cmd: &Command, err: std::io::Error) -> anyhow::Error {
    let program = cmd.get_program().to_string_lossy();
    if err.kind() == ErrorKind::NotFound {
        anyhow!("`{program}` not found: is it installed and on PATH?")
    } else {
        anyhow!(err).context(format!("could not start `{}`", describe(cmd)))
    }
}

/// Runs `cmd` with inherited stdio (output streams straight to the log); fails on non-zero exit.
pub fn run(cmd: &mut Command) -> Result<()> {
    println!("    $ {}", describe(cmd));
    let status = cmd.status().map_err(|e| spawn_error(cmd, e))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(cmd));
    }
    Ok(())
}

/// Runs `cmd` quietly and returns its stdout; stderr is kept in the error on failure.
pub fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| spawn_error(cmd, e))?;
    if !out.status.success() {
        bail!(
            "`{}` failed ({}): {}",
            describe(cmd),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    String::from_utf8(out.stdout).with_context(|| format!("`{}` printed non-UTF-8", describe(cmd)))
}

/// True when `cmd` starts and exits successfully; used to detect optional tools.
pub fn probe(cmd: &mut Command) -> bool {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
