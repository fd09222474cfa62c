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
            Some(n) => write!(f, "node \"{n}\": {}", self.message),
            None => f.write_str(&self.message),
        }
    }
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
