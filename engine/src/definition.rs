//! A definition parsed and validated once, for one machine type: what
//! `stampede validate` reports, what the simulation report draws its graph
//! from, and what an [`crate::Engine`] compiles.

use crate::asl::{self, Diagnostics, StateMachine};
use crate::machine_type::MachineType;

/// A validated state machine definition (the typed model stays inside).
#[derive(Debug, Clone)]
pub struct Definition {
    machine: StateMachine,
    warnings: Diagnostics,
    machine_type: MachineType,
}

impl Definition {
    /// Parses and validates `text` (ASL JSON) for a machine of `machine_type`.
    ///
    /// # Errors
    /// Every problem in the definition, each with its JSON pointer and AWS's code.
    pub fn parse(text: &str, machine_type: MachineType) -> Result<Definition, Diagnostics> {
        let (machine, warnings) = asl::validate(text, machine_type)?;
        Ok(Definition {
            machine,
            warnings,
            machine_type,
        })
    }

    /// Problems that do not make the definition invalid (AWS's `WARNING`s).
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// The machine type it was validated for.
    pub fn machine_type(&self) -> MachineType {
        self.machine_type
    }

    /// Names of its top-level states, in definition order.
    pub fn state_names(&self) -> Vec<&str> {
        self.machine
            .block
            .states
            .iter()
            .map(|s| s.name.as_str())
            .collect()
    }

    /// The typed model, for the compiler and the report's graph.
    pub(crate) fn state_machine(&self) -> &StateMachine {
        &self.machine
    }
}

/// What AWS's ValidateStateMachineDefinition reports for `text`: every error
/// (empty when the definition is valid) followed by its warnings. Resources
/// are not checked against handlers: that is the engine's business.
pub fn validate(text: &str, machine_type: MachineType) -> Diagnostics {
    match Definition::parse(text, machine_type) {
        Err(errors) => errors,
        Ok(def) => {
            let mut all = def.warnings.clone();
            let mut echo = crate::handlers::Registry::default();
            echo.register("*", std::sync::Arc::new(crate::handlers::echo()));
            if let Err(errors) = crate::compile::compile(&def.machine, &echo) {
                for e in errors.0 {
                    if !all.0.contains(&e) {
                        all.0.push(e);
                    }
                }
            }
            all
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_once_and_reports_every_problem() {
        let ok = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#;
        let d = Definition::parse(ok, MachineType::Standard).unwrap();
        assert_eq!(d.state_names(), ["A"]);
        assert!(d.warnings().0.is_empty());
        assert!(!validate(ok, MachineType::Standard).has_errors());
        let bad = r#"{"StartAt":"B","States":{"A":{"Type":"Pass"}}}"#;
        let e = validate(bad, MachineType::Standard);
        assert!(e.0.len() >= 2, "{e:?}");
        assert!(e.0.iter().all(|d| d.location.starts_with('/')), "{e:?}");
    }

    #[test]
    fn express_rules_apply_to_express_definitions() {
        let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","End":true}}}"#;
        assert!(Definition::parse(def, MachineType::Standard).is_ok());
        assert!(Definition::parse(def, MachineType::Express).is_err());
    }
}
