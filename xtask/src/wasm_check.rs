//! `cargo xtask wasm-check`: the engine must give the same report natively and in wasm.
//!
//! For every preset in `scenarios/`, runs the release CLI (`scaleplay run FILE --seed 42 --json`)
//! and the wasm probe under Node (`tests/wasm/run.mjs`), and compares the two reports byte for
//! byte. A difference means some float, hash or iteration order depends on the platform, which
//! would make share links reproduce differently in the browser than on the command line.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::{cmd, target_dir};

const SEED: &str = "42";
const SCENARIOS_DIR: &str = "scenarios";
const RUNNER: &str = "tests/wasm/run.mjs";

/// Builds the probe (wasm32) and the CLI (native), then compares every preset.
pub fn run() -> Result<()> {
    let scenarios = scenario_files()?;

    cmd::run(&mut cmd::cargo([
        "build",
        "-p",
        "scaleplay-wasm-probe",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    cmd::run(&mut cmd::cargo([
        "build",
        "-p",
        "scaleplay-cli",
        "--release",
    ]))?;

    let target = target_dir();
    let cli = target.join("release").join("scaleplay");
    let wasm = target
        .join("wasm32-unknown-unknown")
        .join("release")
        .join("scaleplay_wasm_probe.wasm");

    let (mut passed, mut failed) = (0, 0);
    for scenario in &scenarios {
        match compare(&cli, &wasm, scenario) {
            Ok(()) => {
                passed += 1;
                println!("wasm determinism: ok   {}", scenario.display());
            }
            Err(err) => {
                failed += 1;
                println!("wasm determinism: FAIL {}\n{err:#}", scenario.display());
            }
        }
    }
    println!("wasm determinism: {passed} passed, {failed} failed");
    if failed > 0 {
        bail!(
            "{failed} of {} presets failed the native-vs-wasm comparison",
            scenarios.len()
        );
    }
    Ok(())
}

/// `scenarios/*.json`, sorted so the order (and output) is stable.
fn scenario_files() -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(SCENARIOS_DIR)
        .with_context(|| format!("cannot read the presets directory `{SCENARIOS_DIR}/`"))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "json") {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        // A check that compares nothing must not pass.
        bail!("no presets found in `{SCENARIOS_DIR}/*.json`; nothing to compare");
    }
    Ok(files)
}

/// Runs one scenario both ways and explains the first difference, if any.
fn compare(cli: &Path, wasm: &Path, scenario: &Path) -> Result<()> {
    let mut native = cmd::new(cli, ["run"]);
    native.arg(scenario).args(["--seed", SEED, "--json"]);
    let mut in_wasm = cmd::new("node", [RUNNER]);
    in_wasm.arg(wasm).arg(scenario).arg(SEED);
    let (native, in_wasm) = (captured(native)?, captured(in_wasm)?);
    match first_difference(&native, &in_wasm) {
        None => Ok(()),
        Some((line, native_line, wasm_line)) => bail!(
            "  reports differ at line {line}:\n    native: {native_line}\n    wasm:   {wasm_line}"
        ),
    }
}

/// Stdout of a command that must succeed; on failure the error carries its stderr.
fn captured(mut command: std::process::Command) -> Result<String> {
    let out = cmd::output(&mut command)?;
    if !out.status.success() {
        bail!(
            "  `{}` failed ({}):\n{}",
            cmd::describe(&command),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim_end()
        );
    }
    String::from_utf8(out.stdout)
        .with_context(|| format!("`{}` printed invalid UTF-8", cmd::describe(&command)))
}

/// `None` when the two texts are equal after trimming trailing whitespace; otherwise the 1-based
/// number of the first differing line and that line from each side (`<end of output>` if one
/// side ran out), shortened for the terminal.
fn first_difference(native: &str, wasm: &str) -> Option<(usize, String, String)> {
    let (native, wasm) = (native.trim_end(), wasm.trim_end());
    if native == wasm {
        return None;
    }
    let mut a = native.lines();
    let mut b = wasm.lines();
    let mut number = 0;
    loop {
        number += 1;
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (None, None) => {
                // Same lines, different bytes (e.g. `\r\n` against `\n`).
                return Some((number, "<line endings differ>".into(), String::new()));
            }
            (x, y) => return Some((number, shown(x), shown(y))),
        }
    }
}

fn shown(line: Option<&str>) -> String {
    const MAX: usize = 200;
    match line {
        None => "<end of output>".into(),
        Some(line) if line.chars().count() > MAX => {
            format!("{}…", line.chars().take(MAX).collect::<String>())
        }
        Some(line) => line.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_up_to_trailing_whitespace() {
        assert_eq!(
            first_difference("{\n  \"a\": 1\n}\n", "{\n  \"a\": 1\n}"),
            None
        );
    }

    #[test]
    fn names_the_first_differing_line() {
        let diff = first_difference(
            "{\n  \"a\": 1,\n  \"b\": 2\n}",
            "{\n  \"a\": 1,\n  \"b\": 3\n}",
        );
        assert_eq!(diff, Some((3, "  \"b\": 2".into(), "  \"b\": 3".into())));
    }

    #[test]
    fn reports_the_shorter_side_running_out() {
        let diff = first_difference("a\nb", "a");
        assert_eq!(diff, Some((2, "b".into(), "<end of output>".into())));
    }
}
