//! Errors of loading a scenario: every problem at once, each naming where it is and what to do.

use std::fmt;

/// One thing wrong with a scenario.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Problem {
    /// The node it concerns, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// The field (param or top-level key) it concerns, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Lowercase message saying what is wrong and what to do.
    pub message: String,
}

impl Problem {
    /// A problem of the whole scenario.
    pub fn scenario(field: &str, message: impl Into<String>) -> Problem {
        Problem {
            node: None,
            field: Some(field.to_string()),
            message: message.into(),
        }
    }

    /// A problem of one node.
    pub fn node(node: &str, field: Option<&str>, message: impl Into<String>) -> Problem {
        Problem {
            node: Some(node.to_string()),
            field: field.map(str::to_string),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.node {
            Some(n) => write!(f, "node \"{}\": {}", printable(n), printable(&self.message)),
            None => f.write_str(&printable(&self.message)),
        }
    }
}

/// Whether `c` is a bidirectional-text control: the embeddings and overrides (U+202A to
/// U+202E), the isolates (U+2066 to U+2069) and the marks (U+200E, U+200F, U+061C). They are
/// invisible, yet they reorder the text around them, so an id holding one can display as
/// another ("Trojan Source"). [`crate::validate`](mod@crate::validate) refuses them in ids and names, and
/// [`printable`] escapes them, as it does control characters (which `char::is_control` says
/// these are not).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Whether `c` shows nothing and does no work a language needs in an identifier: a zero-width
/// space, a word joiner, a byte-order mark inside text, a soft hyphen. An id holding one reads
/// as another ("dns" and "dns\u{200b}"), so [`crate::validate`](mod@crate::validate) refuses them in ids, and
/// [`printable`] escapes them. (The zero-width joiner and non-joiner are left alone: emoji
/// sequences and Persian words need them.)
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// Whether a message must show `c` as an escape: a control character, a bidirectional-text
/// control ([`is_bidi_control`]) or an invisible character ([`is_invisible`]).
fn shown_escaped(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_invisible(c)
}

/// `text` with control characters and bidirectional-text controls written as escapes (`\n`,
/// `\u{1b}`, `\u{202e}`): a message quotes ids and names from the file, and one holding a
/// newline or a terminal escape must neither break the one-line message nor reach the
/// terminal as a command, nor one holding a right-to-left override read backwards.
pub fn printable(text: &str) -> String {
    if !text.chars().any(shown_escaped) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if shown_escaped(c) {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A number as a message should show it: as written for everyday sizes (to 9 decimals, so a
/// sum of 0.1 and 0.2 reads 0.3), in scientific notation when huge or tiny (Rust writes 1e300
/// with all 301 digits), at most 5 significant digits then. A person reads "got 1e300" at a
/// glance, and a message stays one line.
pub fn shown(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    if (1e-3..1e15).contains(&x.abs()) {
        let written = format!("{x:.9}");
        return written
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string();
    }
    let written = format!("{x:.4e}");
    match written.split_once('e') {
        Some((mantissa, exponent)) if mantissa.contains('.') => {
            let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
            format!("{mantissa}e{exponent}")
        }
        _ => written,
    }
}

/// A count grouped by thousands, as a person reads it: `5,966,886`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Why a scenario could not be loaded.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The text is not a JSON object of the scenario's shape.
    #[error("not a valid scenario file: {0}")]
    Syntax(String),
    /// The text is too large to be a scenario.
    #[error("the scenario is {size} bytes, more than the limit of {limit}: it cannot be a real scenario")]
    TooLarge {
        /// Bytes given.
        size: usize,
        /// Bytes allowed.
        limit: usize,
    },
    /// The scenario parses but has problems; all of them are listed.
    #[error("{}", list(.0))]
    Invalid(Vec<Problem>),
}

/// One problem on its line; several counted, one per line below.
fn list(problems: &[Problem]) -> String {
    match problems {
        [one] => format!("1 problem: {one}"),
        _ => format!(
            "{} problems:\n{}",
            problems.len(),
            problems
                .iter()
                .map(|p| format!("  - {p}"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

impl LoadError {
    /// The problems, one per line item (a syntax error is a single problem).
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            LoadError::Invalid(p) => p.clone(),
            other => vec![Problem {
                node: None,
                field: None,
                message: other.to_string(),
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{grouped, printable, shown};

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(5_966_886), "5,966,886");
        assert_eq!(grouped(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn control_and_bidirectional_characters_are_escaped() {
        assert_eq!(printable("web"), "web");
        assert_eq!(printable("a\nb"), "a\\nb");
        // A right-to-left override would show "web\u{202e}gpj.exe" as "webexe.jpg".
        assert_eq!(printable("web\u{202e}gpj.exe"), "web\\u{202e}gpj.exe");
        for c in [
            '\u{202a}', '\u{2066}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{61c}',
        ] {
            assert!(!printable(&format!("a{c}b")).contains(c), "{c:?}");
        }
        // Right-to-left letters are text, not controls.
        assert_eq!(printable("שרת"), "שרת");
    }

    #[test]
    fn numbers_are_shown_short() {
        assert_eq!(shown(12.5), "12.5");
        assert_eq!(shown(-3.0), "-3");
        assert_eq!(shown(0.0), "0");
        assert_eq!(shown(2_592_000.0), "2592000");
        assert_eq!(shown(1e300), "1e300");
        assert_eq!(shown(-1.234_567e20), "-1.2346e20");
        assert_eq!(shown(2.5e-9), "2.5e-9");
        assert_eq!(shown(0.1 + 0.2), "0.3");
        assert_eq!(shown(0.999), "0.999");
        assert_eq!(shown(5e-4), "5e-4");
        assert_eq!(shown(f64::INFINITY), "inf");
        assert_eq!(shown(f64::NAN), "NaN");
    }
}
