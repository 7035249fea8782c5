#![no_main]
//! See `stampede::fuzzing::scenario`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        stampede::fuzzing::scenario(text);
    }
});
