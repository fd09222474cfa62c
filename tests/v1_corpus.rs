//! Format v1 is frozen: every file in `tests/corpus/v1` (the ten presets as they were when v1
//! shipped, plus hand-written files covering the breadth of the format) must keep opening, and
//! every share link in `tests/corpus/v1/links.txt` (made once with the `share::encode` of that
//! time) must keep decoding, in every future build.
//!
//! For each file this proves that:
//! - it opens through the app's import path (`files::file_text` + `files::read_scenario` with
//!   `Source::File`);
//! - exporting it (`files::export_json`) and importing the export gives the same scenario;
//! - it validates, except the work-in-progress files (`wip-*.json`), which must open anyway and
//!   have `validate` report what is unfinished;
//! - its frozen link decodes (`share::decode`, with or without `#`) to exactly the scenario of
//!   the file, and survives a fresh encode/decode.
//!
//! The corpus must be there: a missing or emptied directory, a file without a link or a link
//! without a file fails the test instead of passing vacuously. See `tests/corpus/README.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use scaleplay::files::{self, Source};
use scaleplay::share;
use scaleplay_sim::{validate, Scenario};

/// Files in the corpus when v1 was frozen. Files are only ever added, so the count only grows.
const FROZEN_FILES: usize = 19;

/// The presets as v1 shipped them (frozen copies: the presets in `scenarios/` may evolve).
const V1_PRESETS: [&str; 10] = [
    "01-single-server.json",
    "02-separate-tiers.json",
    "03-load-balancer.json",
    "04-replication.json",
    "05-cache-cdn.json",
    "06-stateless.json",
    "07-multi-dc.json",
    "08-queue-workers.json",
    "09-sharding.json",
    "10-millions.json",
];

/// What `validate` must say about each work-in-progress file (a substring of some problem).
const WIP_PROBLEMS: [(&str, &[&str]); 2] = [
    ("wip-server-without-caller.json", &["no path to a server"]),
    (
        "wip-half-drawn.json",
        &[
            "sum to 1",
            "workers must be",
            "unknown param \"colour\"",
            "unknown kind \"mainframe\"",
            "\"ghost\", which is not a node",
            "warmup_s must be",
        ],
    ),
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/v1")
}

/// Every `.json` file of the corpus, by file name, as text read like an imported file.
fn corpus_files() -> BTreeMap<String, String> {
    let dir = corpus_dir();
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the v1 corpus must exist at {}: {e}", dir.display()));
    let mut files = BTreeMap::new();
    for entry in entries {
        let path = entry.expect("a readable directory entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("corpus file names are UTF-8")
            .to_string();
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = files::file_text(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        files.insert(name, text);
    }
    assert!(
        files.len() >= FROZEN_FILES,
        "the v1 corpus at {} has {} .json files, fewer than the {FROZEN_FILES} it was frozen with: \
         corpus files must never be removed",
        dir.display(),
        files.len()
    );
    files
}

/// `links.txt`: file name → link, one `name.json s=1.…` per line.
fn corpus_links() -> BTreeMap<String, String> {
    let path = corpus_dir().join("links.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} must exist: {e}", path.display()));
    let mut links = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (name, link) = line
            .split_once(' ')
            .unwrap_or_else(|| panic!("links.txt line {}: expected `name.json s=1.…`", n + 1));
        assert!(
            link.starts_with("s=1."),
            "links.txt line {}: a v1 link starts with s=1.",
            n + 1
        );
        let previous = links.insert(name.to_string(), link.to_string());
        assert!(previous.is_none(), "links.txt names {name} twice");
    }
    links
}

fn open(name: &str, text: &str) -> Scenario {
    files::read_scenario(text, Source::File)
        .unwrap_or_else(|e| panic!("{name} must open as an imported file: {e}"))
}

fn is_wip(name: &str) -> bool {
    name.starts_with("wip-")
}

#[test]
fn every_file_opens_and_its_export_reads_back_identically() {
    for (name, text) in corpus_files() {
        let s = open(&name, &text);
        assert_eq!(s.version, 1, "{name}");
        let export = files::export_json(&s);
        let again = files::read_scenario(&export, Source::File)
            .unwrap_or_else(|e| panic!("{name}: its export must open: {e}\n{export}"));
        assert_eq!(again, s, "{name}: export → import changed the scenario");
        // Saved work and links read the same text the same way.
        assert_eq!(files::read_scenario(&text, Source::Saved).as_ref(), Ok(&s));
        assert_eq!(files::read_scenario(&text, Source::Link).as_ref(), Ok(&s));
    }
}

#[test]
fn every_finished_file_validates() {
    let mut finished = 0;
    for (name, text) in corpus_files() {
        if is_wip(&name) {
            continue;
        }
        let s = open(&name, &text);
        if let Err(e) = validate(&s) {
            panic!("{name} must validate, but: {e}");
        }
        finished += 1;
    }
    assert!(finished >= FROZEN_FILES - WIP_PROBLEMS.len(), "{finished}");
}

#[test]
fn work_in_progress_opens_but_validation_reports_the_problems() {
    let files = corpus_files();
    let wip: Vec<&String> = files.keys().filter(|n| is_wip(n)).collect();
    assert!(
        wip.len() >= WIP_PROBLEMS.len(),
        "the corpus lost work-in-progress files: {wip:?}"
    );
    for name in wip {
        let s = open(name, &files[name]);
        let problems = match validate(&s) {
            Ok(_) => panic!("{name} is work in progress: validate must report its problems"),
            Err(e) => e.problems(),
        };
        assert!(!problems.is_empty(), "{name}");
        for p in &problems {
            assert!(!p.message.trim().is_empty(), "{name}: an empty problem");
        }
        let expected = WIP_PROBLEMS
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, needles)| *needles)
            .unwrap_or_else(|| {
                panic!("{name}: say in WIP_PROBLEMS what validate must report about it")
            });
        for needle in expected {
            assert!(
                problems.iter().any(|p| p.message.contains(needle)),
                "{name}: expected a problem containing {needle:?}, got {problems:#?}"
            );
        }
    }
}

#[test]
fn every_frozen_link_decodes_to_its_file() {
    let files = corpus_files();
    let links = corpus_links();
    let missing: Vec<String> = files
        .iter()
        .filter(|(name, _)| !links.contains_key(*name))
        .map(|(name, text)| format!("{name} {}", share::encode(&open(name, text))))
        .collect();
    assert!(
        missing.is_empty(),
        "files without a link in links.txt; append these lines (and never change existing ones):\n{}",
        missing.join("\n")
    );
    for name in links.keys() {
        assert!(
            files.contains_key(name),
            "links.txt names {name}, which is not in the corpus"
        );
    }
    for (name, link) in &links {
        let want = open(name, &files[name]);
        for fragment in [link.clone(), format!("#{link}")] {
            match share::decode(&fragment) {
                Ok(Some(got)) => {
                    assert_eq!(got, want, "{name}: its link decodes to another scenario")
                }
                Ok(None) => panic!("{name}: its link is not recognised as a link"),
                Err(e) => panic!("{name}: its link no longer decodes: {e}"),
            }
        }
        // Today's encoder still makes links today's decoder reads back.
        assert_eq!(
            share::decode(&share::encode(&want)),
            Ok(Some(want)),
            "{name}"
        );
    }
}

#[test]
fn the_presets_of_v1_are_all_there() {
    let files = corpus_files();
    for name in V1_PRESETS {
        assert!(
            files.contains_key(name),
            "the v1 corpus has lost its copy of preset {name}"
        );
    }
}
