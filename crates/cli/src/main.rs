//! `scaleplay`: the headless runner of Scaleplay scenarios (PRODUCT.md §6). It shares the engine
//! crate with the app, so a scenario and seed give the same report here as in the browser.
//!
//! Exit codes: 0 success; 1 `validate` found problems; 2 a usage, file or scenario error.

mod budget;
mod input;
mod parallel;
mod presets;
mod reference;
mod replicate;
mod run;
mod sweep;
mod table;
mod validate;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Run, check and explore Scaleplay scenarios without the browser.
#[derive(Debug, Parser)]
#[command(name = "scaleplay", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Simulate a scenario and print its report.
    Run(run::Args),
    /// Check a scenario and list every problem in it.
    Validate(validate::Args),
    /// List the built-in presets, or write them to a directory.
    Presets(presets::Args),
    /// Run a scenario over a range of one param's values, against its SLO.
    Sweep(sweep::Args),
    /// Explain the scenario file: every key, and each kind's params with units and defaults.
    Reference(reference::Args),
}

fn main() -> ExitCode {
    // A bug in the engine must still end in one readable line, not a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        note(&format!(
            "error: internal error in scaleplay{place}: {what}; please report it with the scenario file"
        ));
    }));
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Presets(args) => presets::run(&args),
        Command::Sweep(args) => sweep::run(&args),
        Command::Reference(args) => reference::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            note(&format!("error: {e:#}"));
            ExitCode::from(2)
        }
    }
}

/// Writes a command's output to stdout. A closed pipe (`scaleplay run x | head`) is not an
/// error: the reader has all it wanted.
pub(crate) fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::new(e).context("cannot write the output"))
        }
        _ => Ok(()),
    }
}

/// A `--seed`: clap's own words for `-1` were "invalid digit found in string".
pub(crate) fn parse_seed(text: &str) -> Result<u64, String> {
    text.trim()
        .parse::<u64>()
        .map_err(|_| "a seed is a whole number from 0 to 18446744073709551615".to_string())
}

/// A whole number from `lo` to `hi` for a flag: clap's own words for `-1`, `x` or `1.5` were
/// "invalid digit found in string", which named neither the rule nor what to give.
fn whole_in(text: &str, lo: u64, hi: u64, what: &str) -> Result<u64, String> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|n| (lo..=hi).contains(n))
        .ok_or_else(|| format!("give {what}: a whole number from {lo} to {hi}"))
}

/// A number for a flag (`--from`, `--to`, `--duration`): clap said "invalid float literal".
/// Its range is the command's to check, with the flag's own rule.
pub(crate) fn parse_number(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| "give a number, such as 20 or 0.5".to_string())
}

/// A `--replications`.
pub(crate) fn parse_replications(text: &str) -> Result<u64, String> {
    whole_in(text, 1, 1000, "how many runs")
}

/// A `--jobs`.
pub(crate) fn parse_jobs(text: &str) -> Result<u64, String> {
    whole_in(text, 1, 256, "how many runs at once")
}

/// A `--steps`.
pub(crate) fn parse_steps(text: &str) -> Result<u64, String> {
    whole_in(text, 1, 1000, "how many values")
}

/// Writes one line to stderr, ignoring failure (there is nowhere left to report it).
pub(crate) fn note(line: &str) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}
