//! `scaleplay reference`: what every key of a scenario file means, with each param's unit and
//! default, as Markdown (the text of `docs/scenario.md`), or one kind's part of it.

use std::process::ExitCode;

use anyhow::Result;
use scaleplay_sim::reference;
use scaleplay_sim::scenario::Kind;

/// Arguments of `scaleplay reference`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this kind's params, e.g. `server` or `load_balancer`.
    #[arg(value_name = "KIND")]
    pub kind: Option<String>,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<ExitCode> {
    let text = match &args.kind {
        None => reference::markdown(),
        Some(name) => match Kind::ALL.into_iter().find(|k| k.as_str() == name) {
            Some(kind) => reference::kind_markdown(kind),
            None => {
                let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                anyhow::bail!(
                    "no kind \"{}\": give one of {}",
                    name.escape_debug(),
                    kinds.join(", ")
                )
            }
        },
    };
    crate::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}
