//! A small, fast, seedable, portable PRNG: xoshiro256++ streams seeded by
//! SplitMix64, with [`Rng::split`] deriving independent streams from a key.
//!
//! Streams are addressed, not drawn: `root.split(EXECUTIONS).split(seq)` is
//! the same generator whatever was drawn from `root` before and on whichever
//! thread it is made, so a simulation is deterministic on any number of
//! workers. The stream ids the simulator uses are in [`streams`].

/// Stream ids under the scenario's root generator (`Rng::new(seed)`).
pub mod streams {
    /// Arrival times (one stream for the whole run).
    pub const ARRIVALS: u64 = 1;
    /// Per-execution streams: `root.split(EXECUTIONS).split(seq)`.
    pub const EXECUTIONS: u64 = 2;
    /// Per-resource streams: `root.split(RESOURCES).split(resource_index)`.
    pub const RESOURCES: u64 = 3;
    /// Under an execution's stream: its input (`$$.Sim.Random`, template entropy).
    pub const INPUT: u64 = 1;
    /// Under an execution's stream: `States.MathRandom` / `States.UUID` / retry jitter.
    pub const ENTROPY: u64 = 2;
    /// Under an execution's stream: task latencies and injected errors, in program order.
    pub const TASKS: u64 = 3;
    /// Closed-loop think times: `root.split(THINK)`.
    pub const THINK: u64 = 4;
}

pub(crate) use crate::rng::splitmix64;

/// A xoshiro256++ generator that remembers the key it was made from, so it can
/// be split into child streams independently of how much was drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    s: [u64; 4],
    key: u64,
}

impl Rng {
    /// The generator for `seed` (the scenario's root generator).
    pub fn new(seed: u64) -> Rng {
        let mut sm = seed;
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        // SplitMix64 never yields four zero words from one seed, but be safe:
        // the all-zero state is xoshiro's only fixed point.
        let s = if s == [0; 4] { [1, 0, 0, 0] } else { s };
        Rng { s, key: seed }
    }

    /// An independent child stream: a pure function of this generator's key
    /// and `stream`, whatever has been drawn from `self`.
    pub fn split(&self, stream: u64) -> Rng {
        let mut sm = self.key ^ 0x5851_F42D_4C95_7F2D;
        let a = splitmix64(&mut sm);
        let mut sm2 = a ^ stream.wrapping_mul(0xD6E8_FEB8_6659_FD93);
        Rng::new(splitmix64(&mut sm2))
    }

    /// The next 64 random bits (xoshiro256++).
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let out = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        out
    }

    /// A float in `[0, 1)` with 53 random bits.
    #[inline]
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A float in `(0, 1]`: safe to take the logarithm of.
    #[inline]
    pub fn next_f64_open0(&mut self) -> f64 {
        1.0 - self.next_f64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro_reference_step() {
        // Reference: xoshiro256++ from state [1, 2, 3, 4] first yields rotl(1 + 4, 23) + 1.
        let mut r = Rng {
            s: [1, 2, 3, 4],
            key: 0,
        };
        assert_eq!(r.next_u64(), 41_943_041);
    }

    #[test]
    fn golden_values() {
        let mut r = Rng::new(42);
        let got: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        assert_eq!(got, GOLDEN_42);
        let mut c = Rng::new(42).split(7);
        assert_eq!(c.next_u64(), GOLDEN_42_SPLIT_7);
    }

    const GOLDEN_42: [u64; 3] = [
        15_021_278_609_987_233_951,
        5_881_210_131_331_364_753,
        18_149_643_915_985_481_100,
    ];
    const GOLDEN_42_SPLIT_7: u64 = 16_337_967_295_783_965_652;

    #[test]
    fn split_ignores_draws_and_differs_by_id() {
        let root = Rng::new(9);
        let mut drawn = root.clone();
        drawn.next_u64();
        assert_eq!(root.split(3), drawn.split(3));
        assert_ne!(root.split(3).next_u64(), root.split(4).next_u64());
        assert_ne!(
            root.split(3).split(0).next_u64(),
            root.split(0).split(3).next_u64()
        );
    }

    #[test]
    fn floats_in_range() {
        let mut r = Rng::new(1);
        for _ in 0..10_000 {
            let f = r.next_f64();
            assert!((0.0..1.0).contains(&f));
            let g = r.next_f64_open0();
            assert!(g > 0.0 && g <= 1.0);
        }
    }
}
