//! The Scaleplay web app's entry point; everything lives in the library (`src/lib.rs`).
fn main() {
    scaleplay::start();
}
