//! Runs a scenario file and prints the report JSON: `cargo run --example run -- FILE [SEED]`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).expect("readable file");
    let seed = args.get(2).map(|s| s.parse().expect("a number"));
    match scaleplay_sim::run_json(&text, seed) {
        Ok(r) => println!("{r}"),
        Err(e) => eprintln!("{e}"),
    }
}
