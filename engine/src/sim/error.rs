//! The errors of building simulation parts outside a scenario file (inside
//! one, the scenario reader reports them as diagnostics at their pointer).

use std::fmt;

/// An empirical latency table that cannot be built
/// ([`super::Empirical::from_percentiles`]).
#[derive(Clone, Debug, PartialEq)]
pub enum EmpiricalError {
    /// p0 or p100 is absent: `{"p50": 10, "p100": 20}`.
    MissingEnds,
    /// A percentile is given twice: `[(0, 1), (0, 1), (100, 2)]`.
    Repeated {
        /// The percentile, in [0, 100].
        percentile: f64,
    },
    /// A value is below the one before it: `{"p0": 3, "p100": 2}`.
    Decreasing {
        /// The percentile whose value is too small, and that value.
        at: (f64, f64),
        /// The percentile before it, and its value.
        before: (f64, f64),
    },
}

impl fmt::Display for EmpiricalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingEnds => f.write_str("must include p0 and p100"),
            Self::Repeated { percentile } => write!(f, "percentile p{percentile} is given twice"),
            Self::Decreasing { at, before } => write!(
                f,
                "values must not decrease: p{} = {} is below p{} = {}",
                at.0, at.1, before.0, before.1
            ),
        }
    }
}

impl std::error::Error for EmpiricalError {}
