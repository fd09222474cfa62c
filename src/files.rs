//! Reading scenario text that comes from outside the app: an imported file, the autosaved work,
//! or the JSON inside a share link. All three go through [`read_scenario`], so they share one set
//! of limits and messages that say where the text came from and what is wrong with it.
//!
//! Only the shape is checked here (the engine's `validate::parse`): a scenario that still has
//! problems (a server with no caller, say) opens fine and the validation list shows them, because
//! that is how work in progress is saved and shared.

use scaleplay_sim::params::limits::{MAX_EDGES, MAX_FAULTS, MAX_NODES};
use scaleplay_sim::validate::{self, MAX_SCENARIO_BYTES};
use scaleplay_sim::Scenario;

/// Where scenario text came from, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A share link (`#s=…`).
    Link,
    /// A file the user imported.
    File,
    /// The work autosaved in this browser.
    Saved,
}

impl Source {
    fn noun(self) -> &'static str {
        match self {
            Source::Link => "this link",
            Source::File => "this file",
            Source::Saved => "the saved work",
        }
    }
}

/// The scenario `text` holds, or why it cannot be opened.
pub fn read_scenario(text: &str, source: Source) -> Result<Scenario, String> {
    let what = source.noun();
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(too_big(what, text.len()));
    }
    let scenario = validate::parse(text).map_err(|e| {
        let hint = match source {
            Source::File => {
                ": choose a .json file exported from Scaleplay or written as in the docs"
            }
            Source::Link => ": ask for a new link",
            Source::Saved => "",
        };
        format!("{what} does not hold a Scaleplay scenario ({e}){hint}")
    })?;
    // The engine's limits, checked here too: a few KB of link can inflate to hundreds of
    // thousands of edges, each drawn on the canvas and kept in every undo step.
    for (count, limit, noun) in [
        (scenario.nodes.len(), MAX_NODES, "nodes"),
        (scenario.edges.len(), MAX_EDGES, "edges"),
        (scenario.faults.len(), MAX_FAULTS, "scheduled faults"),
    ] {
        if count > limit {
            return Err(format!(
                "{what} has {count} {noun}, more than the limit of {limit}"
            ));
        }
    }
    Ok(scenario)
}

fn too_big(what: &str, bytes: usize) -> String {
    format!(
        "{what} is {} KB, more than the limit of {} MB for a scenario",
        bytes / 1024,
        MAX_SCENARIO_BYTES / (1024 * 1024)
    )
}

/// The scenario "New scenario" opens: nothing on the canvas, the default settings.
pub fn blank_scenario() -> Scenario {
    scaleplay_sim::validate::parse(
        r#"{"version": 1, "name": "New scenario", "nodes": [], "edges": []}"#,
    )
    .expect("the blank scenario parses")
}

/// The scenario as an exported file: pretty-printed (readable and diffable) unless that would
/// be over the limit for reading it back, then compact, so that whatever opens also exports in
/// a form that opens again.
pub fn export_json(s: &Scenario) -> String {
    let pretty = s.to_json();
    if pretty.len() <= MAX_SCENARIO_BYTES {
        pretty
    } else {
        compact_json(s)
    }
}

/// The scenario as compact JSON, for share links and autosave, where size matters.
pub fn compact_json(s: &Scenario) -> String {
    // Serializing plain data with string keys cannot fail.
    serde_json::to_string(s).expect("scenario serializes")
}

/// The bytes of an imported file as text, or why they are not.
pub fn file_text(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.len() > MAX_SCENARIO_BYTES {
        return Err(too_big(Source::File.noun(), bytes.len()));
    }
    String::from_utf8(bytes).map_err(|_| {
        "this file is not text (not UTF-8): choose a .json file exported from Scaleplay".to_string()
    })
}

/// A file name for `s`: its name made safe for file systems, or `scenario`.
pub fn file_stem(s: &Scenario) -> String {
    let stem: String = s
        .name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let stem: String = stem.chars().take(60).collect();
    if stem.is_empty() {
        "scenario".to_string()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_scenario_is_empty_with_its_own_name() {
        let s = blank_scenario();
        assert!(s.nodes.is_empty() && s.edges.is_empty() && s.notes.is_empty());
        assert_eq!(s.name, "New scenario");
        assert_eq!(read_scenario(&s.to_json(), Source::File).unwrap(), s);
    }

    #[test]
    fn every_preset_reads_back_from_its_export() {
        for p in scaleplay_sim::presets::all() {
            let s = validate::parse(p.json).unwrap();
            assert_eq!(read_scenario(&s.to_json(), Source::File).unwrap(), s);
        }
    }

    #[test]
    fn bad_text_says_where_it_came_from_and_what_to_do() {
        let e = read_scenario("{", Source::File).unwrap_err();
        assert!(
            e.starts_with("this file does not hold a Scaleplay scenario"),
            "{e}"
        );
        assert!(e.contains("choose a .json file"), "{e}");
        let e = read_scenario(r#"{"version": 2}"#, Source::Link).unwrap_err();
        assert!(e.contains("unsupported version 2"), "{e}");
        let e = read_scenario(&" ".repeat(MAX_SCENARIO_BYTES + 1), Source::Saved).unwrap_err();
        assert!(e.contains("more than the limit of 4 MB"), "{e}");
        assert!(file_text(vec![0xff, 0xfe])
            .unwrap_err()
            .contains("not text"));
    }

    #[test]
    fn too_many_nodes_are_refused() {
        let nodes: Vec<String> = (0..=MAX_NODES)
            .map(|i| format!(r#"{{"id": "n{i}", "kind": "server"}}"#))
            .collect();
        let text = format!(r#"{{"version": 1, "nodes": [{}]}}"#, nodes.join(","));
        let e = read_scenario(&text, Source::File).unwrap_err();
        assert!(e.contains("1001 nodes"), "{e}");
    }

    #[test]
    fn too_many_edges_or_faults_are_refused_even_when_small() {
        // Well under the size limit, as an inflated link would be.
        let edges = vec![r#"{"from":"a","to":"b"}"#; MAX_EDGES + 1].join(",");
        let text = format!(r#"{{"version": 1, "edges": [{edges}]}}"#);
        assert!(text.len() < MAX_SCENARIO_BYTES);
        let e = read_scenario(&text, Source::Link).unwrap_err();
        assert_eq!(e, "this link has 10001 edges, more than the limit of 10000");
        let faults = vec![r#"{"at_s":1,"node":"a","action":"fail"}"#; MAX_FAULTS + 1].join(",");
        let text = format!(r#"{{"version": 1, "faults": [{faults}]}}"#);
        let e = read_scenario(&text, Source::File).unwrap_err();
        assert!(e.contains("10001 scheduled faults"), "{e}");
        // At the limits it opens (its problems are the validation list's business).
        let edges = vec![r#"{"from":"a","to":"b"}"#; MAX_EDGES].join(",");
        let text = format!(r#"{{"version": 1, "edges": [{edges}]}}"#);
        assert!(read_scenario(&text, Source::File).is_ok());
    }

    #[test]
    fn file_stems_are_safe() {
        let mut s = validate::parse(r#"{"version": 1}"#).unwrap();
        s.name = "03. Load balancer: <three> web/servers".into();
        assert_eq!(file_stem(&s), "03-load-balancer-three-web-servers");
        s.name = "../..".into();
        assert_eq!(file_stem(&s), "scenario");
    }
}
