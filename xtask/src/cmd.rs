//! Running child processes. Every external command goes through here, so a failure always says
//! exactly which command ran and how it ended.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
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

/// `$CARGO_HOME/bin` (default `~/.cargo/bin`), where `cargo install` puts trunk and
/// wasm-bindgen. It is usually on `PATH` already; commands that need those tools put it there
/// anyway, so a fresh shell whose profile never ran still finds them.
pub fn cargo_home_bin() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))?;
    Some(home.join("bin"))
}

/// `PATH` with `dirs` in front, in order, so their programs win over same-named ones elsewhere.
pub fn path_with(dirs: &[PathBuf]) -> Result<OsString> {
    let mut all: Vec<PathBuf> = dirs.to_vec();
    if let Some(path) = std::env::var_os("PATH") {
        all.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(all).context("a directory to put on PATH contains `:`")
}

/// Builds the web app into `dist/` with trunk, in release.
///
/// `Trunk.toml` sets `offline = true` (cargo gets `--offline`), so `cargo fetch` runs first.
/// `PATH` starts with binaryen 132's `wasm-opt` from npm: trunk takes the first `wasm-opt` on
/// `PATH`, and Debian's `/usr/bin/wasm-opt` (108) builds a page that fails to load. Next comes
/// `$CARGO_HOME/bin`, for trunk itself and the pinned `wasm-bindgen`.
pub fn trunk_build() -> Result<()> {
    run(&mut cargo(["fetch"]))?;
    let mut dirs = vec![crate::setup::binaryen_bin()?];
    dirs.extend(cargo_home_bin());
    let path = path_with(&dirs)?;
    let mut trunk = new("trunk", ["build", "--release"]);
    // Rust looks the program up in the child's PATH when it is set on the command.
    trunk.env("PATH", path);
    run(&mut trunk)
}
