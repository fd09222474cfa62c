//! The error banner: a refused edit or a bad file, with a button to dismiss it.

use leptos::prelude::*;

use crate::state::Doc;

/// Shows the current banner message, if any.
#[component]
pub fn ErrorBanner() -> impl IntoView {
    let banner = expect_context::<Doc>().banner;
    move || {
        banner.get().map(|msg| {
            view! {
                <div class="banner" role="alert" data-testid="error-banner">
                    <span class="banner-text">{msg}</span>
                    <button class="banner-close" aria-label="Dismiss" on:click=move |_| banner.set(None)>"×"</button>
                </div>
            }
        })
    }
}
