//! Runs a scenario file and prints the report JSON: `cargo run --example run -- FILE [SEED]`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).expect("readable file");
    let seed = args.get(2).map(|s| s.parse().expect("a number"));
    match scaleplay_sim::run_json(&text, seed) {
        // A reader that stops early (`| head`) is not an error worth a panic.
        Ok(r) => {
            use std::io::Write as _;
            let _ = writeln!(std::io::stdout().lock(), "{r}");
        }
        Err(e) => eprintln!("{e}"),
    }
}
