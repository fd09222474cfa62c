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
                    <span class="banner-text">{sentence(&msg)}</span>
                    <button class="banner-close" aria-label="Dismiss" on:click=move |_| banner.set(None)>"×"</button>
                </div>
            }
        })
    }
}

/// `msg` as a sentence: its first letter capitalised, unless it opens with a quoted name,
/// which stays as written (a CSS `::first-letter` rule had turned `"server-2"` into
/// `"Server-2"`, an id that does not exist).
fn sentence(msg: &str) -> String {
    let mut chars = msg.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::sentence;

    #[test]
    fn a_message_is_capitalised_but_a_quoted_id_is_not() {
        assert_eq!(sentence("cannot connect"), "Cannot connect");
        assert_eq!(
            sentence("\"server-2\" is already down"),
            "\"server-2\" is already down"
        );
        assert_eq!(sentence(""), "");
    }
}
