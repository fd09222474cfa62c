//! Reading a scenario file (or stdin) within the size limit, and turning it into a model with
//! the command-line overrides applied. Every failure names the file and says what to do.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use anyhow::{bail, Context, Result};
use scaleplay_sim::validate::MAX_SCENARIO_BYTES;
use scaleplay_sim::{LoadError, Model, Scenario};

/// The text of a scenario and where it came from.
#[derive(Debug)]
pub struct Source {
    /// How messages name it: the path, or `<stdin>`.
    pub label: String,
    /// The whole file.
    pub text: String,
}

/// Reads `path` (`-` for stdin), refusing anything larger than a scenario can be.
pub fn read(path: &Path) -> Result<Source> {
    let (label, bytes) = if path.as_os_str() == "-" {
        let label = "<stdin>".to_string();
        let bytes = read_limited(io::stdin().lock())
            .with_context(|| format!("cannot read the scenario from {label}"))?;
        (label, bytes)
    } else {
        // Shown lossily: a name that is not UTF-8 still opens, and is named as near as text
        // allows.
        let label = shown_arg(&path.display().to_string());
        let meta = match std::fs::metadata(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                bail!("no such file \"{label}\": check the path")
            }
            other => other.with_context(|| format!("cannot read \"{label}\""))?,
        };
        if meta.is_dir() {
            bail!("\"{label}\" is a directory: give the path of a scenario file (.json)");
        }
        let file = File::open(path).with_context(|| format!("cannot open \"{label}\""))?;
        let bytes = read_limited(file).with_context(|| format!("cannot read \"{label}\""))?;
        (label, bytes)
    };
    if bytes.len() > MAX_SCENARIO_BYTES {
        bail!(
            "{label} is larger than {MAX_SCENARIO_BYTES} bytes, the limit for a scenario: \
             it cannot be a scenario file"
        );
    }
    // A UTF-16 file (as some Windows editors save) starts with its byte-order mark.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        bail!("{label} is UTF-16 text: save it as UTF-8 (a scenario is a UTF-8 JSON text file)");
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => bail!(
            "{label} is not UTF-8 text (invalid byte at offset {}): a scenario is a JSON text file",
            e.utf8_error().valid_up_to()
        ),
    };
    if text.trim().is_empty() {
        bail!("{label} is empty: a scenario is a JSON object (see `scaleplay presets --out DIR`)");
    }
    Ok(Source { label, text })
}

/// Most characters of a path or an option's value that a message quotes.
const MOST_QUOTED: usize = 200;

/// A path or an option's value as a message quotes it: control characters and bidirectional
/// overrides escaped (a file name holding a newline or a terminal escape must not forge a
/// second message or reach the terminal as a command), and cut short past `MOST_QUOTED`
/// characters with an ellipsis.
pub fn shown_arg(text: &str) -> String {
    let cut: String = text.chars().take(MOST_QUOTED).collect();
    let more = if cut.len() < text.len() { "…" } else { "" };
    format!("{}{more}", scaleplay_sim::error::printable(&cut))
}

/// At most one byte more than the limit, so an endless stream cannot exhaust memory.
fn read_limited(reader: impl Read) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_SCENARIO_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Most problems `run` and `sweep` list: past these, the file is better fixed from the first
/// ones, and `validate` lists every one (997 problems were 102 KB of messages).
const MOST_LISTED: usize = 20;

/// Why a source is not a scenario, naming it: `x.json: 2 problems: ...`.
pub fn invalid(label: &str, e: &LoadError) -> anyhow::Error {
    match e {
        LoadError::Invalid(problems) if problems.len() > MOST_LISTED => {
            let listed: Vec<String> = problems[..MOST_LISTED]
                .iter()
                .map(|p| format!("  - {p}"))
                .collect();
            anyhow::anyhow!(
                "{label}: {} problems:\n{}\n  … and {} more: `scaleplay validate {label}` lists \
                 them all",
                problems.len(),
                listed.join("\n"),
                problems.len() - MOST_LISTED
            )
        }
        _ => anyhow::anyhow!("{label}: {e}"),
    }
}

/// Parses the source into its raw scenario (shape only).
pub fn parse(src: &Source) -> Result<Scenario> {
    scaleplay_sim::validate::parse(&src.text).map_err(|e| invalid(&src.label, &e))
}

/// Validates a (possibly edited) scenario into the model the engine runs.
pub fn validate(label: &str, s: &Scenario) -> Result<Model> {
    scaleplay_sim::validate(s).map_err(|e| invalid(label, &e))
}

/// Replaces the scenario's duration with `--duration`. Faults scheduled after the new end could
/// never happen, so they are dropped rather than rejected; returns the note that says so, to
/// print once the run is sure to go ahead (an error should be the only message).
pub fn set_duration(s: &mut Scenario, duration_s: f64) -> Result<Option<String>> {
    let shown = crate::table::value(duration_s);
    if !(duration_s.is_finite() && duration_s > 0.0) {
        bail!("--duration must be a finite number of seconds > 0, got {shown}");
    }
    let most = scaleplay_sim::params::limits::MAX_DURATION_S;
    if duration_s > most {
        bail!("--duration must be at most {most} seconds (30 days), got {shown}");
    }
    // In whole microseconds, as the clock keeps time: 10.0000001 s is still 10 s.
    let micros = |secs: f64| scaleplay_sim::SimTime::from_secs(secs).0;
    if micros(s.warmup_s) >= micros(duration_s) {
        let warmup = crate::table::value(s.warmup_s);
        let advice = if duration_s > s.warmup_s {
            // Longer, but not by a whole microsecond: "above 10" would not help.
            let least = crate::table::value((micros(s.warmup_s) + 1) as f64 / 1e6);
            format!("the clock counts whole microseconds: give a duration of at least {least}")
        } else {
            format!("give a duration above {warmup}")
        };
        bail!(
            "--duration {shown} is not longer than the scenario's warmup_s ({warmup} s), \
             which would leave nothing to measure: {advice}"
        );
    }
    let before = s.faults.len();
    s.faults.retain(|f| f.at_s <= duration_s);
    let dropped = before - s.faults.len();
    let was = s.duration_s;
    s.duration_s = duration_s;
    let mut notes = Vec::new();
    if dropped > 0 {
        notes.push(format!(
            "note: {} scheduled after {duration_s} s {} left out of this shorter run",
            crate::table::counted(dropped, "fault", "faults"),
            if dropped == 1 { "is" } else { "are" }
        ));
    }
    let follow = profiles_over_the_run(s);
    if !follow.is_empty() && duration_s != was {
        let (spans, takes) = if follow.len() == 1 {
            ("spans", "it now takes")
        } else {
            ("span", "they now take")
        };
        notes.push(format!(
            "note: {} {spans} the whole run, so {takes} {duration_s} s instead of {was} s \
             (a diurnal period_s or a spike_at_s set in the file stays put)",
            follow.join(" and ")
        ));
    }
    Ok((!notes.is_empty()).then(|| notes.join("\n")))
}

/// The clients whose arrival profile is laid over the run's length, so that a new duration
/// compresses or stretches it: `"the ramp of users"`. A ramp always is; a diurnal wave without its
/// own `period_s` and a spike without its own `spike_at_s` are.
fn profiles_over_the_run(s: &Scenario) -> Vec<String> {
    s.nodes
        .iter()
        .filter(|n| n.kind == "client")
        .filter_map(|n| {
            let profile = n.params.get("profile")?.as_str()?;
            let pinned = |key: &str| n.params.get(key).is_some_and(|v| !v.is_null());
            let spans = match profile {
                "ramp" => true,
                "diurnal" => !pinned("period_s"),
                "spike" => !pinned("spike_at_s"),
                _ => false,
            };
            spans.then(|| format!("the {profile} of {}", n.id))
        })
        .collect()
}

/// Reads, parses, applies `--duration` and validates: the path every running command takes.
pub fn load(path: &Path, duration_s: Option<f64>) -> Result<(String, Model)> {
    let src = read(path)?;
    let mut scenario = parse(&src)?;
    let note = match duration_s {
        Some(d) => set_duration(&mut scenario, d)?,
        None => None,
    };
    let model = validate(&src.label, &scenario).map_err(|e| match duration_s {
        // The file's own duration_s was replaced: a problem with it is the option's.
        Some(d) if e.to_string().contains("duration_s") => e.context(format!(
            "with --duration {} in place of the file's duration_s",
            crate::table::value(d)
        )),
        _ => e,
    })?;
    if let Some(note) = note {
        crate::note(&note);
    }
    Ok((src.label, model))
}
