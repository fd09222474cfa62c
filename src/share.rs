//! Share links: the whole scenario (seed included) in the URL fragment, so nothing is sent to
//! any server. Format: `#s=2.<base64url(zlib(scenario JSON))>`, where `2` is the link format
//! version: zlib is deflate with an Adler-32 check of the text, so a link altered on the way
//! (one character changed) is refused as damaged instead of opening another scenario without
//! a word. Links of format 1 (`#s=1.<base64url(deflate(…))>`, without the check, made before
//! December 2026) still open. Decoding is bounded at every step (encoded size, inflated size,
//! nodes), so a hostile link cannot make the page hang or exhaust memory; every refusal says
//! what is wrong.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use scaleplay_sim::Scenario;

use crate::files::{read_scenario, Source};

/// Longest accepted link payload (the part after `#s=`), in bytes.
pub const MAX_ENCODED: usize = 256 * 1024;
/// Largest accepted scenario once inflated, in bytes.
pub const MAX_INFLATED: usize = 4 * 1024 * 1024;
/// Version prefix of the payload the app writes: zlib, checked.
const FORMAT: &str = "2.";
/// Version prefix of the first links: raw deflate, unchecked (still read).
const FORMAT_1: &str = "1.";

/// The fragment (without `#`) that carries `s`.
pub fn encode(s: &Scenario) -> String {
    let json = crate::files::compact_json(s);
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 9);
    format!("s={FORMAT}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// The fragment of a link that opens `s`, or why there can be none: a scenario whose link
/// would be over [`MAX_ENCODED`] is refused by [`decode`], so such a link must not be given.
pub fn link_fragment(s: &Scenario) -> Result<String, String> {
    let fragment = encode(s);
    let payload = fragment.len() - "s=".len();
    if payload > MAX_ENCODED {
        return Err(format!(
            "this scenario is too large for a link ({} KB, the limit is {} KB): use File → Export JSON instead, and send the file",
            payload.div_ceil(1024),
            MAX_ENCODED / 1024
        ));
    }
    Ok(fragment)
}

/// The scenario a fragment carries. `Ok(None)` when the fragment is not a share link at all.
pub fn decode(fragment: &str) -> Result<Option<Scenario>, String> {
    let fragment = fragment.trim_start_matches('#');
    let Some(payload) = link_payload(fragment) else {
        return Ok(None);
    };
    if payload.len() > MAX_ENCODED {
        return Err(format!(
            "this link is {} KB, more than the limit of {} KB: it cannot be a Scaleplay scenario",
            payload.len() / 1024,
            MAX_ENCODED / 1024
        ));
    }
    let (body, checked) = match (payload.strip_prefix(FORMAT), payload.strip_prefix(FORMAT_1)) {
        (Some(body), _) => (body, true),
        (None, Some(body)) => (body, false),
        (None, None) => return Err(unknown_format(payload)),
    };
    let packed = URL_SAFE_NO_PAD.decode(body).map_err(|_| {
        "this link is damaged (not valid base64url): it was cut short or changed when copied"
            .to_string()
    })?;
    let inflated = if checked {
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_INFLATED)
    } else {
        miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED)
    };
    let json = inflated.map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
            format!("this link unpacks to more than {} MB: refused", MAX_INFLATED / (1024 * 1024))
        }
        miniz_oxide::inflate::TINFLStatus::Adler32Mismatch => {
            "this link is damaged (its check does not match what it holds): a character was changed or lost when it was copied; ask for the link again".to_string()
        }
        _ => "this link is damaged (its data does not unpack): it was cut short or changed when copied".to_string(),
    })?;
    let text = String::from_utf8(json)
        .map_err(|_| "this link does not hold text: it is not a Scaleplay scenario".to_string())?;
    let scenario = read_scenario(&text, Source::Link)?;
    Ok(Some(scenario))
}

/// The payload of a link fragment: after `s=`, also when a mail or chat program sent the `=`
/// as `%3D` or capitalised the `s` (which opened the autosaved work without a word, as if the
/// link were not one). `None` when the fragment is no link at all.
fn link_payload(fragment: &str) -> Option<&str> {
    let head = fragment.get(..4).unwrap_or(fragment);
    if head.eq_ignore_ascii_case("s%3d") {
        return Some(&fragment[4..]);
    }
    fragment
        .strip_prefix("s=")
        .or_else(|| fragment.strip_prefix("S="))
}

/// Why a payload that starts with neither format cannot be read.
fn unknown_format(payload: &str) -> String {
    // A later format is a number before a dot; anything else is not a format at all, and
    // echoing it back as one (the first characters of the data) only confused.
    match payload.split_once('.') {
        Some((version, _))
            if (1..=4).contains(&version.len()) && version.bytes().all(|b| b.is_ascii_digit()) =>
        {
            format!(
                "this link has format {version}, which this version of Scaleplay cannot read: ask for a new link"
            )
        }
        _ => "this link is damaged (it does not start with a format number): it may have been cut short or edited".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use scaleplay_sim::validate;

    fn preset(n: usize) -> Scenario {
        validate::parse(scaleplay_sim::presets::all()[n].json).unwrap()
    }

    #[test]
    fn every_preset_round_trips() {
        for n in 0..10 {
            let s = preset(n);
            let link = encode(&s);
            assert!(link.starts_with("s=2."));
            assert_eq!(decode(&format!("#{link}")).unwrap(), Some(s));
        }
    }

    #[test]
    fn a_scenario_too_large_for_a_link_gets_none() {
        let mut s = preset(0);
        assert!(link_fragment(&s).is_ok());
        // Text that does not compress: pseudo-random letters, 400 KB of them.
        let mut x: u64 = 1;
        s.notes = (0..400 * 1024)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b'a' + (x >> 59) as u8 % 26)
            })
            .collect();
        let e = link_fragment(&s).unwrap_err();
        assert!(e.contains("too large for a link"), "{e}");
        assert!(e.contains("Export JSON"), "{e}");
        // What it refuses, the decoder would have refused too.
        assert!(decode(&encode(&s)).unwrap_err().contains("limit"));
    }

    /// One character changed anywhere in a link is refused, where format 1 (no check) opened
    /// another scenario when the change landed in a number.
    #[test]
    fn a_link_altered_by_one_character_is_refused() {
        let link = encode(&preset(4));
        let body = "s=2.".len();
        let mut opened = Vec::new();
        for at in body..link.len() {
            for c in ['A', 'Q', 'g', 'w', '0', '5', '-', '_'] {
                if link.as_bytes()[at] == c as u8 {
                    continue;
                }
                let mut altered = link.clone();
                altered.replace_range(at..at + 1, &c.to_string());
                if let Ok(Some(s)) = decode(&altered) {
                    if s != preset(4) {
                        opened.push((at, c));
                    }
                }
            }
        }
        assert!(opened.is_empty(), "altered links opened: {opened:?}");
        // The check's own words, for a change inside the data.
        let mut altered = link.clone();
        let mid = link.len() / 2;
        let c = if &link[mid..=mid] == "A" { "B" } else { "A" };
        altered.replace_range(mid..=mid, c);
        let e = decode(&altered).unwrap_err();
        assert!(e.contains("damaged"), "{e}");
    }

    /// The fragment as mail and chat programs may pass it on: `=` escaped, `s` capitalised.
    #[test]
    fn a_link_whose_equals_sign_was_escaped_still_opens() {
        let link = encode(&preset(2));
        let payload = &link["s=".len()..];
        for sent in [
            format!("#s%3D{payload}"),
            format!("#s%3d{payload}"),
            format!("S={payload}"),
        ] {
            assert_eq!(decode(&sent).unwrap(), Some(preset(2)), "{sent:.12}");
        }
    }

    #[test]
    fn other_fragments_are_not_links() {
        assert_eq!(decode("").unwrap(), None);
        assert_eq!(decode("#about").unwrap(), None);
    }

    #[test]
    fn broken_and_hostile_links_are_refused_with_a_reason() {
        let link = encode(&preset(2));
        let cut = &link[..link.len() / 2];
        assert!(decode(cut).unwrap_err().contains("damaged"));
        assert!(decode("s=9.abc").unwrap_err().contains("format 9, which"));
        for garbage in ["s=eJzLSM3JyQcABiwCFQ", "s=abc.def", "s=12345.x", "s=."] {
            let e = decode(garbage).unwrap_err();
            assert!(
                e.contains("does not start with a format number"),
                "{garbage}: {e}"
            );
        }
        assert!(decode("s=1.!!!").unwrap_err().contains("base64url"));
        let huge = format!("s=1.{}", "A".repeat(MAX_ENCODED));
        assert!(decode(&huge).unwrap_err().contains("limit"));
        // A bomb: 64 MB of zeros deflates to a few KB; inflating stops at the limit.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 64 * 1024 * 1024], 9);
        let bomb = format!("s=1.{}", URL_SAFE_NO_PAD.encode(bomb));
        assert!(bomb.len() < MAX_ENCODED);
        assert!(decode(&bomb).unwrap_err().contains("more than 4 MB"));
        let not_json = format!(
            "s=1.{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(b"hello", 9))
        );
        assert!(decode(&not_json)
            .unwrap_err()
            .contains("does not hold a Scaleplay scenario"));
    }
}
