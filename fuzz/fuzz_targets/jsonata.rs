#![no_main]
//! See `stampede::fuzzing::jsonata`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        stampede::fuzzing::jsonata(text);
    }
});
