//! `cargo xtask e2e`: the Playwright tests in `tests/e2e`, against the built app.
//!
//! xtask serves `dist/` itself on a thread (port [`PORT`], or a free one if that is taken) and
//! hands the address to Playwright in `BASE_URL`, so no second server process is left behind.
//! Playwright drives Debian's Chromium (`playwright.config.ts`), never a downloaded browser.

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::process::Stdio;

use anyhow::{bail, Context, Result};

use crate::serve::{self, Server};
use crate::{cmd, setup};

/// The port the tests expect by default (`playwright.config.ts` uses it when `BASE_URL` is unset).
pub const PORT: u16 = 8137;

/// `e2e`'s options.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `--no-build`: test the `dist/` that is already there.
    pub no_build: bool,
    /// Everything after `--`, passed to `playwright test` (a file name, `--grep TEXT`, ...).
    pub playwright_args: Vec<String>,
}

/// Parses `[--no-build] [-- PLAYWRIGHT_ARGS...]`.
pub fn parse_args(args: &[String]) -> Result<Options> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--no-build" => options.no_build = true,
            "--" => {
                options.playwright_args = args.cloned().collect();
                break;
            }
            other => bail!(
                "`e2e` accepts `--no-build` and `-- PLAYWRIGHT_ARGS`, got `{other}` \
                 (e.g. `cargo xtask e2e -- smoke.spec.ts`)"
            ),
        }
    }
    Ok(options)
}

/// `cargo xtask e2e`: setup, build (unless `--no-build`), serve, test.
pub fn run(options: &Options) -> Result<()> {
    setup::ensure(&[setup::BASE, setup::APP, setup::BROWSER])?;
    if !options.no_build {
        cmd::trunk_build()?;
    }
    test_built_app(&options.playwright_args)
}

/// Serves `dist/` and runs Playwright against it; the error says how many tests failed.
pub fn test_built_app(playwright_args: &[String]) -> Result<()> {
    serve::require_dist()?;
    let listener = match TcpListener::bind((Ipv4Addr::LOCALHOST, PORT)) {
        Ok(listener) => listener,
        Err(err) => {
            println!("e2e: port {PORT} is taken ({err}); using a free port instead");
            TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("cannot listen on 127.0.0.1")?
        }
    };
    let server = Server::on(listener, Path::new(serve::DIST), false)?;
    println!("e2e: serving {}/ on {}", serve::DIST, server.url());

    let node = setup::playwright_node()?;
    let mut playwright = cmd::new(&node, ["node_modules/@playwright/test/cli.js", "test"]);
    playwright
        .args(playwright_args)
        .current_dir(setup::E2E_DIR)
        .env("BASE_URL", server.url())
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    let description = format!("{} (in {})", cmd::describe(&playwright), setup::E2E_DIR);
    println!("e2e: {description}");
    let mut child = playwright
        .spawn()
        .with_context(|| format!("could not start `{description}`"))?;

    // Echo Playwright's output as it comes and keep its summary lines (`  3 passed (12.1s)`).
    let mut counts = Counts::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.context("reading Playwright's output")?;
            println!("{line}");
            counts.read(&line);
        }
    }
    let status = child
        .wait()
        .with_context(|| format!("waiting for `{description}`"))?;
    drop(server);

    println!("{}", counts.summary());
    if !status.success() {
        bail!("`{description}` failed ({status}): {}", counts.summary());
    }
    if counts.passed == 0 {
        bail!("Playwright ran no tests; a test step that checks nothing must not pass");
    }
    Ok(())
}

/// The totals from Playwright's closing summary.
#[derive(Debug, Default, PartialEq, Eq)]
struct Counts {
    passed: u32,
    failed: u32,
    flaky: u32,
    skipped: u32,
}

impl Counts {
    /// Takes a count from a summary line such as `  2 passed (3.4s)` or `  1 failed`.
    fn read(&mut self, line: &str) {
        let mut words = line.split_whitespace();
        let (Some(number), Some(kind)) = (words.next(), words.next()) else {
            return;
        };
        let Ok(number) = number.parse() else { return };
        // A summary line is the count, the kind, and at most a `(duration)`.
        if words.next().is_some_and(|rest| !rest.starts_with('(')) {
            return;
        }
        match kind {
            "passed" => self.passed = number,
            "failed" => self.failed = number,
            "flaky" => self.flaky = number,
            "skipped" => self.skipped = number,
            _ => {}
        }
    }

    fn summary(&self) -> String {
        let mut line = format!("e2e: {} passed, {} failed", self.passed, self.failed);
        if self.flaky > 0 {
            line.push_str(&format!(", {} flaky", self.flaky));
        }
        if self.skipped > 0 {
            line.push_str(&format!(", {} skipped", self.skipped));
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_parse() {
        assert_eq!(parse_args(&args(&[])).unwrap(), Options::default());
        let options =
            parse_args(&args(&["--no-build", "--", "smoke.spec.ts", "--grep", "x"])).unwrap();
        assert!(options.no_build);
        assert_eq!(
            options.playwright_args,
            args(&["smoke.spec.ts", "--grep", "x"])
        );
        assert!(parse_args(&args(&["smoke.spec.ts"])).is_err());
    }

    #[test]
    fn counts_come_from_summary_lines_only() {
        let mut counts = Counts::default();
        for line in [
            "Running 4 tests using 1 worker",
            "  ✓  1 smoke.spec.ts:3:1 › loads (1.2s)",
            "  1 failed",
            "    smoke.spec.ts:10:1 › preset",
            "  1 flaky",
            "  2 passed (10.3s)",
        ] {
            counts.read(line);
        }
        assert_eq!(
            counts,
            Counts {
                passed: 2,
                failed: 1,
                flaky: 1,
                skipped: 0
            }
        );
        assert_eq!(counts.summary(), "e2e: 2 passed, 1 failed, 1 flaky");
    }
}
