//! The run's headline figures: throughput, p99, availability and failures by cause, as plain
//! numbers (tests read them).

use leptos::prelude::*;

use crate::runner::Run;

/// The summary strip above the plots.
#[component]
pub fn Summary() -> impl IntoView {
    let run = expect_context::<Run>();
    let fig = move |f: fn(&scaleplay_sim::Report) -> String| {
        move || run.report.with(|r| r.as_ref().map_or("–".to_string(), f))
    };
    view! {
        <div class="summary">
            <div class="figure"><span class="label">"Throughput (req/s)"</span>
                <span class="value" data-testid="summary-throughput">{fig(|r| format!("{:.1}", r.summary.throughput_rps))}</span></div>
            <div class="figure"><span class="label">"p99 (ms)"</span>
                <span class="value" data-testid="summary-p99">{fig(|r| format!("{:.1}", r.summary.latency_ms.p99))}</span></div>
            <div class="figure"><span class="label">"Availability (%)"</span>
                <span class="value" data-testid="summary-availability">{fig(|r| format!("{:.3}", r.summary.availability * 100.0))}</span></div>
            <div class="figure"><span class="label">"Failed: timeout / rejected / down"</span>
                <span class="value" data-testid="summary-failures">{fig(|r| format!("{} / {} / {}", r.summary.failed.timeout, r.summary.failed.rejected, r.summary.failed.down))}</span></div>
        </div>
    }
}
