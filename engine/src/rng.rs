//! The one SplitMix64 step every seeded stream in the crate is built on
//! (intrinsic `States.MathRandom` seeds, fiber entropy, batch seeds).

/// Advances `state` by the golden-ratio increment and returns the mixed
/// output: one step of SplitMix64 (Steele, Lea and Flood, 2014).
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::splitmix64;

    #[test]
    fn known_values() {
        // The reference sequence for seed 0 (Vigna's splitmix64.c).
        let mut s = 0;
        assert_eq!(splitmix64(&mut s), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(&mut s), 0x6E78_9E6A_A1B9_65F4);
    }
}
