//! The band under the canvas: the run's headline figures, and the three plots with their
//! fault key, which a button folds away so that the canvas gets their height (on a laptop's
//! 720 pixels the plots took 270 of them, and a preset of twenty nodes was hard to read). The
//! figures stay, so a folded run still reads throughput, p99 and availability as it goes.

use leptos::prelude::*;

use crate::panels::{charts::Charts, fault_key::FaultKey, summary::Summary};
use crate::storage;

#[component]
pub fn Plots() -> impl IntoView {
    // Remembered across reloads: a short screen stays short.
    let folded = RwSignal::new(storage::plots_folded());
    let toggle = move |_| {
        let now = !folded.get_untracked();
        folded.set(now);
        storage::set_plots_folded(now);
    };
    view! {
        <section class="plots" class:folded=move || folded.get()>
            <button class="plots-fold" data-testid="plots-fold"
                aria-expanded=move || (!folded.get()).to_string()
                title=move || if folded.get() {
                    "Show the plots under the canvas again"
                } else {
                    "Fold the plots away to give the canvas their height (the figures stay)"
                }
                on:click=toggle>
                {move || if folded.get() { "Show plots" } else { "Hide plots" }}
                // The arrow is a picture of the same: no part of the name read aloud.
                <span aria-hidden="true">{move || if folded.get() { " ▴" } else { " ▾" }}</span>
            </button>
            <Summary/>
            // Unmounted while folded, not hidden: shown again, each plot measures its width
            // afresh (the window may have been resized meanwhile) and draws the run so far.
            <Show when=move || !folded.get()>
                <Charts/>
                <FaultKey/>
            </Show>
        </section>
    }
}
