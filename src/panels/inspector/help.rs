//! What a param or setting means, for those who cannot hover: its help is the block's tooltip
//! (the engine's reference), and a click or tap on its name (the dotted underline) shows the
//! same text under it, and hides it again. On a phone, or from the keyboard, the tooltip was
//! out of reach.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// `content` (a labelled control, or a group of them under a `<legend>`) with `help` as its
/// tooltip and, shown by a click on its own name, under it. `key` names it for the tests:
/// `help-<key>` is the block, `help-text-<key>` the shown text.
pub fn with_help(key: String, help: String, content: impl IntoView + 'static) -> AnyView {
    let open = RwSignal::new(false);
    let shown = help.clone();
    let text_id = format!("help-text-{key}");
    let toggle = move |ev: leptos::ev::MouseEvent| {
        if clicked_own_name(&ev) {
            // Not the label's own click, which would focus the field (on a phone, opening the
            // keyboard over the text the tap asked for).
            ev.prevent_default();
            open.update(|o| *o = !*o);
        }
    };
    view! {
        <div class="param-help" title=help data-testid=format!("help-{key}") on:click=toggle>
            {content}
            <Show when=move || open.get()>
                <p class="param-help-text" data-testid=text_id.clone()>{shown.clone()}</p>
            </Show>
        </div>
    }
    .into_any()
}

/// Whether the click was on the name of the block it reached (a `.param-name` or `<legend>`
/// whose nearest help block is the one handling it): a group's blocks sit inside another's,
/// and each name opens its own help only.
fn clicked_own_name(ev: &leptos::ev::MouseEvent) -> bool {
    let element =
        |t: Option<web_sys::EventTarget>| t.and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let (Some(target), Some(block)) = (element(ev.target()), element(ev.current_target())) else {
        return false;
    };
    let Ok(Some(name)) = target.closest(".param-name, legend") else {
        return false;
    };
    matches!(name.closest(".param-help"), Ok(Some(nearest)) if nearest == block)
}
