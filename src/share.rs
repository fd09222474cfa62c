//! Share links: the whole scenario (seed included) in the URL fragment, so nothing is sent to
//! any server. Format: `#s=1.<base64url(deflate(scenario JSON))>`, where `1` is the link format
//! version. Decoding is bounded at every step (encoded size, inflated size, nodes), so a hostile
//! link cannot make the page hang or exhaust memory; every refusal says what is wrong.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use scaleplay_sim::Scenario;

use crate::files::{read_scenario, Source};

/// Longest accepted link payload (the part after `#s=`), in bytes.
pub const MAX_ENCODED: usize = 256 * 1024;
/// Largest accepted scenario once inflated, in bytes.
pub const MAX_INFLATED: usize = 4 * 1024 * 1024;
/// Version prefix of the payload.
const FORMAT: &str = "1.";

/// The fragment (without `#`) that carries `s`.
pub fn encode(s: &Scenario) -> String {
    let json = crate::files::compact_json(s);
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
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
    let Some(payload) = fragment.strip_prefix("s=") else {
        return Ok(None);
    };
    if payload.len() > MAX_ENCODED {
        return Err(format!(
            "this link is {} KB, more than the limit of {} KB: it cannot be a Scaleplay scenario",
            payload.len() / 1024,
            MAX_ENCODED / 1024
        ));
    }
    let Some(body) = payload.strip_prefix(FORMAT) else {
        // A later format is a number before a dot; anything else is not a format at all, and
        // echoing it back as one (the first characters of the data) only confused.
        return Err(match payload.split_once('.') {
            Some((version, _))
                if (1..=4).contains(&version.len())
                    && version.bytes().all(|b| b.is_ascii_digit()) =>
            {
                format!(
                    "this link has format {version}, which this version of Scaleplay cannot read: ask for a new link"
                )
            }
            _ => "this link is damaged (it does not start with a format number): it may have been cut short or edited".to_string(),
        });
    };
    let packed = URL_SAFE_NO_PAD.decode(body).map_err(|_| {
        "this link is damaged (not valid base64url): it may have been cut short when copied"
            .to_string()
    })?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED).map_err(|e| {
        if matches!(e.status, miniz_oxide::inflate::TINFLStatus::HasMoreOutput) {
            format!("this link unpacks to more than {} MB: refused", MAX_INFLATED / (1024 * 1024))
        } else {
            "this link is damaged (its data does not unpack): it may have been cut short when copied".to_string()
        }
    })?;
    let text = String::from_utf8(json)
        .map_err(|_| "this link does not hold text: it is not a Scaleplay scenario".to_string())?;
    let scenario = read_scenario(&text, Source::Link)?;
    Ok(Some(scenario))
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
            assert!(link.starts_with("s=1."));
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
