//! `scaleplay presets`: list the ten built-in scenarios, or write them out as files to edit.

use std::io::Write;
use std::path::{Path, PathBuf};
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
    /// Replace preset files already in DIR (without it, nothing is written over).
    #[arg(long, requires = "out")]
    pub force: bool,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode> {
    match &args.out {
        Some(dir) => write_all(dir, args.force),
        None => list(),
    }
}

/// Writes every preset into `dir`. Every path is checked before the first file is written,
/// so a refusal leaves the directory as it was; files are created afresh (never written
/// through a symlink), and a file already there is kept unless `force` says to replace it.
fn write_all(dir: &Path, force: bool) -> Result<ExitCode> {
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!(
            "\"{}\" is a file, not a directory: give --out a directory (it is created if missing)",
            crate::input::shown_arg(&dir.display().to_string())
        );
    }
    std::fs::create_dir_all(dir).with_context(|| {
        format!(
            "cannot create the directory \"{}\"",
            crate::input::shown_arg(&dir.display().to_string())
        )
    })?;
    let mut taken = Vec::new();
    for p in presets::all() {
        let path = dir.join(p.file);
        // `symlink_metadata`: a link is judged as itself, not as what it points to.
        if let Ok(meta) = std::fs::symlink_metadata(&path) {
            if meta.is_dir() {
                anyhow::bail!(
                    "\"{}\" is a directory: move it, or give --out another directory \
                     (nothing was written)",
                    crate::input::shown_arg(&path.display().to_string())
                );
            }
            taken.push(p.file);
        }
    }
    if !taken.is_empty() && !force {
        anyhow::bail!(
            "\"{}\" already has {}: nothing was written; pass --force to replace {}, or give \
             --out another directory",
            crate::input::shown_arg(&dir.display().to_string()),
            taken.join(", "),
            if taken.len() == 1 { "it" } else { "them" }
        );
    }
    let mut out = String::new();
    for p in presets::all() {
        let path = dir.join(p.file);
        if taken.contains(&p.file) {
            // Replaced, not written through: a symlink goes, not the file it points to.
            std::fs::remove_file(&path).with_context(|| {
                format!(
                    "cannot replace \"{}\"",
                    crate::input::shown_arg(&path.display().to_string())
                )
            })?;
        }
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| f.write_all(p.json.as_bytes()))
            .with_context(|| {
                format!(
                    "cannot write \"{}\"",
                    crate::input::shown_arg(&path.display().to_string())
                )
            })?;
        out.push_str(&format!(
            "{}\n",
            crate::input::shown_arg(&path.display().to_string())
        ));
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
