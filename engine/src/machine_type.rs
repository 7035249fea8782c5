//! The workflow type of a state machine: one enum for validation (Express
//! machines may not use `.sync`, `.waitForTaskToken` or activities), the
//! context object's ARNs, the 5-minute Express limit and the cost model.

/// The workflow type of a state machine, and how an Express one was started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum MachineType {
    /// `STANDARD` (default).
    #[default]
    Standard,
    /// `EXPRESS`, started asynchronously (StartExecution).
    Express,
    /// `EXPRESS`, started with StartSyncExecution (no `$$.Execution.RedriveCount`).
    ExpressSync,
}

impl MachineType {
    /// Whether it is an Express machine (either way of starting it).
    pub fn is_express(self) -> bool {
        self != MachineType::Standard
    }

    /// `"STANDARD"` or `"EXPRESS"`, as AWS names the type.
    pub fn as_str(self) -> &'static str {
        if self.is_express() {
            "EXPRESS"
        } else {
            "STANDARD"
        }
    }

    /// Reads `STANDARD` / `EXPRESS` (any case; `express_sync` for StartSyncExecution).
    pub fn parse(s: &str) -> Option<MachineType> {
        match s.to_ascii_lowercase().as_str() {
            "standard" => Some(MachineType::Standard),
            "express" => Some(MachineType::Express),
            "express_sync" | "express-sync" => Some(MachineType::ExpressSync),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MachineType;

    #[test]
    fn names_round_trip() {
        assert_eq!(MachineType::parse("STANDARD"), Some(MachineType::Standard));
        assert_eq!(MachineType::parse("express"), Some(MachineType::Express));
        assert_eq!(MachineType::parse("batch"), None);
        assert!(MachineType::ExpressSync.is_express());
        assert_eq!(MachineType::ExpressSync.as_str(), "EXPRESS");
        assert!(!MachineType::default().is_express());
    }
}
