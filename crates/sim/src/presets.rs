//! The ten built-in scenarios of the scaling journey (PRODUCT.md §1), embedded from
//! `scenarios/` so the CLI, the app and the tests load the very same files.

/// One preset: its file name and JSON text.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    /// File name, e.g. `01-single-server.json`.
    pub file: &'static str,
    /// The scenario JSON.
    pub json: &'static str,
}

macro_rules! preset {
    ($file:literal) => {
        Preset {
            file: $file,
            json: include_str!(concat!("../../../scenarios/", $file)),
        }
    };
}

/// Every preset, in journey order.
pub fn all() -> [Preset; 10] {
    [
        preset!("01-single-server.json"),
        preset!("02-separate-tiers.json"),
        preset!("03-load-balancer.json"),
        preset!("04-replication.json"),
        preset!("05-cache-cdn.json"),
        preset!("06-stateless.json"),
        preset!("07-multi-dc.json"),
        preset!("08-queue-workers.json"),
        preset!("09-sharding.json"),
        preset!("10-millions.json"),
    ]
}

/// The preset whose file name starts with `prefix` (e.g. `"03"`).
pub fn find(prefix: &str) -> Option<Preset> {
    all().into_iter().find(|p| p.file.starts_with(prefix))
}
