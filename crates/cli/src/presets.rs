//! `scaleplay presets`: list the ten built-in scenarios, or write them out as files to edit.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use scaleplay_sim::presets;

use crate::table::{Align, Table};

/// Arguments of `scaleplay presets`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the preset files into this directory (created if missing) instead of listing them.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode> {
    match &args.out {
        Some(dir) => write_all(dir),
        None => list(),
    }
}

fn write_all(dir: &std::path::Path) -> Result<ExitCode> {
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!(
            "\"{}\" is a file, not a directory: give --out a directory (it is created if missing)",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the directory \"{}\"", dir.display()))?;
    let mut out = String::new();
    for p in presets::all() {
        let path = dir.join(p.file);
        std::fs::write(&path, p.json)
            .with_context(|| format!("cannot write \"{}\"", path.display()))?;
        out.push_str(&format!("{}\n", path.display()));
    }
    crate::emit(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn list() -> Result<ExitCode> {
    let mut t = Table::new(&[("file", Align::Left), ("name", Align::Left)]);
    for p in presets::all() {
        t.row(vec![p.file.to_string(), name_of(p.json)]);
    }
    let mut out = t.render(0);
    out.push_str("\nwrite them to a directory with: scaleplay presets --out DIR\n");
    crate::emit(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// The preset's `"name"`, read from its JSON without validating the rest.
fn name_of(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_string))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "(unnamed)".to_string())
}
