//! The File menu: export the scenario as JSON, import one (read with the same limits as share
//! links), save the canvas as PNG, and the run's series and per-node figures as CSV. Everything
//! happens in the browser: downloads are blob URLs, imports are read from the chosen file.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::export;
use crate::files::{file_stem, file_text, read_scenario, Source};
use crate::opening::Opener;
use crate::runner::Run;
use crate::state::Doc;

/// The app's stylesheet, embedded in exported canvas images (an SVG drawn as an image cannot
/// see the page's styles).
const STYLESHEET: &str = include_str!("../../style/main.css");

/// The File menu in the run bar.
#[component]
pub fn FileMenu() -> impl IntoView {
    let doc = expect_context::<Doc>();
    let run = expect_context::<Run>();
    let opener = expect_context::<Opener>();
    let no_report = move || run.report.with(Option::is_none);
    let stem = move || doc.scenario.with_untracked(file_stem);
    let report_csv = move |what: &'static str| {
        move |ev: leptos::ev::MouseEvent| {
            close_menu(&ev);
            // Names as the run had them (the scenario being edited may have renamed or
            // removed nodes since).
            let ran = run
                .ran
                .get_untracked()
                .unwrap_or_else(|| doc.scenario.get_untracked());
            let csv = run.report.with_untracked(|r| {
                r.as_ref().map(|r| match what {
                    "series" => export::series_csv(r),
                    "node-series" => export::node_series_csv(r, &ran),
                    _ => export::nodes_csv(r, &ran),
                })
            });
            if let Some(csv) = csv {
                report(
                    doc,
                    download_text(&format!("{}-{what}.csv", stem()), "text/csv", &csv),
                );
            }
        }
    };
    let on_import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        // Clearing the input lets the same file be chosen again after fixing it.
        input.set_value("");
        spawn_local(async move {
            match read_file(&file)
                .await
                .and_then(|t| read_scenario(&t, Source::File))
            {
                Ok(s) => opener.open(s),
                Err(why) => doc.notify(Some(format!(
                    "Could not import \"{}\": {why}. Your scenario is unchanged.",
                    file.name()
                ))),
            }
        });
    };
    view! {
        <details class="menu" data-testid="file-menu" on:keydown=menu_keys on:toggle=menu_toggled
            on:focusout=menu_focus_left>
            <summary>"File"</summary>
            <ul class="menu-list">
                // An empty canvas under a name of its own: building from scratch on top of a
                // preset kept the preset's name and "what to try" notes. One Undo away.
                <li><button data-testid="new-scenario" on:click=move |ev| {
                    close_menu(&ev);
                    opener.open(crate::files::blank_scenario());
                }>"New scenario"</button></li>
                <li><button data-testid="export-json" on:click=move |ev| {
                    close_menu(&ev);
                    let json = doc.scenario.with_untracked(crate::files::export_json);
                    report(doc, download_text(&format!("{}.json", stem()), "application/json", &json));
                }>"Export scenario (JSON)"</button></li>
                <li><label class="menu-item" data-testid="import-json">"Import scenario (JSON)…"
                    <input type="file" accept=".json,application/json" data-testid="import-file"
                        class="visually-hidden" on:change=on_import/>
                </label></li>
                <li><button data-testid="export-canvas-png" on:click=move |ev| {
                    close_menu(&ev);
                    report(doc, export_canvas_png(&format!("{}-canvas.png", stem()), doc.banner));
                }>"Canvas as PNG"</button></li>
                <li><button data-testid="export-series-csv" disabled=no_report
                    title="The run's series, one row per second" on:click=report_csv("series")>
                    "Series (CSV)"</button></li>
                <li><button data-testid="export-nodes-csv" disabled=no_report
                    title="Each node's figures from the run" on:click=report_csv("nodes")>
                    "Per-node figures (CSV)"</button></li>
                <li><button data-testid="export-node-series-csv" disabled=no_report
                    title="Each node's figures per second: utilization, backlog, hit ratio, depth…"
                    on:click=report_csv("node-series")>"Per-node series (CSV)"</button></li>
            </ul>
        </details>
    }
}

/// Shows a failed export in the banner.
fn report(doc: Doc, result: Result<(), String>) {
    if let Err(why) = result {
        doc.banner.set(Some(why));
    }
}

/// Makes a dropdown (a `<details>`) behave as a menu: Escape closes it and gives the focus
/// back to its button, and opening it closes any other one (two open menus overlapped).
pub fn menu_keys(ev: leptos::ev::KeyboardEvent) {
    if ev.key() != "Escape" {
        return;
    }
    let details = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(d) = details.filter(|d| d.has_attribute("open")) {
        ev.prevent_default();
        close_to_summary(&d);
    }
}

/// Closes a menu the keyboard's focus has left (Tab past its last item): it stayed open over
/// the canvas while the focus went on along the bar.
pub fn menu_focus_left(ev: leptos::ev::FocusEvent) {
    let Some(details) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    // Where the focus went; none when it went nowhere (a press on the page), which the
    // outside-press handler deals with.
    let Some(to) = ev
        .related_target()
        .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
    else {
        return;
    };
    if !details.contains(Some(&to)) {
        let _ = details.remove_attribute("open");
    }
}

/// Closes a menu and gives the focus to its summary, where the keyboard opened it: the item
/// that had it is hidden now, and the focus would otherwise fall back to the page's start.
fn close_to_summary(details: &web_sys::Element) {
    // Removing the attribute of an element we just found cannot meaningfully fail.
    let _ = details.remove_attribute("open");
    if let Some(summary) = details
        .query_selector("summary")
        .ok()
        .flatten()
        .and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = summary.focus();
    }
}

/// See [`menu_keys`]: when a menu opens, the others close.
pub fn menu_toggled(ev: leptos::ev::Event) {
    let Some(opened) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .filter(|d| d.has_attribute("open"))
    else {
        return;
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // The one just opened is marked so that the query passes over it; each other open one
    // is closed in turn (there are two menus, so this loops at most twice).
    let _ = opened.set_attribute("data-opening", "");
    while let Ok(Some(other)) = document.query_selector("details[open]:not([data-opening])") {
        if other.remove_attribute("open").is_err() {
            break;
        }
    }
    let _ = opened.remove_attribute("data-opening");
}

/// Closes the open dropdowns when the pointer goes down outside them, as menus do. Listens on
/// the window in the capture phase, since the canvas stops its presses from bubbling.
pub fn close_menus_on_outside_press() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let close = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
        move |ev: web_sys::Event| {
            let Some(document) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            // The menu pressed in (if any) is marked so that the query passes over it; each
            // other open one is closed in turn.
            let inside = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("details").ok().flatten());
            if let Some(menu) = &inside {
                let _ = menu.set_attribute("data-opening", "");
            }
            while let Ok(Some(other)) = document.query_selector("details[open]:not([data-opening])")
            {
                if other.remove_attribute("open").is_err() {
                    break;
                }
            }
            if let Some(menu) = &inside {
                let _ = menu.remove_attribute("data-opening");
            }
        },
    );
    let _ = window.add_event_listener_with_callback_and_bool(
        "pointerdown",
        close.as_ref().unchecked_ref(),
        true,
    );
    // The listener lives as long as the page.
    close.forget();
}

/// Closes the dropdown (a `<details>`) that contains the clicked item.
pub fn close_menu(ev: &leptos::ev::MouseEvent) {
    let details = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("details").ok().flatten());
    if let Some(d) = details {
        close_to_summary(&d);
    }
}

/// The text of a chosen file, refusing big ones before reading them.
async fn read_file(file: &web_sys::File) -> Result<String, String> {
    let limit = scaleplay_sim::validate::MAX_SCENARIO_BYTES as f64;
    if file.size() > limit {
        return Err(format!(
            "it is {:.1} MB, more than the limit of {} MB for a scenario",
            file.size() / 1_048_576.0,
            limit / 1_048_576.0
        ));
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "the browser could not read it".to_string())?;
    file_text(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Offers `text` as a download named `name`.
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let url =
        blob_url(text, mime).ok_or_else(|| format!("the browser refused to create {name}"))?;
    let result = download_url(name, &url);
    // The download has started from the click; the URL is no longer needed.
    let _ = web_sys::Url::revoke_object_url(&url);
    result
}

/// A `blob:` URL holding `text` with MIME type `mime` (revoke it when done).
fn blob_url(text: &str, mime: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// Starts a download of `url` (a blob: or data: URL) saved as `name`.
pub fn download_url(name: &str, url: &str) -> Result<(), String> {
    let failed = || format!("the browser refused to save {name}");
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(failed)?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| failed())?
        .unchecked_into();
    a.set_href(url);
    a.set_download(name);
    a.click();
    Ok(())
}

/// Saves a plot's `<canvas>` as PNG.
pub fn export_chart_png(canvas: &web_sys::HtmlCanvasElement, name: &str) -> Result<(), String> {
    let url = canvas
        .to_data_url_with_type("image/png")
        .map_err(|_| format!("the browser refused to draw {name}"))?;
    download_url(name, &url)
}

/// Saves the canvas as PNG: the SVG, with the app's styles embedded, is drawn on a white
/// `<canvas>` at twice its size (sharp on high-density screens) and downloaded when loaded.
fn export_canvas_png(name: &str, banner: RwSignal<Option<String>>) -> Result<(), String> {
    let failed = || format!("the browser refused to draw {name}");
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(failed)?;
    let svg = document
        .query_selector("[data-testid=canvas]")
        .ok()
        .flatten()
        .ok_or_else(failed)?;
    let rect = svg.get_bounding_client_rect();
    let (w, h) = (rect.width().max(1.0), rect.height().max(1.0));
    let copy: web_sys::Element = svg
        .clone_node_with_deep(true)
        .map_err(|_| failed())?
        .unchecked_into();
    for (attr, value) in [
        ("xmlns", "http://www.w3.org/2000/svg".to_string()),
        ("width", w.to_string()),
        ("height", h.to_string()),
    ] {
        copy.set_attribute(attr, &value).map_err(|_| failed())?;
    }
    let style = document.create_element("style").map_err(|_| failed())?;
    style.set_text_content(Some(STYLESHEET));
    copy.prepend_with_node_1(&style).map_err(|_| failed())?;
    let markup = web_sys::XmlSerializer::new()
        .and_then(|s| s.serialize_to_string(&copy))
        .map_err(|_| failed())?;
    let svg_url = blob_url(&markup, "image/svg+xml").ok_or_else(failed)?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| failed())?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|_| failed())?
        .unchecked_into();
    let scale = 2.0;
    canvas.set_width((w * scale) as u32);
    canvas.set_height((h * scale) as u32);
    let name = name.to_string();
    let loaded = image.clone();
    let source = svg_url.clone();
    // Called once, when the image has loaded; it owns everything it needs.
    let on_load = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&source);
        let drawn = (|| {
            let ctx: web_sys::CanvasRenderingContext2d =
                canvas.get_context("2d").ok()??.dyn_into().ok()?;
            ctx.set_fill_style_str("white");
            ctx.fill_rect(0.0, 0.0, w * scale, h * scale);
            ctx.scale(scale, scale).ok()?;
            ctx.draw_image_with_html_image_element(&loaded, 0.0, 0.0)
                .ok()?;
            canvas.to_data_url_with_type("image/png").ok()
        })();
        match drawn {
            Some(url) => {
                let _ = download_url(&name, &url);
            }
            None => banner.set(Some(format!("the browser refused to draw {name}"))),
        }
    });
    image.set_onload(Some(on_load.unchecked_ref()));
    image.set_src(&svg_url);
    Ok(())
}
