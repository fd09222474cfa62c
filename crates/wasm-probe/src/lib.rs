//! A tiny C-ABI wrapper around [`scaleplay_sim::run_json`], so a test can run the engine as
//! WebAssembly under Node with no wasm-bindgen and compare its report with the native CLI's.
//!
//! Protocol (all lengths in bytes; the host owns nothing but copies):
//! 1. `ptr = probe_alloc(len)`, write the scenario JSON (UTF-8) into `memory[ptr..ptr+len]`;
//! 2. `n = probe_run(ptr, len, seed_lo, seed_hi, has_seed)` runs it; the seed is the `u64`
//!    `seed_hi << 32 | seed_lo`, used only when `has_seed != 0`;
//! 3. the result is `memory[probe_result_ptr()..+n]`: the report JSON, or `ERROR: <message>`;
//!    it stays valid until the next `probe_run`;
//! 4. `probe_free(ptr, len)` releases the input buffer.
//!
//! It builds natively as well (it is a workspace member, so clippy and tests see it).

use std::sync::Mutex;

/// The last result. wasm32-unknown-unknown is single-threaded; the mutex only makes the static
/// `Sync` for native builds.
static RESULT: Mutex<String> = Mutex::new(String::new());

/// Allocates `len` zeroed bytes for the host to write into; release with [`probe_free`].
#[no_mangle]
pub extern "C" fn probe_alloc(len: usize) -> *mut u8 {
    Box::into_raw(vec![0u8; len].into_boxed_slice()).cast::<u8>()
}

/// Releases a buffer from [`probe_alloc`].
///
/// # Safety
/// `ptr` and `len` must come from one [`probe_alloc`] call, and the buffer must not be used after.
#[no_mangle]
pub unsafe extern "C" fn probe_free(ptr: *mut u8, len: usize) {
    // SAFETY: per the contract above, this is exactly the boxed slice `probe_alloc` leaked.
    drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) });
}

/// Runs the scenario JSON in `ptr[..len]` and returns the length of the result text.
///
/// # Safety
/// `ptr[..len]` must be readable (a buffer from [`probe_alloc`] of at least `len` bytes).
#[no_mangle]
pub unsafe extern "C" fn probe_run(
    ptr: *const u8,
    len: usize,
    seed_lo: u32,
    seed_hi: u32,
    has_seed: u32,
) -> u32 {
    // SAFETY: per the contract above, `ptr[..len]` is readable and the host doesn't touch it
    // while we run (the module is single-threaded).
    let input = unsafe { std::slice::from_raw_parts(ptr, len) };
    let seed = (has_seed != 0).then(|| (u64::from(seed_hi) << 32) | u64::from(seed_lo));
    let text = run(input, seed);
    let mut result = RESULT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    *result = text;
    // Scenario reports are far below 4 GiB, and wasm32 memory cannot exceed it anyway.
    u32::try_from(result.len()).unwrap_or(u32::MAX)
}

/// Where the text of the last [`probe_run`] starts; valid until the next `probe_run`.
#[no_mangle]
pub extern "C" fn probe_result_ptr() -> *const u8 {
    let result = RESULT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // The pointer outlives the guard: the String's heap buffer stays put until RESULT is
    // reassigned, which only `probe_run` does.
    result.as_ptr()
}

/// The safe core: scenario bytes in, report (or `ERROR: ...`) out.
pub fn run(input: &[u8], seed: Option<u64>) -> String {
    let json = match std::str::from_utf8(input) {
        Ok(json) => json,
        Err(err) => return format!("ERROR: scenario is not valid UTF-8: {err}"),
    };
    match scaleplay_sim::run_json(json, seed) {
        Ok(report) => report,
        Err(err) => format!("ERROR: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drives the exported functions the way `tests/wasm/run.mjs` does.
    fn via_abi(input: &[u8], seed: Option<u64>) -> String {
        let ptr = probe_alloc(input.len());
        // SAFETY: `ptr` is a fresh `input.len()`-byte buffer from `probe_alloc`, freed once below.
        unsafe {
            std::ptr::copy_nonoverlapping(input.as_ptr(), ptr, input.len());
            let (has_seed, seed) = (u32::from(seed.is_some()), seed.unwrap_or(0));
            // Split like the JS side does: low and high 32 bits.
            let n = probe_run(ptr, input.len(), seed as u32, (seed >> 32) as u32, has_seed);
            probe_free(ptr, input.len());
            let out = std::slice::from_raw_parts(probe_result_ptr(), n as usize);
            String::from_utf8(out.to_vec()).expect("results are built from Strings")
        }
    }

    #[test]
    fn bad_input_comes_back_as_error_text() {
        assert!(via_abi(b"not json", None).starts_with("ERROR: "));
        assert!(via_abi(&[0xff, 0xfe], None).starts_with("ERROR: scenario is not valid UTF-8"));
        assert!(via_abi(b"", Some(1)).starts_with("ERROR: "));
    }

    #[test]
    fn abi_result_equals_run_json_for_a_preset() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scenarios/01-single-server.json"
        );
        let json = std::fs::read_to_string(path).expect("the single-server preset exists");
        let seed = 42u64 | (7 << 40); // exercises both halves of the seed
        let expected = scaleplay_sim::run_json(&json, Some(seed)).expect("the preset is valid");
        assert_eq!(via_abi(json.as_bytes(), Some(seed)), expected);
    }
}
