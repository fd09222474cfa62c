//! Autosave: the scenario being edited is written to the browser's local storage after every
//! change, so a reload (or a closed tab) loses nothing. Nothing leaves the browser.
//!
//! # One copy per tab
//!
//! Local storage is shared by every tab of the site. With a single key, two open tabs kept
//! overwriting each other's work, and a reload of one tab could show the other's scenario. So
//! each tab autosaves under a key of its own, `scaleplay.autosave.v1.<tab>`, and remembers
//! `<tab>` in its session storage, which the browser keeps per tab and across reloads:
//!
//! - a **reload** restores that tab's own work, whatever other tabs saved meanwhile;
//! - a **brand-new tab** (nothing in its session storage yet) opens the most recently saved work
//!   of any tab, as the single key did, then saves under a key of its own;
//! - work saved by earlier versions under [`KEY`] (`scaleplay.autosave.v1`) is still read: it
//!   counts as the oldest copy, so a new tab opens it when nothing newer was saved.
//!
//! When each copy was saved is kept in a small key beside it,
//! `scaleplay.autosave.when.<tab>` = `"<ms since 1970> <page load>"`, so finding the newest copy
//! (or the oldest, to drop) reads a few bytes per tab rather than whole scenarios.
//!
//! **Bounded**: every closed tab leaves its copy behind, so whenever a tab starts a copy of its
//! own, only the [`KEEP`] most recently saved copies stay (the old key counting as the oldest);
//! the rest are removed. A tab still open whose copy was dropped writes it again at its next
//! change (until then, a reload of it opens the newest work instead).
//!
//! **Duplicated tabs**: the browser gives a duplicated tab (and one reopened after closing) a
//! copy of the original's session storage, so the original's key. Opening the original's work
//! is right for it, but the two must not then go on overwriting one copy, and the original's
//! work must stay under its key. So a page load writes a copy only when it wrote it last
//! itself, or when the page load that did has ended in this very tab (a reload, or a closed tab
//! reopened: the ending page load leaves its name in the tab's session storage under
//! [`ENDED_KEY`]). A duplicate finds the original's page load still running, so it saves its
//! work under a key of its own from its first save. (Keeping the key for whichever tab saved
//! first let a duplicate overwrite the original's copy: the original, reloaded before it saved
//! again, opened the duplicate's work, and its own was gone. A crash leaves no name behind,
//! so the reload after one saves apart too, which loses nothing.)
//!
//! Saved text that cannot be read is moved aside to [`UNREADABLE_KEY`] rather than overwritten,
//! so whatever it held can still be recovered by hand from the browser's developer tools.

use std::cell::RefCell;

use scaleplay_sim::Scenario;

use crate::files::{read_scenario, Source};

/// Where earlier versions saved the work (all tabs in one); still read, never written.
pub const KEY: &str = "scaleplay.autosave.v1";
/// Where saved text that could not be read is kept.
pub const UNREADABLE_KEY: &str = "scaleplay.autosave.unreadable";
/// A tab's copy of its work: this prefix and the tab's name.
pub const COPY_PREFIX: &str = "scaleplay.autosave.v1.";
/// When a tab's copy was saved, and by which page load: this prefix and the tab's name.
pub const WHEN_PREFIX: &str = "scaleplay.autosave.when.";
/// In session storage (one per tab): the name of the tab's copy.
pub const TAB_KEY: &str = "scaleplay.autosave.tab";
/// In session storage: the page load that ended last in this tab (see "Duplicated tabs").
pub const ENDED_KEY: &str = "scaleplay.autosave.ended";
/// Copies kept: room for the tabs a person works in at once, while a browser's few megabytes
/// of local storage still hold that many large scenarios.
pub const KEEP: usize = 8;

/// A key-value store: the browser's local or session storage (a map in the native tests).
trait Store {
    fn get(&self, key: &str) -> Option<String>;
    /// Fails when the browser refuses (storage full or off).
    fn set(&self, key: &str, value: &str) -> Result<(), ()>;
    fn remove(&self, key: &str);
    fn keys(&self) -> Vec<String>;
}

impl Store for web_sys::Storage {
    fn get(&self, key: &str) -> Option<String> {
        self.get_item(key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) -> Result<(), ()> {
        self.set_item(key, value).map_err(|_| ())
    }

    fn remove(&self, key: &str) {
        // Failing leaves the key: it is tried again at the next prune.
        let _ = self.remove_item(key);
    }

    fn keys(&self) -> Vec<String> {
        let n = self.length().unwrap_or(0);
        (0..n).filter_map(|i| self.key(i).ok().flatten()).collect()
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// What this page load knows about its tab's copy.
#[derive(Debug, Default)]
struct Tab {
    /// The tab's name (its copy is [`COPY_PREFIX`] + name); `None` for a new tab until its
    /// first save.
    name: Option<String>,
    /// This page load, written into each `when` it saves.
    load: String,
    /// The copy's `when` as this page load found it, when the page load that wrote it ended in
    /// this tab: this one succeeds it, and may overwrite the copy while it is so.
    found: Option<String>,
    /// The text last written or restored: saving it again is skipped, so a reload (or a change
    /// undone) does not make this copy look like the most recent work.
    written: Option<String>,
}

thread_local! {
    static TAB: RefCell<Tab> = RefCell::new(Tab {
        load: random_name(),
        ..Tab::default()
    });
}

/// A fresh name of lowercase hex: the time, then random digits (two tabs opened in the same
/// millisecond still differ).
fn random_name() -> String {
    let random = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    format!("{:x}{random:08x}", js_sys::Date::now() as u64)
}

/// A tab name read back from session storage is used in key names only if it looks like one.
fn plausible(name: &str) -> bool {
    !name.is_empty() && name.len() <= 32 && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn copy_key(name: &str) -> String {
    format!("{COPY_PREFIX}{name}")
}

fn when_key(name: &str) -> String {
    format!("{WHEN_PREFIX}{name}")
}

/// The save time in a `when` value (0 when it has none: such a copy counts as the oldest).
fn saved_ms(when: &str) -> f64 {
    when.split(' ')
        .next()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0.0)
}

/// The page load in a `when` value.
fn load_of(when: &str) -> &str {
    when.split_once(' ').map_or("", |(_, load)| load)
}

/// Every tab copy in `local` but `except`'s, newest first, with when each was saved (a copy
/// without its `when` key, say after a crash between the two writes, counts as the oldest).
fn copies(local: &impl Store, except: Option<&str>) -> Vec<(f64, String)> {
    let mut names: Vec<String> = local
        .keys()
        .into_iter()
        .filter_map(|k| {
            k.strip_prefix(COPY_PREFIX)
                .or_else(|| k.strip_prefix(WHEN_PREFIX))
                .map(str::to_string)
        })
        .filter(|name| Some(name.as_str()) != except)
        .collect();
    names.sort();
    names.dedup();
    let mut copies: Vec<(f64, String)> = names
        .into_iter()
        .map(|name| {
            let ms = local.get(&when_key(&name)).map_or(0.0, |w| saved_ms(&w));
            (ms, name)
        })
        .collect();
    copies.sort_by(|a, b| b.0.total_cmp(&a.0));
    copies
}

/// The most recently saved work of any tab, else what an earlier version saved.
fn newest(local: &impl Store) -> Option<String> {
    copies(local, None)
        .iter()
        .find_map(|(_, name)| local.get(&copy_key(name)))
        .or_else(|| local.get(KEY))
}

/// Keeps `mine` and the `keep - 1` most recently saved other copies, the old single key
/// counting as the oldest; removes the rest.
fn prune(local: &impl Store, mine: &str, keep: usize) {
    let room = keep.saturating_sub(1);
    let others = copies(local, Some(mine));
    for (_, name) in others.iter().skip(room) {
        local.remove(&copy_key(name));
        local.remove(&when_key(name));
    }
    if others.len() >= room {
        local.remove(KEY);
    }
}

/// Reads the work this tab opens with (see the module's notes) into `tab`.
fn load_from(
    local: &impl Store,
    session: Option<&impl Store>,
    tab: &mut Tab,
) -> Result<Option<Scenario>, String> {
    tab.name = session
        .and_then(|s| s.get(TAB_KEY))
        .filter(|name| plausible(name));
    let ended = session.and_then(|s| s.get(ENDED_KEY));
    let own = tab.name.as_deref().and_then(|name| {
        let text = local.get(&copy_key(name))?;
        // Only the successor of the page load that wrote it may go on writing it: a duplicate
        // tab, whose original still runs, opens the work but saves it apart.
        tab.found = local
            .get(&when_key(name))
            .filter(|when| ended.as_deref() == Some(load_of(when)));
        Some(text)
    });
    let from_own = own.is_some();
    let Some(text) = own.or_else(|| newest(local)) else {
        return Ok(None);
    };
    match read_scenario(&text, Source::Saved) {
        Ok(s) => {
            if from_own {
                tab.written = Some(text);
            }
            Ok(Some(s))
        }
        Err(why) => {
            // Moving it aside may fail (storage full); then it simply stays where it was until
            // the tab that owns it saves again, or it is pruned.
            let _ = local.set(UNREADABLE_KEY, &text);
            Err(format!(
                "{why}; the unreadable text is kept in local storage under \"{UNREADABLE_KEY}\"."
            ))
        }
    }
}

/// Saves `json` as this tab's work at `now_ms`; `fresh` names a new copy when one is needed.
fn save_to(
    local: &impl Store,
    session: Option<&impl Store>,
    tab: &mut Tab,
    json: &str,
    (now_ms, fresh): (f64, impl FnOnce() -> String),
) -> Result<(), ()> {
    if tab.written.as_deref() == Some(json) {
        return Ok(());
    }
    let current = tab.name.as_deref().map(|name| local.get(&when_key(name)));
    // Whether this page load may write the tab's copy: there is none (a first save, or it was
    // pruned), or this page load wrote it last, or it is as the page load that ended in this
    // tab before this one left it (see "Duplicated tabs").
    let ours = match &current {
        None => false,
        Some(None) => true,
        Some(Some(when)) => load_of(when) == tab.load || Some(when) == tab.found.as_ref(),
    };
    let name = match (&tab.name, ours) {
        (Some(name), true) => name.clone(),
        _ => {
            let name = fresh();
            if let Some(s) = session {
                // Without it, a reload of this tab opens the newest work: most likely this.
                let _ = s.set(TAB_KEY, &name);
            }
            tab.name = Some(name.clone());
            tab.found = None;
            name
        }
    };
    let when = format!("{now_ms:.0} {}", tab.load);
    // The copy first, then its time: a failure in between leaves an old time, never a time on
    // an old copy.
    let write = || {
        local.set(&copy_key(&name), json)?;
        local.set(&when_key(&name), &when)
    };
    if write().is_err() {
        // Full: other tabs' copies go (before, one key held only the latest work anyway).
        prune(local, &name, 1);
        write()?;
    }
    if !ours || matches!(current, Some(None)) {
        // A new copy: drop the oldest beyond the cap.
        prune(local, &name, KEEP);
    }
    tab.written = Some(json.to_string());
    Ok(())
}

/// The saved work this tab opens with: `Ok(None)` when there is none (or storage is off), an
/// error message when the saved text cannot be read (it is then moved aside; the caller says
/// what opens instead).
pub fn load() -> Result<Option<Scenario>, String> {
    let Some(local) = local_storage() else {
        return Ok(None);
    };
    let session = session_storage();
    TAB.with_borrow_mut(|tab| load_from(&local, session.as_ref(), tab))
}

/// Leaves this page load's name in the tab's session storage as it ends, so that the next page
/// load of this tab (a reload) goes on writing its copy, and a duplicate of the tab does not.
pub fn mark_page_end() {
    if let Some(session) = session_storage() {
        TAB.with_borrow(|tab| {
            let _ = session.set(ENDED_KEY, &tab.load);
        });
    }
}

/// Takes back [`mark_page_end`] when the page was only put in the back-forward cache and is
/// shown again: it goes on, so it has not ended.
pub fn unmark_page_end() {
    if let Some(session) = session_storage() {
        TAB.with_borrow(|tab| {
            if Store::get(&session, ENDED_KEY).as_deref() == Some(tab.load.as_str()) {
                Store::remove(&session, ENDED_KEY);
            }
        });
    }
}

/// Local storage key of whether the plots are folded away (a layout choice, kept across
/// reloads and tabs: someone on a short screen folds them once).
pub const PLOTS_FOLDED_KEY: &str = "scaleplay.plots-folded";

/// Whether the plots were left folded away.
pub fn plots_folded() -> bool {
    local_storage()
        .and_then(|l| Store::get(&l, PLOTS_FOLDED_KEY))
        .as_deref()
        == Some("1")
}

/// Remembers whether the plots are folded away; storage off or full only forgets it.
pub fn set_plots_folded(folded: bool) {
    if let Some(local) = local_storage() {
        if folded {
            let _ = Store::set(&local, PLOTS_FOLDED_KEY, "1");
        } else {
            Store::remove(&local, PLOTS_FOLDED_KEY);
        }
    }
}

/// Saves `s` as this tab's work; an error says why the browser refused (storage off or full).
pub fn save(s: &Scenario) -> Result<(), String> {
    let local = local_storage()
        .ok_or("this browser does not allow local storage, so work is not autosaved")?;
    let session = session_storage();
    let json = crate::files::compact_json(s);
    let now = (js_sys::Date::now(), random_name);
    TAB.with_borrow_mut(|tab| save_to(&local, session.as_ref(), tab, &json, now))
        .map_err(|_| {
            "autosave failed: the browser's local storage is full or disabled; export the scenario \
         as JSON to keep it"
                .to_string()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A store in memory, holding at most `limit` bytes of values.
    struct Map {
        items: RefCell<BTreeMap<String, String>>,
        limit: usize,
    }

    impl Map {
        fn new() -> Map {
            Map::limited(usize::MAX)
        }

        fn limited(limit: usize) -> Map {
            Map {
                items: RefCell::default(),
                limit,
            }
        }
    }

    impl Store for Map {
        fn get(&self, key: &str) -> Option<String> {
            self.items.borrow().get(key).cloned()
        }

        fn set(&self, key: &str, value: &str) -> Result<(), ()> {
            let mut items = self.items.borrow_mut();
            let others: usize = items
                .iter()
                .filter(|(k, _)| *k != key)
                .map(|(_, v)| v.len())
                .sum();
            if others + value.len() > self.limit {
                return Err(());
            }
            items.insert(key.to_string(), value.to_string());
            Ok(())
        }

        fn remove(&self, key: &str) {
            self.items.borrow_mut().remove(key);
        }

        fn keys(&self) -> Vec<String> {
            self.items.borrow().keys().cloned().collect()
        }
    }

    /// A scenario's saved text, told apart by its name.
    fn work(name: &str) -> String {
        let mut s = crate::initial_scenario();
        s.name = name.to_string();
        crate::files::compact_json(&s)
    }

    /// One page load of a tab: its session storage and what the page knows.
    struct Page {
        session: Map,
        tab: Tab,
    }

    /// The browser: local storage, a clock and a name counter.
    struct Browser {
        local: Map,
        clock: f64,
        names: usize,
    }

    impl Browser {
        fn new(local: Map) -> Browser {
            Browser {
                local,
                clock: 1_000.0,
                names: 0,
            }
        }

        /// Opens a page with `session` (empty for a new tab); returns it and the name of the
        /// work it opened.
        fn open(&mut self, session: Map) -> (Page, Result<Option<String>, String>) {
            self.names += 1;
            let mut tab = Tab {
                load: format!("load{}", self.names),
                ..Tab::default()
            };
            let opened = load_from(&self.local, Some(&session), &mut tab);
            (Page { session, tab }, opened.map(|s| s.map(|s| s.name)))
        }

        /// Reloads `page` (the same session storage, a new page load): the page load ends,
        /// as `mark_page_end` leaves it, and the next one opens.
        fn reload(&mut self, page: Page) -> (Page, Result<Option<String>, String>) {
            page.session.set(ENDED_KEY, &page.tab.load).unwrap();
            self.open(page.session)
        }

        /// Reloads `page` after a crash: the page load left no name behind.
        fn reload_after_crash(&mut self, page: Page) -> (Page, Result<Option<String>, String>) {
            self.open(page.session)
        }

        /// Duplicates `page`'s tab: a copy of its session storage.
        fn duplicate(&mut self, page: &Page) -> (Page, Result<Option<String>, String>) {
            let session = Map::new();
            for k in page.session.keys() {
                session.set(&k, &page.session.get(&k).unwrap()).unwrap();
            }
            self.open(session)
        }

        fn save(&mut self, page: &mut Page, name: &str) -> Result<(), ()> {
            self.clock += 1_000.0;
            self.names += 1;
            let fresh = format!("tab{}", self.names);
            let json = work(name);
            save_to(
                &self.local,
                Some(&page.session),
                &mut page.tab,
                &json,
                (self.clock, move || fresh),
            )
        }

        fn copies(&self) -> usize {
            copies(&self.local, None).len()
        }
    }

    fn opened(name: &str) -> Result<Option<String>, String> {
        Ok(Some(name.to_string()))
    }

    #[test]
    fn each_tab_reloads_its_own_work_and_a_new_tab_opens_the_latest() {
        let mut b = Browser::new(Map::new());
        let (mut a, first) = b.open(Map::new());
        assert_eq!(first, Ok(None), "a first visit has no saved work");
        b.save(&mut a, "A1").unwrap();
        // A second tab opens the latest work, then goes its own way.
        let (mut c, got) = b.open(Map::new());
        assert_eq!(got, opened("A1"));
        b.save(&mut c, "C1").unwrap();
        b.save(&mut a, "A2").unwrap();
        b.save(&mut c, "C2").unwrap();
        assert_eq!(b.copies(), 2);
        // Each reload restores its own tab's work, not the other's (saved later).
        let (mut a, got) = b.reload(a);
        assert_eq!(got, opened("A2"));
        let (c, got) = b.reload(c);
        assert_eq!(got, opened("C2"));
        // Saving what was restored changes nothing: C stays the latest work.
        b.save(&mut a, "A2").unwrap();
        let (_, got) = b.open(Map::new());
        assert_eq!(got, opened("C2"));
        drop(c);
    }

    #[test]
    fn work_saved_under_the_old_key_opens_and_copies_are_capped() {
        let mut b = Browser::new(Map::new());
        b.local.set(KEY, &work("old")).unwrap();
        let (mut first, got) = b.open(Map::new());
        assert_eq!(got, opened("old"));
        b.save(&mut first, "first").unwrap();
        // A reload with this tab's copy gone (say, pruned) opens the newest work.
        b.local
            .remove(&copy_key(first.tab.name.as_deref().unwrap()));
        b.local
            .remove(&when_key(first.tab.name.as_deref().unwrap()));
        let (_, got) = b.reload(first);
        assert_eq!(got, opened("old"));
        // Many tabs, each saving once: only the newest KEEP copies stay, the old key goes.
        let mut pages = Vec::new();
        for i in 0..KEEP + 3 {
            let (mut p, _) = b.open(Map::new());
            b.save(&mut p, &format!("tab {i}")).unwrap();
            pages.push(p);
        }
        assert_eq!(b.copies(), KEEP);
        assert_eq!(b.local.get(KEY), None);
        assert_eq!(b.local.keys().len(), 2 * KEEP, "a copy and its time each");
        // The newest stay: the last tab reloads its own work, a new tab opens it too.
        let last = pages.pop().unwrap();
        let (_, got) = b.reload(last);
        assert_eq!(got, opened(&format!("tab {}", KEEP + 2)));
        // A tab whose copy was dropped writes it again at its next save.
        let mut oldest = pages.remove(0);
        b.save(&mut oldest, "back").unwrap();
        assert_eq!(b.copies(), KEEP);
        let (_, got) = b.reload(oldest);
        assert_eq!(got, opened("back"));
    }

    #[test]
    fn a_duplicated_tab_opens_the_original_work_then_saves_apart() {
        let mut b = Browser::new(Map::new());
        let (mut original, _) = b.open(Map::new());
        b.save(&mut original, "O1").unwrap();
        let (mut twin, got) = b.duplicate(&original);
        assert_eq!(got, opened("O1"));
        // The original saves first: the twin, finding the copy changed, moves to its own.
        b.save(&mut original, "O2").unwrap();
        b.save(&mut twin, "T1").unwrap();
        assert_ne!(twin.tab.name, original.tab.name);
        b.save(&mut original, "O3").unwrap();
        let (_, got) = b.reload(original);
        assert_eq!(got, opened("O3"));
        let (_, got) = b.reload(twin);
        assert_eq!(got, opened("T1"));

        // The other way round: the twin saves first, under a key of its own, because the
        // original still runs. It kept the original's key, so the original, reloaded before
        // it saved again, opened the twin's work, and its own was gone.
        let (mut original, _) = b.open(Map::new());
        b.save(&mut original, "P1").unwrap();
        let (mut twin, _) = b.duplicate(&original);
        b.save(&mut twin, "U1").unwrap();
        assert_ne!(twin.tab.name, original.tab.name);
        let (mut original, got) = b.reload(original);
        assert_eq!(got, opened("P1"));
        b.save(&mut original, "P2").unwrap();
        b.save(&mut twin, "U2").unwrap();
        let (_, got) = b.reload(original);
        assert_eq!(got, opened("P2"));
        let (_, got) = b.reload(twin);
        assert_eq!(got, opened("U2"));
    }

    #[test]
    fn a_reload_keeps_writing_its_copy_and_one_after_a_crash_saves_apart() {
        let mut b = Browser::new(Map::new());
        let (mut page, _) = b.open(Map::new());
        b.save(&mut page, "A1").unwrap();
        let key = page.tab.name.clone();
        // Reloads, each saving: the same copy throughout, no others piling up.
        for n in 2..5 {
            let (mut next, got) = b.reload(page);
            assert_eq!(got, opened(&format!("A{}", n - 1)));
            b.save(&mut next, &format!("A{n}")).unwrap();
            assert_eq!(next.tab.name, key);
            page = next;
        }
        assert_eq!(copies(&b.local, None).len(), 1);
        // A crash leaves no name: the next page load opens the work and saves it apart (it
        // cannot tell itself from a duplicate), losing nothing.
        let (mut next, got) = b.reload_after_crash(page);
        assert_eq!(got, opened("A4"));
        b.save(&mut next, "A5").unwrap();
        assert_ne!(next.tab.name, key);
        let (_, got) = b.reload(next);
        assert_eq!(got, opened("A5"));
    }

    #[test]
    fn unreadable_work_is_moved_aside_and_then_replaced() {
        let mut b = Browser::new(Map::new());
        let (mut page, _) = b.open(Map::new());
        b.save(&mut page, "mine").unwrap();
        let name = page.tab.name.clone().unwrap();
        b.local.set(&copy_key(&name), "{ cut short").unwrap();
        let (mut page, got) = b.reload(page);
        let why = got.unwrap_err();
        assert!(why.contains("the saved work does not hold a Scaleplay scenario"));
        assert!(why.contains(UNREADABLE_KEY));
        assert_eq!(b.local.get(UNREADABLE_KEY).as_deref(), Some("{ cut short"));
        // The fresh scenario the app opens instead is saved over it, under the same key.
        b.save(&mut page, "fresh").unwrap();
        assert_eq!(page.tab.name.as_deref(), Some(name.as_str()));
        let (_, got) = b.reload(page);
        assert_eq!(got, opened("fresh"));
    }

    #[test]
    fn a_full_storage_gives_up_other_tabs_copies_before_failing() {
        let size = work("x").len();
        let mut b = Browser::new(Map::limited(3 * size));
        let (mut a, _) = b.open(Map::new());
        b.save(&mut a, "a").unwrap();
        let (mut c, _) = b.open(Map::new());
        b.save(&mut c, "c").unwrap();
        let (mut d, _) = b.open(Map::new());
        // Three copies and their times do not fit: the others' go, this one's is kept.
        b.save(&mut d, "d").unwrap();
        assert_eq!(b.copies(), 1);
        let (_, got) = b.reload(d);
        assert_eq!(got, opened("d"));
        // Too big even alone: the save fails.
        let mut tiny = Browser::new(Map::limited(size / 2));
        let (mut p, _) = tiny.open(Map::new());
        assert_eq!(tiny.save(&mut p, "big"), Err(()));
    }

    #[test]
    fn when_values_read_back() {
        assert_eq!(saved_ms("1700000000000 abc"), 1.7e12);
        assert_eq!(load_of("1700000000000 abc"), "abc");
        assert_eq!(saved_ms("junk"), 0.0);
        assert_eq!(load_of("junk"), "");
        assert!(plausible("18c2f0a1b2c3d4e5"));
        assert!(!plausible("../x") && !plausible(""));
    }
}
