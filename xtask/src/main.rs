//! `cargo xtask`: the project's one entry point for setting up, testing and serving Scaleplay.
//!
//! Run through the alias in `.cargo/config.toml` (`cargo xtask <command>`). Only `std` and
//! `anyhow`: this must build in seconds on a fresh machine, before anything else is installed.

mod cmd;
mod disk;
mod e2e;
mod serve;
mod setup;
mod test;
mod wasm_check;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup            install what is missing: wasm32 target, rustfmt, clippy, Node.js,
                   wasm-bindgen-cli, trunk, binaryen (wasm-opt), Chromium, Playwright
  test             setup, then fmt check, clippy, cargo test, wasm32 build, wasm determinism
                   check, app build (trunk), e2e (Playwright)
                   (SCALEPLAY_TEST_QUICK=1 skips wasm determinism, app build and e2e)
  serve [--port N] [--no-build]
                   build the app with trunk and serve dist/ on http://127.0.0.1:N (default 8080);
                   --no-build serves the dist/ already there
  e2e [--no-build] [-- PLAYWRIGHT_ARGS]
                   build the app (unless --no-build), serve it, run the Playwright tests in
                   tests/e2e (e.g. `cargo xtask e2e -- smoke.spec.ts`)
  wasm-check       compare every preset's report natively and in wasm (Node), byte for byte
  docs             write docs/scenario.md, the scenario file's reference (`scaleplay reference`),
                   after a change to a param, its default or its line in crates/sim/src/reference.rs
  help             print this message";

fn main() {
    if let Err(err) = try_main() {
        eprintln!("xtask: error: {err:#}");
        std::process::exit(1);
    }
}

fn try_main() -> Result<()> {
    let root = repo_root();
    // Every path below is relative to the workspace root, whatever directory cargo was run from.
    std::env::set_current_dir(&root)
        .with_context(|| format!("cannot enter the workspace root {}", root.display()))?;

    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    match command.as_deref() {
        Some("setup") => {
            no_args("setup", &rest)?;
            setup::run()
        }
        Some("test") => {
            no_args("test", &rest)?;
            test::run()
        }
        Some("serve") => serve::run(serve::parse_args(&rest)?),
        Some("e2e") => e2e::run(&e2e::parse_args(&rest)?),
        Some("wasm-check") => {
            no_args("wasm-check", &rest)?;
            setup::ensure(&[setup::BASE])?;
            wasm_check::run()
        }
        Some("docs") => {
            no_args("docs", &rest)?;
            write_docs()
        }
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        None => {
            println!("{USAGE}");
            bail!("no command given")
        }
        Some(other) => {
            println!("{USAGE}");
            bail!("unknown command `{other}`")
        }
    }
}

/// Writes `docs/scenario.md` from the CLI's `reference` command, which prints the engine's own
/// reference (a test in `crates/sim/src/reference.rs` fails while the file differs from it).
fn write_docs() -> Result<()> {
    let mut reference = cmd::cargo(["run", "-q", "-p", "scaleplay-cli", "--", "reference"]);
    let out = cmd::output(&mut reference)?;
    if !out.status.success() {
        bail!(
            "`{}` failed ({}): {}",
            cmd::describe(&reference),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let path = Path::new("docs/scenario.md");
    std::fs::write(path, &out.stdout)
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!("xtask docs: wrote {}", path.display());
    Ok(())
}

fn no_args(command: &str, rest: &[String]) -> Result<()> {
    if let Some(extra) = rest.first() {
        bail!("`{command}` takes no arguments, got `{extra}`");
    }
    Ok(())
}

/// The workspace root: xtask lives one level below it.
fn repo_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .expect("xtask's manifest dir is <root>/xtask, so it has a parent")
        .to_path_buf()
}

/// Where cargo puts build output: `$CARGO_TARGET_DIR` if set, else `target/` in the root.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
}
