#![no_main]
//! See `stampede::fuzzing::mock`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    stampede::fuzzing::mock(data);
});
