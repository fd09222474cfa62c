//! `cargo xtask setup`: installs what the build and tests need, skipping what is already there.
//!
//! Each tool is a row in [`TOOLS`]: a quick presence/version check and an installer. The check
//! runs first, so a second `setup` costs a few `--version` calls. To add a tool (trunk,
//! wasm-bindgen-cli, binaryen, chromium, playwright), add a row with its pinned version check and
//! install command from TOOLCHAIN.md; nothing else changes.

use anyhow::{bail, Result};

use crate::cmd;

/// One thing `setup` makes sure is installed.
pub struct Tool {
    /// Name shown in the one-line status.
    pub name: &'static str,
    /// `Some(version or description)` when installed and usable, `None` when missing.
    pub check: fn() -> Option<String>,
    /// Installs the tool; `setup` runs `check` again afterwards to confirm.
    pub install: fn() -> Result<()>,
}

/// Everything `setup` manages, in install order.
pub const TOOLS: &[Tool] = &[
    Tool {
        name: "wasm32-unknown-unknown target",
        check: wasm_target_check,
        install: wasm_target_install,
    },
    Tool {
        name: "rustfmt",
        check: || cmd::first_line(&mut cmd::cargo(["fmt", "--version"])),
        install: || cmd::run(&mut cmd::new("rustup", ["component", "add", "rustfmt"])),
    },
    Tool {
        name: "clippy",
        check: || cmd::first_line(&mut cmd::cargo(["clippy", "--version"])),
        install: || cmd::run(&mut cmd::new("rustup", ["component", "add", "clippy"])),
    },
    Tool {
        name: "node",
        check: node_check,
        install: node_install,
    },
];

/// Checks every tool, installs the missing ones, and prints one line per tool.
pub fn run() -> Result<()> {
    for tool in TOOLS {
        if let Some(version) = (tool.check)() {
            println!("setup: {}: present ({version})", tool.name);
            continue;
        }
        println!("setup: {}: missing, installing...", tool.name);
        (tool.install)()?;
        match (tool.check)() {
            Some(version) => println!("setup: {}: installed ({version})", tool.name),
            None => bail!(
                "setup: {} still missing after installing it; install it by hand and rerun",
                tool.name
            ),
        }
    }
    Ok(())
}

const WASM_TARGET: &str = "wasm32-unknown-unknown";

fn wasm_target_check() -> Option<String> {
    let out = cmd::output(&mut cmd::new("rustup", ["target", "list", "--installed"])).ok()?;
    let listed = String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|line| line.trim() == WASM_TARGET);
    (out.status.success() && listed).then(|| "in `rustup target list --installed`".to_string())
}

fn wasm_target_install() -> Result<()> {
    cmd::run(&mut cmd::new("rustup", ["target", "add", WASM_TARGET]))
}

/// The wasm check's runner uses ES modules and top-level await: Node 18 or newer.
const NODE_MIN_MAJOR: u32 = 18;

fn node_check() -> Option<String> {
    let version = cmd::first_line(&mut cmd::new("node", ["--version"]))?;
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()?;
    (major >= NODE_MIN_MAJOR).then_some(version)
}

fn node_install() -> Result<()> {
    apt_install(&["nodejs", "npm"])
}

/// `apt-get update && apt-get install -y PACKAGES`, through `sudo` when not running as root.
fn apt_install(packages: &[&str]) -> Result<()> {
    let as_root = cmd::first_line(&mut cmd::new("id", ["-u"])).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        let mut command = if as_root {
            cmd::new("apt-get", args)
        } else {
            let mut sudo = cmd::new("sudo", ["apt-get"]);
            sudo.args(args);
            sudo
        };
        command.env("DEBIAN_FRONTEND", "noninteractive");
        cmd::run(&mut command)
    };
    apt(&["update"])?;
    let mut install = vec!["install", "-y"];
    install.extend_from_slice(packages);
    apt(&install)
}
