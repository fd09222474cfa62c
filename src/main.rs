//! Placeholder for the Scaleplay web app (a Leptos client-side app lands with the app issue).
//! Until then the binary prints where to look.

fn main() {
    println!(
        "Scaleplay web app: not built yet. Run a scenario with `cargo run -p scaleplay-cli -- run scenarios/01-single-server.json`."
    );
    let _ = scaleplay_sim::presets::all();
}
