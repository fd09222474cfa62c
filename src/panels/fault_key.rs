//! The key to the plots' vertical lines: what red, green and blue mean, which node failed or
//! recovered at each time, and when a replica took a failed primary's writes or gave them
//! back. The lines alone do not say which node they are about, and with a handful of
//! scheduled and random faults a plot has several.

use leptos::prelude::*;
use scaleplay_sim::engine::{FailoverRecord, FaultRecord};
use scaleplay_sim::scenario::FaultAction;
use scaleplay_sim::Scenario;

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::panels::hidpi::Scale;
use crate::runner::Run;

/// Faults listed by name; the rest are counted ("and 12 more"), so a run with random failures
/// every few seconds does not push the plots out of view.
const LISTED: usize = 8;

/// One fault of node `name` as the key lists it: `"60 s box failed"`, `"75.5 s web instance 2
/// recovered (random)"`. Scheduled faults are what the user wrote, so only other sources are
/// named.
pub fn fault_text(f: &FaultRecord, name: &str) -> String {
    let what = match f.action {
        FaultAction::Fail => "failed",
        // The engine's autoscaler put a new machine in a crashed one's slot.
        FaultAction::Recover if f.source == "autoscaler" => "replaced",
        FaultAction::Recover => "recovered",
    };
    let instance = f
        .instance
        .map_or_else(String::new, |i| format!(" instance {i}"));
    let source = match f.source.as_str() {
        "scheduled" => String::new(),
        other => format!(" ({other})"),
    };
    format!("{} s {name}{instance} {what}{source}", seconds(f.t_s))
}

/// A time as few digits as it needs, to the hundredth: `60`, `75.5`, `0.25`.
pub fn seconds(t: f64) -> String {
    let text = format!("{t:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The key's lines listed by name, in time order, and how many are left out, counting the
/// `unlisted` ones the report itself only counts (`run.faults_unlisted`). What the scenario
/// scheduled and the user did by hand come first, and random faults fill the room left: a run
/// with random failures every few seconds hid the outage its notes were about.
pub fn listed(entries: &[Entry], unlisted: u64) -> (Vec<&Entry>, u64) {
    let planned = entries.iter().filter(|e| !e.random).count();
    let room_for_random = LISTED.saturating_sub(planned);
    let mut randoms = 0;
    let shown: Vec<&Entry> = entries
        .iter()
        .filter(|e| {
            randoms += usize::from(e.random);
            !e.random || randoms <= room_for_random
        })
        .take(LISTED)
        .collect();
    let more = (entries.len() - shown.len()) as u64 + unlisted;
    (shown, more)
}

/// The lines of `entries` that `shown` left out, one per line, for the hover text of "and 12
/// more" (at most [`HOVER_LINES`] of them).
pub fn left_out(entries: &[Entry], shown: &[&Entry]) -> String {
    entries
        .iter()
        .filter(|e| !shown.iter().any(|s| std::ptr::eq(*s, *e)))
        .take(HOVER_LINES)
        .map(|e| e.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Most left-out lines the hover text of "and 12 more" lists.
const HOVER_LINES: usize = 40;

/// One line of the key: a fault, or a data center's scheduled fault, which the report logs
/// node by node ("80 s lb failed · 80 s web1 failed · … and 4 more" hid the other faults), or
/// a failover.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub t_s: f64,
    pub text: String,
    pub mark: Mark,
    /// A random fault (`mtbf_s`), which gives way to the others when the key is short of room.
    pub random: bool,
}

/// What a line of the plots marks, by its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Red: a node failed.
    Fail,
    /// Green: it recovered.
    Recover,
    /// Blue: a replica took a failed primary's writes, or gave them back.
    Failover,
}

impl Mark {
    fn of(action: FaultAction) -> Mark {
        match action {
            FaultAction::Fail => Mark::Fail,
            FaultAction::Recover => Mark::Recover,
        }
    }

    /// The page's class for its text, coloured like its line.
    fn class(self) -> &'static str {
        match self {
            Mark::Fail => "fault-fail",
            Mark::Recover => "fault-recover",
            Mark::Failover => "fault-failover",
        }
    }

    /// Its line's colour, as `draw_faults` draws it (plotters' `RED`, `GREEN` and `BLUE`).
    fn plot_colour(self) -> &'static str {
        match self {
            Mark::Fail => "rgb(255,0,0)",
            Mark::Recover => "rgb(0,255,0)",
            Mark::Failover => "rgb(0,0,255)",
        }
    }
}

/// What a blue line means, in the page's key and under a saved plot.
const BLUE_SAID: &str =
    "blue, a replica took a failed primary's writes, or the primary took them back";

/// What the colours mean, as the key's first line says it; blue only when `failovers` are
/// marked.
pub fn colours_said(failovers: bool) -> String {
    let blue = if failovers {
        format!("; {BLUE_SAID}")
    } else {
        String::new()
    };
    format!("Vertical lines: red, a node failed; green, it recovered{blue}.")
}

/// The key's lines: each record of a node in a data center whose scheduled fault (in `s`, the
/// scenario the run started with) happened then is folded into one line for the data center.
/// Nodes go by the names the canvas shows them with (the report has their ids).
pub fn entries(
    faults: &[FaultRecord],
    failovers: &[FailoverRecord],
    s: Option<&Scenario>,
) -> Vec<Entry> {
    let dc_of = |node: &str| s.and_then(|s| s.node(node)).map(|n| n.dc.as_str());
    let name_of = |node: &'_ str| -> String {
        s.and_then(|s| s.node(node))
            .map_or(node, |n| n.shown_name())
            .to_string()
    };
    // The scheduled data-center faults: (time, data center, action).
    let dc_faults: Vec<(f64, &str, FaultAction)> = s.map_or_else(Vec::new, |s| {
        s.faults
            .iter()
            .filter(|f| f.node.is_none())
            .filter_map(|f| Some((f.at_s, f.dc.as_deref()?, f.action)))
            .collect()
    });
    let mut out: Vec<Entry> = Vec::new();
    let mut folded: Vec<(f64, &str, FaultAction)> = Vec::new();
    for f in faults {
        let of_a_dc = (f.source == "scheduled")
            .then(|| {
                dc_faults.iter().copied().find(|&(at, dc, action)| {
                    action == f.action && (at - f.t_s).abs() < 1e-6 && dc_of(&f.node) == Some(dc)
                })
            })
            .flatten();
        match of_a_dc {
            Some(key) if folded.contains(&key) => {}
            Some(key) => {
                folded.push(key);
                let what = match f.action {
                    FaultAction::Fail => "failed",
                    FaultAction::Recover => "recovered",
                };
                out.push(Entry {
                    t_s: f.t_s,
                    text: format!("{} s data center {} {what}", seconds(f.t_s), key.1),
                    mark: Mark::of(f.action),
                    random: false,
                });
            }
            None => out.push(Entry {
                t_s: f.t_s,
                text: fault_text(f, &name_of(&f.node)),
                mark: Mark::of(f.action),
                // A replacement follows a random crash: listed with them.
                random: f.source == "random" || f.source == "autoscaler",
            }),
        }
    }
    for f in failovers {
        let what = f.what_happened(&name_of(&f.primary), &name_of(&f.replica));
        out.push(Entry {
            t_s: f.t_s,
            text: format!("{} s {what}", seconds(f.t_s)),
            mark: Mark::Failover,
            // Listed in full when random faults caused it, as what ends an outage of writes.
            random: false,
        });
    }
    // In time order, each failover after the faults of its instant (a stable sort).
    out.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
    out
}

/// What the key marks: the report's faults and failovers, and how many of both it only counts.
#[derive(Clone, Debug, Default, PartialEq)]
struct Marked {
    faults: Vec<FaultRecord>,
    failovers: Vec<FailoverRecord>,
    unlisted: u64,
}

/// Under the plots, when the run has faults: the colours, then the faults themselves, each
/// coloured like its line.
#[component]
pub fn FaultKey() -> impl IntoView {
    let run = expect_context::<Run>();
    // The report changes many times a second during a run; its faults rarely do.
    let faults = Memo::new(move |_| {
        run.report.with(|r| {
            r.as_ref()
                .map(|r| Marked {
                    faults: r.faults.clone(),
                    failovers: r.failovers.clone(),
                    unlisted: r.run.faults_unlisted + r.run.failovers_unlisted,
                })
                .unwrap_or_default()
        })
    });
    let lines = Memo::new(move |_| {
        faults.with(|m| {
            run.ran
                .with(|ran| entries(&m.faults, &m.failovers, ran.as_ref()))
        })
    });
    move || {
        faults.with(|m| {
            if m.faults.is_empty() && m.failovers.is_empty() {
                return None;
            }
            let lines = lines.get();
            let (shown, more) = listed(&lines, m.unlisted);
            let hover = left_out(&lines, &shown);
            let items = shown
                .into_iter()
                .map(|e| view! { <li class=e.mark.class()>{e.text.clone()}</li> })
                .collect_view();
            let rest = (more > 0)
                .then(|| view! { <li class="fault-more" data-testid="fault-more" title=hover>{format!("and {more} more")}</li> });
            let blue = (!m.failovers.is_empty()).then(|| {
                view! {
                    "; "
                    <span class="fault-failover">{BLUE_SAID}</span>
                }
            });
            Some(view! {
                <div class="fault-key" data-testid="fault-key"
                    data-faults=m.faults.len() as u64 + m.unlisted
                    data-failovers=m.failovers.len()>
                    <span class="fault-key-title">"Vertical lines: "</span>
                    <span class="fault-fail">"red, a node failed"</span>
                    ", "
                    <span class="fault-recover">"green, it recovered"</span>
                    {blue}
                    "."
                    <ul class="fault-key-list">{items}{rest}</ul>
                </div>
            })
        })
    }
}

/// The plot `plot` with the key written under it, for a saved PNG: the page's key is not in
/// the image, and a plot's red and green lines alone do not say what failed. `lines` are the
/// key's lines as listed, `more` how many are left out; `scale` is the plot's pixels per CSS
/// pixel. None when the browser refuses a canvas (the plot is then saved as it is).
pub fn under_plot(
    plot: &HtmlCanvasElement,
    lines: &[&Entry],
    more: u64,
    scale: Scale,
) -> Option<HtmlCanvasElement> {
    let document = web_sys::window()?.document()?;
    let keyed: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    let line_h = f64::from(scale.px(KEY_LINE_PX));
    let pad = f64::from(scale.px(KEY_PAD_PX));
    let rows = 1 + lines.len() + usize::from(more > 0);
    let width = plot.width();
    keyed.set_width(width);
    keyed.set_height(plot.height() + (2.0 * pad + rows as f64 * line_h).ceil() as u32);
    let ctx: CanvasRenderingContext2d = keyed.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, f64::from(width), f64::from(keyed.height()));
    ctx.draw_image_with_html_canvas_element(plot, 0.0, 0.0)
        .ok()?;
    ctx.set_font(&format!("{}px sans-serif", scale.font(12.0)));
    ctx.set_text_baseline("middle");
    let room = f64::from(width) - 2.0 * pad;
    let mut y = f64::from(plot.height()) + pad + line_h / 2.0;
    ctx.set_fill_style_str(KEY_TEXT);
    let failovers = lines.iter().any(|e| e.mark == Mark::Failover);
    write_fitted(&ctx, &colours_said(failovers), pad, y, room);
    // Each fault behind a short stroke of its line's colour, as in the page's key.
    let swatch = line_h;
    for e in lines {
        y += line_h;
        ctx.set_fill_style_str(e.mark.plot_colour());
        ctx.fill_rect(pad, y - scale.font(1.0), swatch, scale.font(2.0));
        ctx.set_fill_style_str(KEY_TEXT);
        let x = pad + swatch + scale.font(6.0);
        write_fitted(&ctx, &e.text, x, y, room - (x - pad));
    }
    if more > 0 {
        y += line_h;
        write_fitted(&ctx, &format!("and {more} more"), pad, y, room);
    }
    Some(keyed)
}

/// A line of the key under a saved plot, in CSS pixels.
const KEY_LINE_PX: u32 = 18;
/// The margin around the key under a saved plot, in CSS pixels.
const KEY_PAD_PX: u32 = 8;
/// The key's text colour under a saved plot.
const KEY_TEXT: &str = "#333333";

/// Writes `text` at (x, y), cut short with "…" when it is wider than `room` (a long node name
/// ran off the image).
fn write_fitted(ctx: &CanvasRenderingContext2d, text: &str, x: f64, y: f64, room: f64) {
    let width = |t: &str| ctx.measure_text(t).map_or(0.0, |m| m.width());
    let mut shown = text.to_string();
    if width(&shown) > room {
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() && width(&format!("{}…", chars.iter().collect::<String>())) > room
        {
            chars.pop();
        }
        shown = format!("{}…", chars.iter().collect::<String>());
    }
    let _ = ctx.fill_text(&shown, x, y);
}

#[cfg(test)]
mod tests {
    use super::*;
    use scaleplay_sim::engine::FailoverAction;

    fn fault(
        t_s: f64,
        node: &str,
        action: FaultAction,
        instance: Option<u32>,
        source: &str,
    ) -> FaultRecord {
        FaultRecord {
            t_s,
            node: node.into(),
            action,
            instance,
            source: source.into(),
        }
    }

    #[test]
    fn a_fault_reads_as_time_node_and_what_happened() {
        let f = fault(60.0, "box", FaultAction::Fail, None, "scheduled");
        assert_eq!(fault_text(&f, "box"), "60 s box failed");
        let f = fault(75.5, "web", FaultAction::Recover, Some(2), "random");
        assert_eq!(
            fault_text(&f, "Web tier"),
            "75.5 s Web tier instance 2 recovered (random)"
        );
        let f = fault(0.25, "db", FaultAction::Fail, None, "manual");
        assert_eq!(fault_text(&f, "db"), "0.25 s db failed (manual)");
        let f = fault(31.0, "web", FaultAction::Recover, Some(1), "autoscaler");
        assert_eq!(
            fault_text(&f, "Web tier"),
            "31 s Web tier instance 1 replaced (autoscaler)"
        );
    }

    #[test]
    fn a_data_centers_scheduled_fault_is_one_line() {
        let s = scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [
                {"id": "lb", "kind": "load_balancer", "dc": "eu"},
                {"id": "web", "kind": "server", "dc": "eu"},
                {"id": "db", "kind": "server", "dc": "us", "name": "Orders DB"}],
              "faults": [{"dc": "eu", "at_s": 80, "action": "fail"},
                         {"dc": "eu", "at_s": 90, "action": "recover"}]}"#,
        )
        .unwrap();
        let records = [
            fault(12.0, "web", FaultAction::Fail, Some(1), "random"),
            fault(80.0, "lb", FaultAction::Fail, None, "scheduled"),
            fault(80.0, "web", FaultAction::Fail, None, "scheduled"),
            fault(85.0, "db", FaultAction::Fail, None, "manual"),
            fault(90.0, "lb", FaultAction::Recover, None, "scheduled"),
            fault(90.0, "web", FaultAction::Recover, None, "scheduled"),
        ];
        let texts: Vec<String> = entries(&records, &[], Some(&s))
            .into_iter()
            .map(|e| e.text)
            .collect();
        assert_eq!(
            texts,
            [
                "12 s web instance 1 failed (random)",
                "80 s data center eu failed",
                "85 s Orders DB failed (manual)",
                "90 s data center eu recovered",
            ]
        );
        // Without the scenario, node by node, by id.
        let by_id = entries(&records, &[], None);
        assert_eq!(by_id.len(), records.len());
        assert_eq!(by_id[3].text, "85 s db failed (manual)");
    }

    #[test]
    fn failovers_are_listed_in_time_among_the_faults() {
        let s = scaleplay_sim::validate::parse(
            r#"{"version": 1, "nodes": [
                {"id": "db", "kind": "sql_primary", "name": "Orders DB"},
                {"id": "r1", "kind": "sql_replica"}]}"#,
        )
        .unwrap();
        let failover = |t_s: f64, action: FailoverAction| FailoverRecord {
            t_s,
            primary: "db".into(),
            replica: "r1".into(),
            action,
        };
        let records = [
            fault(60.0, "db", FaultAction::Fail, None, "scheduled"),
            fault(100.0, "db", FaultAction::Recover, None, "scheduled"),
        ];
        let failovers = [
            failover(70.0, FailoverAction::Promoted),
            failover(110.0, FailoverAction::FailedBack),
        ];
        let lines = entries(&records, &failovers, Some(&s));
        let listed: Vec<(&str, Mark)> = lines.iter().map(|e| (e.text.as_str(), e.mark)).collect();
        assert_eq!(
            listed,
            [
                ("60 s Orders DB failed", Mark::Fail),
                (
                    "70 s r1 promoted: it takes Orders DB's writes",
                    Mark::Failover
                ),
                ("100 s Orders DB recovered", Mark::Recover),
                (
                    "110 s Orders DB takes its writes back from r1",
                    Mark::Failover
                ),
            ]
        );
        assert!(colours_said(true).contains("blue"));
        assert!(!colours_said(false).contains("blue"));
    }

    #[test]
    fn many_faults_are_listed_up_to_a_limit_and_counted_past_it() {
        let entry = |k: u32, random: bool| Entry {
            t_s: f64::from(k),
            text: format!("{k} s web failed"),
            mark: Mark::Fail,
            random,
        };
        let faults: Vec<Entry> = (0..20).map(|k| entry(k, true)).collect();
        let (shown, more) = listed(&faults, 0);
        assert_eq!(shown.len(), LISTED);
        assert_eq!(more, 20 - LISTED as u64);
        // Those past the report's own limit are counted too.
        assert_eq!(listed(&faults, 1000).1, 1000 + 20 - LISTED as u64);
        assert_eq!(
            shown[0].text, "0 s web failed",
            "in time order, first first"
        );
        let hover = left_out(&faults, &shown);
        assert_eq!(hover.lines().count(), 20 - LISTED);
        assert!(
            hover.starts_with(&format!("{LISTED} s web failed")),
            "{hover}"
        );
        let (shown, more) = listed(&faults[..3], 0);
        assert_eq!((shown.len(), more), (3, 0));
        // A scheduled fault late in a run of random ones is listed, in its place in time.
        let mut mixed: Vec<Entry> = (0..20).map(|k| entry(k, true)).collect();
        mixed.push(entry(90, false));
        mixed.push(entry(100, false));
        let (shown, more) = listed(&mixed, 0);
        assert_eq!((shown.len(), more), (LISTED, 22 - LISTED as u64));
        let texts: Vec<&str> = shown.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts[LISTED - 2..], ["90 s web failed", "100 s web failed"]);
        assert_eq!(texts[0], "0 s web failed");
    }
}
