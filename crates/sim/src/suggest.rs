//! "Did you mean": the known name closest to a misspelt one (`duratoin_s` → `duration_s`,
//! `sever` → `server`, `EU` → `eu`), so that a message about an unknown key, param, kind or
//! data center points at the likely fix instead of only listing every name there is.

/// Names longer than this are not compared (the cost grows with the product of the lengths,
/// and no known name is this long).
const LONGEST: usize = 64;

/// The candidate closest to `word` by edit distance (letters inserted, deleted or changed,
/// case ignored), if it is close enough to be a slip (at most a third of the word's letters,
/// from 1 to 3) and no other candidate is as close. `None` for `word` itself, or for a word
/// that is no candidate's slip.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let written = word;
    let word: Vec<char> = word.to_lowercase().chars().collect();
    if word.is_empty() || word.len() > LONGEST {
        return None;
    }
    let allowed = (word.len() / 3).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    let mut tied = false;
    for c in candidates {
        if c == written {
            return None; // no slip to point at
        }
        let lower: Vec<char> = c.to_lowercase().chars().collect();
        if lower.len() > LONGEST {
            continue;
        }
        let d = distance(&word, &lower);
        match best {
            Some((b, _)) if d > b => {}
            Some((b, _)) if d == b => tied = true,
            _ => {
                best = Some((d, c));
                tied = false;
            }
        }
    }
    let (d, c) = best?;
    (d <= allowed && !tied).then_some(c)
}

/// ` (did you mean "x"?)` for [`closest`], or nothing: to append to a message.
pub fn hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates).map_or_else(String::new, |c| format!(" (did you mean \"{c}\"?)"))
}

/// Levenshtein distance between `a` and `b`, one row at a time.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: [&str; 5] = ["duration_s", "warmup_s", "window_s", "seed", "nodes"];

    #[test]
    fn a_slip_finds_its_name() {
        assert_eq!(closest("duratoin_s", KEYS), Some("duration_s"));
        assert_eq!(closest("node", KEYS), Some("nodes"));
        assert_eq!(
            closest("sever", ["server", "cache", "queue"]),
            Some("server")
        );
        assert_eq!(closest("EU", ["eu", "us"]), Some("eu"));
        assert_eq!(closest("dc-1", ["dc1", "dc2-west"]), Some("dc1"));
        assert_eq!(hint("sed", KEYS), " (did you mean \"seed\"?)");
    }

    #[test]
    fn no_guess_without_a_clear_one() {
        // Too far from every name, two names as close, or the name itself.
        assert_eq!(closest("latency", KEYS), None);
        assert_eq!(closest("eu", ["eb", "ex"]), None);
        assert_eq!(closest("seed", KEYS), None);
        assert_eq!(closest("", KEYS), None);
        assert_eq!(closest(&"x".repeat(500), KEYS), None);
        assert_eq!(hint("latency", KEYS), "");
    }

    #[test]
    fn distance_counts_edits() {
        let d = |a: &str, b: &str| {
            distance(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("abc", "abc"), 0);
        assert_eq!(d("ab", "ba"), 2);
    }
}
