//! `cargo xtask test`: everything CI runs, in order, stopping at the first failure.

use std::process::Command;

use anyhow::{Context, Result};

use crate::{cmd, setup, wasm_check};

/// Set to `1` to skip the wasm determinism check (the slowest step: two release builds).
pub const QUICK_ENV: &str = "SCALEPLAY_TEST_QUICK";

/// Runs setup, then each step; the error names the step that failed.
pub fn run() -> Result<()> {
    setup::run().context("`cargo xtask test` failed at step `setup`")?;

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

    let quick = std::env::var(QUICK_ENV).is_ok_and(|v| v == "1");
    if quick {
        println!("xtask test: step `wasm determinism`: skipped ({QUICK_ENV}=1)");
    } else {
        println!("xtask test: step `wasm determinism`");
        wasm_check::run().context("`cargo xtask test` failed at step `wasm determinism`")?;
        passed.push("wasm determinism");
    }

    println!(
        "xtask test: all {} steps passed ({}){}",
        passed.len(),
        passed.join(", "),
        if quick {
            "; wasm determinism skipped"
        } else {
            ""
        }
    );
    Ok(())
}
