//! The simulated clock: milliseconds since the start of the run (`f64`), and
//! the VM's wall-clock form of the same instant (ms since the Unix epoch).

/// Start of the simulated clock: 2025-01-01T00:00:00Z (so outputs that
/// show times are the same on every run).
pub const SIM_EPOCH_MS: i64 = 1_735_689_600_000;

/// Simulated time `t` (ms since the start) as the VM's clock reading.
pub(crate) fn vm_ms(t: f64) -> i64 {
    t as i64 + SIM_EPOCH_MS
}

/// The VM's clock reading `ms` as simulated time (ms since the start).
pub(crate) fn sim_ms(ms: i64) -> f64 {
    (ms - SIM_EPOCH_MS) as f64
}
