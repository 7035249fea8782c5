#![no_main]
//! See `stampede_server::fuzzing::requests`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    stampede_server::fuzzing::requests(data);
});
