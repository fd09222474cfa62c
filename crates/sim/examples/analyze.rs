//! Times the capacity analysis, which the app runs on every edit:
//! `cargo run --release -p scaleplay-sim --example analyze -- FILE...` prints, per file, the
//! mean time of one analysis (over 50) and what it found.
fn main() {
    const RUNS: u32 = 50;
    for file in std::env::args().skip(1) {
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("{file}: {e}");
                continue;
            }
        };
        let model = match scaleplay_sim::load(&text) {
            Ok(model) => model,
            Err(e) => {
                eprintln!("{file}: {e}");
                continue;
            }
        };
        let start = std::time::Instant::now();
        let mut capacity = scaleplay_sim::capacity::analyze(&model);
        for _ in 1..RUNS {
            capacity = scaleplay_sim::capacity::analyze(&model);
        }
        let ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(RUNS);
        let found = capacity
            .describe(capacity.bottleneck.as_deref().unwrap_or("nothing"))
            .unwrap_or_else(|| "no node with a worker limit".into());
        println!("{file}: {ms:.3} ms: {found}");
    }
}
