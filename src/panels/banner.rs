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
                    <span class="banner-text" class:sentence=reads_as_a_sentence(&msg)>{msg.clone()}</span>
                    <button class="banner-close" aria-label="Dismiss" on:click=move |_| banner.set(None)>"×"</button>
                </div>
            }
        })
    }
}

/// Whether `msg` opens as a sentence, which the banner capitalises (by CSS, so the text stays
/// as written): with a word, not a name. `::first-letter` had also turned a quoted id
/// (`"server-2"`) into one that does not exist (`"Server-2"`), and a field (`mtbf_s: …`,
/// `workers: …`) into another spelling of it.
fn reads_as_a_sentence(msg: &str) -> bool {
    let first = msg.split(' ').next().unwrap_or("");
    first.chars().next().is_some_and(char::is_alphabetic)
        && !first.contains('_')
        && !first.ends_with(':')
}

#[cfg(test)]
mod tests {
    use super::reads_as_a_sentence;

    #[test]
    fn a_sentence_is_capitalised_but_not_a_name_or_a_field() {
        assert!(reads_as_a_sentence("a server cannot call a client"));
        assert!(!reads_as_a_sentence("\"server-2\" is already down"));
        assert!(!reads_as_a_sentence(
            "mtbf_s: what was typed is not a number"
        ));
        assert!(!reads_as_a_sentence(
            "workers: what was typed is not a number"
        ));
        assert!(!reads_as_a_sentence(""));
    }
}
