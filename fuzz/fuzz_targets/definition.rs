#![no_main]
//! See `stampede::fuzzing::definition`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    stampede::fuzzing::definition(data);
});
