//! The workflow type (`stampede::MachineType`) as a shard file names it.
//! STANDARD is AWS's default; every other type is saved as EXPRESS.

use stampede::MachineType;

/// `STANDARD` or `EXPRESS`, as a shard file saves it.
pub(crate) fn name(t: MachineType) -> &'static str {
    t.as_str()
}

/// The type a shard file names (`EXPRESS`; anything else is STANDARD).
pub(crate) fn from_name(name: Option<&str>) -> MachineType {
    match name {
        Some("EXPRESS") => MachineType::Express,
        _ => MachineType::Standard,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in [MachineType::Standard, MachineType::Express] {
            assert_eq!(from_name(Some(name(t))), t);
        }
        assert_eq!(from_name(None), MachineType::Standard);
    }
}
