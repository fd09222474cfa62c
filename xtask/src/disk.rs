//! A check of free disk space before the long build, so that a full disk fails in a second with
//! a message that says what to do, instead of half an hour later as a compiler's "IO failure".
//!
//! A fresh `cargo xtask test` fills `target/` with several builds of the workspace (debug for
//! clippy and the tests, release for the CLI and the wasm check, wasm32 for the app and the
//! component tests). What is already in `target/` is reused, so the check asks for the rest.

use std::path::Path;

use anyhow::{bail, Result};

use crate::cmd;

/// What a fresh `cargo xtask test` leaves in `target/`, rounded up: 5.0 GB measured
/// (`du -sh target` after a whole run on an empty `target/`, 2026-12-04).
pub const FULL_TEST_BYTES: u64 = 6 * GIB;

/// Always keep this much free: incremental caches and test output grow even on a warm tree.
const HEADROOM_BYTES: u64 = GIB / 2;

const GIB: u64 = 1 << 30;

/// Fails when the disk holding `target` has less free space than a build of `full_bytes`
/// still needs: `full_bytes` minus what `target` already holds, and never less than the
/// headroom. Skips the check (with a note) where `df` cannot tell.
pub fn ensure_room_for(target: &Path, full_bytes: u64) -> Result<()> {
    let Some(free) = free_bytes(target) else {
        println!("xtask: could not read free disk space with `df`; not checking it");
        return Ok(());
    };
    let have = dir_bytes(target);
    let need = needed_bytes(full_bytes, have);
    if free < need {
        bail!(
            "only {} free on the disk that holds {}, and this build needs about {} more \
             ({} already built there of about {} in all): free some disk space (for example \
             `cargo clean` in other checkouts, or delete old clones) and run it again",
            human(free),
            target.display(),
            human(need),
            human(have),
            human(full_bytes)
        );
    }
    Ok(())
}

/// What is still to be written, given what is already there, and never less than the headroom.
fn needed_bytes(full: u64, already_built: u64) -> u64 {
    full.saturating_sub(already_built).max(HEADROOM_BYTES)
}

/// Free bytes on the file system holding `path` (or its nearest existing parent), from the
/// POSIX output of `df -Pk`: the fourth column of the second line, in KiB.
fn free_bytes(path: &Path) -> Option<u64> {
    let existing = path.ancestors().find(|p| p.exists())?;
    let existing = if existing.as_os_str().is_empty() {
        Path::new(".")
    } else {
        existing
    };
    let out = cmd::output(&mut cmd::new("df", ["-Pk".as_ref(), existing.as_os_str()])).ok()?;
    if !out.status.success() {
        return None;
    }
    parse_df_available_kib(&String::from_utf8_lossy(&out.stdout)).map(|kib| kib * 1024)
}

fn parse_df_available_kib(df: &str) -> Option<u64> {
    df.lines().nth(1)?.split_whitespace().nth(3)?.parse().ok()
}

/// Bytes in the files under `dir` (0 when it does not exist); links are not followed.
fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => dir_bytes(&entry.path()),
            Ok(kind) if kind.is_file() => entry.metadata().map_or(0, |m| m.len()),
            _ => 0,
        })
        .sum()
}

/// Bytes as people read them: "208 MB", "5.5 GB".
fn human(bytes: u64) -> String {
    const MB: u64 = 1 << 20;
    if bytes >= GIB {
        format!("{:.1} GB", bytes as f64 / GIB as f64)
    } else {
        format!("{} MB", bytes / MB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_available_column_of_posix_df() {
        let df = "Filesystem     1024-blocks     Used Available Capacity Mounted on\n\
                  /dev/vda        264091588 95123456    212992     100% /\n";
        assert_eq!(parse_df_available_kib(df), Some(212_992));
        assert_eq!(parse_df_available_kib("Filesystem\n"), None);
    }

    #[test]
    fn a_warm_target_needs_only_the_rest_and_always_the_headroom() {
        assert_eq!(needed_bytes(6 * GIB, 0), 6 * GIB);
        assert_eq!(needed_bytes(6 * GIB, 4 * GIB), 2 * GIB);
        assert_eq!(needed_bytes(6 * GIB, 9 * GIB), HEADROOM_BYTES);
    }

    #[test]
    fn sizes_read_as_megabytes_or_gigabytes() {
        assert_eq!(human(208 << 20), "208 MB");
        assert_eq!(human(11 * GIB / 2), "5.5 GB");
    }
}
