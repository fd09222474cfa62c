//! Share-link figures for BENCHMARKS.md: for every preset, the scenario's JSON size, the link's
//! size and the time to encode and decode it; then the largest scenario allowed (1,000 nodes)
//! and a decompression bomb (how long the refusal takes).
//!
//! Run: `cargo run --release --example links`

use std::hint::black_box;
use std::time::Instant;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use scaleplay::share;
use scaleplay_sim::{presets, validate, Scenario};

/// Median time of `f` over `reps` calls, in microseconds.
fn median_us(reps: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..reps)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[reps / 2]
}

fn row(name: &str, s: &Scenario) {
    let json = s.to_json().len();
    let link = share::encode(s);
    let frag = format!("#{link}");
    let enc = median_us(51, || {
        black_box(share::encode(black_box(s)));
    });
    let dec = median_us(51, || {
        black_box(share::decode(black_box(&frag)).unwrap());
    });
    println!(
        "| {name} | {} | {json} | {} | {:.1}x | {enc:.0} | {dec:.0} |",
        s.nodes.len(),
        link.len(),
        json as f64 / link.len() as f64
    );
}

fn main() {
    println!("| scenario | nodes | JSON bytes | link bytes | JSON/link | encode µs | decode µs |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (i, p) in presets::all().iter().enumerate() {
        let s = validate::parse(p.json).expect("preset parses");
        row(&format!("preset {:02}", i + 1), &s);
    }
    // The largest scenario a link may carry: 1,000 servers in a chain, each with a name and params.
    let nodes: Vec<String> = (0..1000)
        .map(|i| {
            format!(
                r#"{{"id": "web-{i}", "kind": "server", "name": "Web server {i}", "x": {}, "y": {},
                    "params": {{"instances": 2, "workers": 16, "service_ms": 12}}}}"#,
                (i % 40) * 200,
                (i / 40) * 100
            )
        })
        .collect();
    let big = validate::parse(&format!(
        r#"{{"version": 1, "nodes": [{}]}}"#,
        nodes.join(",")
    ))
    .expect("the big scenario parses");
    row("1,000 servers", &big);

    // A bomb: 64 MB of spaces deflates to about 64 KB; decoding must stop at 4 MB.
    let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b' '; 64 * 1024 * 1024], 9);
    let bomb = format!("#s=2.{}", URL_SAFE_NO_PAD.encode(bomb));
    let refuse = median_us(11, || {
        black_box(share::decode(black_box(&bomb)).unwrap_err());
    });
    println!();
    println!(
        "decompression bomb: {} KB link (64 MB inflated) refused in {:.1} ms",
        bomb.len() / 1024,
        refuse / 1000.0
    );
}
