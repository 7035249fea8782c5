//! The workflow type (`stampede::MachineType`) in the two other forms the
//! CLI needs: the parser's option, and its name in a shard file. STANDARD
//! is the parser's and AWS's default; every other type parses as EXPRESS.

use stampede::asl::{self, ParseOptions};
use stampede::MachineType;

/// The parser's workflow type for `t`.
pub(crate) fn to_asl(t: MachineType) -> asl::MachineType {
    match t {
        MachineType::Standard => asl::MachineType::Standard,
        _ => asl::MachineType::Express,
    }
}

/// Parse options for a definition of type `t`.
pub(crate) fn parse_options(t: MachineType) -> ParseOptions {
    ParseOptions {
        machine_type: to_asl(t),
    }
}

/// `STANDARD` or `EXPRESS`, as a shard file saves it.
pub(crate) fn name(t: MachineType) -> &'static str {
    match to_asl(t) {
        asl::MachineType::Standard => "STANDARD",
        _ => "EXPRESS",
    }
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
