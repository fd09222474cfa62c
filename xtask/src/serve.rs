//! `cargo xtask serve`: runs Scaleplay locally.
//!
//! The web app lands with the app issue; until then this builds the CLI and runs the
//! single-server preset through it, so the command already shows the engine at work. The
//! `--port` flag is parsed now so scripts and docs don't change when the app arrives.

use anyhow::{bail, Context, Result};

use crate::{cmd, target_dir};

/// The port the app will be served on unless `--port` says otherwise.
pub const DEFAULT_PORT: u16 = 8080;

const PRESET: &str = "scenarios/01-single-server.json";

/// Parses `[--port N]` (also `--port=N`).
pub fn parse_port(args: &[String]) -> Result<u16> {
    let mut port = DEFAULT_PORT;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = if arg == "--port" {
            args.next()
                .context("`--port` needs a value, e.g. `--port 8080`")?
        } else if let Some(value) = arg.strip_prefix("--port=") {
            value
        } else {
            bail!("`serve` accepts only `--port N`, got `{arg}`");
        };
        port = value
            .parse()
            .with_context(|| format!("`--port {value}`: expected a port number 1-65535"))?;
        if port == 0 {
            bail!("`--port 0`: expected a port number 1-65535");
        }
    }
    Ok(port)
}

/// Builds the CLI in release and runs the single-server preset through it.
pub fn run(port: u16) -> Result<()> {
    println!(
        "xtask serve: the web app lands with the app issue (it will be served on \
         http://127.0.0.1:{port}); for now, running {PRESET} through the CLI."
    );
    cmd::run(&mut cmd::cargo([
        "build",
        "-p",
        "scaleplay-cli",
        "--release",
    ]))?;
    let cli = target_dir().join("release").join("scaleplay");
    cmd::run(&mut cmd::new(&cli, ["run", PRESET]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn port_defaults_and_parses_both_spellings() {
        assert_eq!(parse_port(&args(&[])).unwrap(), DEFAULT_PORT);
        assert_eq!(parse_port(&args(&["--port", "3000"])).unwrap(), 3000);
        assert_eq!(parse_port(&args(&["--port=9000"])).unwrap(), 9000);
    }

    #[test]
    fn port_rejects_bad_input() {
        assert!(parse_port(&args(&["--port"])).is_err());
        assert!(parse_port(&args(&["--port", "0"])).is_err());
        assert!(parse_port(&args(&["--port", "70000"])).is_err());
        assert!(parse_port(&args(&["--verbose"])).is_err());
    }
}
