//! A Distributed Map Run's failure tolerance and AWS's threshold rule.

/// A Map Run's failure tolerance: it fails when more than `count` children
/// fail, or more than `percentage` percent of them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Tolerance {
    pub(crate) count: u64,
    pub(crate) percentage: f64,
}

impl Tolerance {
    /// An inline Map's: none is tolerated (its first failure fails the state anyway).
    pub(crate) const NONE: Tolerance = Tolerance {
        count: 0,
        percentage: f64::INFINITY,
    };

    /// Whether `failed` of `total` children is past the threshold. AWS: the
    /// Map Run fails when the failed items exceed `ToleratedFailureCount` or
    /// their share of all items exceeds `ToleratedFailurePercentage`
    /// (docs: state-map-distributed.html, "Setting failure thresholds").
    pub(crate) fn exceeded(&self, failed: u64, total: u64) -> bool {
        failed > self.count || (total > 0 && failed as f64 * 100.0 / total as f64 > self.percentage)
    }
}

#[cfg(test)]
mod tests {
    use super::Tolerance;

    #[test]
    fn the_threshold_is_exceeded_only_past_it() {
        let none = Tolerance::NONE;
        assert!(!none.exceeded(0, 10));
        assert!(none.exceeded(1, 10));
        let count = Tolerance {
            count: 2,
            percentage: f64::INFINITY,
        };
        assert!(!count.exceeded(2, 3));
        assert!(count.exceeded(3, 3));
        let pct = Tolerance {
            count: u64::MAX,
            percentage: 25.0,
        };
        assert!(!pct.exceeded(1, 4), "25% is not past 25%");
        assert!(pct.exceeded(2, 4));
        let both = Tolerance {
            count: 1,
            percentage: 50.0,
        };
        assert!(both.exceeded(2, 100), "the count alone");
        assert!(both.exceeded(1, 1), "the share alone");
    }
}
