//! `cargo xtask test`: everything CI runs, in order, stopping at the first failure.

use std::process::Command;

use anyhow::{Context, Result};

use crate::{cmd, disk, e2e, setup, target_dir, wasm_check};

/// Set to `1` to skip the slow steps: the wasm determinism check (two release builds), the
/// component tests (a wasm build, in Chromium), the app build (trunk, release) and the e2e
/// tests (Playwright in Chromium). Setup then skips the tools
/// only those steps need.
pub const QUICK_ENV: &str = "SCALEPLAY_TEST_QUICK";

/// A step that is not a single command.
type Step = fn() -> Result<()>;

/// The steps [`QUICK_ENV`] skips, in the order they run (after the fast ones).
const SLOW_STEPS: [(&str, Step); 4] = [
    ("wasm determinism", wasm_check::run),
    ("components", component_tests),
    ("app build", cmd::trunk_build),
    ("e2e", || e2e::test_built_app(&[])),
];

/// The app's components in headless Chromium (`tests/components.rs`): built for wasm32 and
/// run by `wasm-bindgen-test-runner` (`.cargo/config.toml`) through chromedriver.
fn component_tests() -> Result<()> {
    let mut test = cmd::cargo([
        "test",
        "-p",
        "scaleplay",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        "components",
    ]);
    // The runner is installed with wasm-bindgen-cli, into cargo's bin directory.
    test.env(
        "PATH",
        cmd::path_with(&cmd::cargo_home_bin().into_iter().collect::<Vec<_>>())?,
    );
    cmd::run(&mut test)
}

/// Runs setup, then each step; the error names the step that failed.
pub fn run() -> Result<()> {
    let quick = std::env::var(QUICK_ENV).is_ok_and(|v| v == "1");
    let groups: &[&[setup::Tool]] = if quick {
        &[setup::BASE]
    } else {
        &[setup::BASE, setup::APP, setup::BROWSER]
    };
    // Quick runs skip the release and wasm builds: about half the footprint.
    let footprint = if quick {
        disk::FULL_TEST_BYTES / 2
    } else {
        disk::FULL_TEST_BYTES
    };
    disk::ensure_room_for(&target_dir(), footprint)
        .context("`cargo xtask test` cannot start: the disk is (nearly) full")?;
    setup::ensure(groups).context("`cargo xtask test` failed at step `setup`")?;

    let steps: [(&str, Command); 4] = [
        ("fmt", cmd::cargo(["fmt", "--all", "--", "--check"])),
        (
            "clippy",
            cmd::cargo([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        ("test", cmd::cargo(["test", "--workspace"])),
        (
            "wasm build",
            cmd::cargo([
                "build",
                "-p",
                "scaleplay-sim",
                "--target",
                "wasm32-unknown-unknown",
            ]),
        ),
    ];
    let mut passed = Vec::new();
    for (name, mut command) in steps {
        println!("xtask test: step `{name}`: {}", cmd::describe(&command));
        cmd::run(&mut command)
            .with_context(|| format!("`cargo xtask test` failed at step `{name}`"))?;
        passed.push(name);
    }

    if quick {
        for (name, _) in SLOW_STEPS {
            println!("xtask test: step `{name}`: skipped ({QUICK_ENV}=1)");
        }
    } else {
        for (name, step) in SLOW_STEPS {
            println!("xtask test: step `{name}`");
            step().with_context(|| format!("`cargo xtask test` failed at step `{name}`"))?;
            passed.push(name);
        }
    }

    println!(
        "xtask test: all {} steps passed ({}){}",
        passed.len(),
        passed.join(", "),
        if quick {
            let skipped: Vec<&str> = SLOW_STEPS.iter().map(|(name, _)| *name).collect();
            format!("; {} skipped ({QUICK_ENV}=1)", skipped.join(", "))
        } else {
            String::new()
        }
    );
    Ok(())
}
