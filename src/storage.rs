//! Autosave: the scenario being edited is written to the browser's local storage after every
//! change, so a reload (or a closed tab) loses nothing. Nothing leaves the browser.
//!
//! Saved text that cannot be read is moved aside to [`UNREADABLE_KEY`] rather than overwritten,
//! so whatever it held can still be recovered by hand from the browser's developer tools.

use scaleplay_sim::Scenario;

use crate::files::{read_scenario, Source};

/// Where the work is saved.
pub const KEY: &str = "scaleplay.autosave.v1";
/// Where saved text that could not be read is kept.
pub const UNREADABLE_KEY: &str = "scaleplay.autosave.unreadable";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The saved work: `Ok(None)` when there is none (or storage is off), an error message when the
/// saved text cannot be read (it is then moved aside; the caller says what opens instead).
pub fn load() -> Result<Option<Scenario>, String> {
    let Some(storage) = local_storage() else {
        return Ok(None);
    };
    let Ok(Some(text)) = storage.get_item(KEY) else {
        return Ok(None);
    };
    read_scenario(&text, Source::Saved)
        .map(Some)
        .map_err(|why| {
            // Moving it aside may fail (storage full); then it simply stays where it was until the
            // next save replaces it.
            let _ = storage.set_item(UNREADABLE_KEY, &text);
            format!(
                "{why}; the unreadable text is kept in local storage under \"{UNREADABLE_KEY}\"."
            )
        })
}

/// Saves `s`; an error says why the browser refused (storage off or full).
pub fn save(s: &Scenario) -> Result<(), String> {
    let storage = local_storage()
        .ok_or("this browser does not allow local storage, so work is not autosaved")?;
    storage
        .set_item(KEY, &crate::files::compact_json(s))
        .map_err(|_| {
            "autosave failed: the browser's local storage is full or disabled; export the scenario \
         as JSON to keep it"
                .to_string()
        })
}
