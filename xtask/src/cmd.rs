//! Running child processes. Every external command goes through here, so a failure always says
//! exactly which command ran and how it ended.

use std::ffi::OsStr;
use std::process::{Command, Output, Stdio};

use anyhow::{bail, Context, Result};

/// A `cargo` command for the toolchain that runs xtask (`$CARGO` is set by `cargo run`).
pub fn cargo<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(args);
    cmd
}

/// A command from `PATH` with its arguments.
pub fn new<P, I, S>(program: P, args: I) -> Command
where
    P: AsRef<OsStr>,
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(program);
    cmd.args(args);
    cmd
}

/// The command as a person would type it, for messages (`cargo` rather than its full path).
pub fn describe(cmd: &Command) -> String {
    let program = cmd.get_program().to_string_lossy();
    let program = match std::path::Path::new(&*program).file_name() {
        Some(name) if name == "cargo" => "cargo".to_string(),
        _ => program.into_owned(),
    };
    let mut line = program;
    for arg in cmd.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Runs with the terminal attached (output streams through) and fails unless it exits with 0.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .status()
        .with_context(|| format!("could not start `{}`", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(cmd));
    }
    Ok(())
}

/// Runs with stdout and stderr captured; the caller decides what a failure means.
pub fn output(cmd: &mut Command) -> Result<Output> {
    cmd.stdin(Stdio::null())
        .output()
        .with_context(|| format!("could not start `{}`", describe(cmd)))
}

/// For presence checks: the first line of stdout if the command runs and succeeds, else `None`.
pub fn first_line(cmd: &mut Command) -> Option<String> {
    let out = output(cmd).ok()?;
    if !out.status.success() {
        return None;
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    Some(stdout.lines().next().unwrap_or("").trim().to_string())
}
