//! Task resources of a definition, and scenario keys that match none of them.

use super::reader::{ptr_key, UNMATCHED_RESOURCE};
use super::Scenario;
use crate::asl::{Block, Diagnostic, StateKind};
use crate::definition::Definition;
use crate::sim::resource::matches;

/// Every Task `Resource` of a definition (Parallel branches and Map
/// processors included), each once, in document order.
pub fn task_resources(definition: &Definition) -> Vec<String> {
    let mut out = Vec::new();
    walk(&definition.state_machine().block, &mut out);
    out
}

fn walk(block: &Block, out: &mut Vec<String>) {
    for state in &block.states {
        match &state.kind {
            StateKind::Task(t) if !out.contains(&t.resource) => out.push(t.resource.clone()),
            StateKind::Parallel(p) => p.branches.iter().for_each(|b| walk(b, out)),
            StateKind::Map(m) => walk(&m.processor, out),
            _ => {}
        }
    }
}

/// One error per `resources` key that matches none of `task_resources`
/// (at `/resources/<key>`, code [`UNMATCHED_RESOURCE`]).
pub fn check_resources(scenario: &Scenario, task_resources: &[String]) -> Vec<Diagnostic> {
    scenario
        .resources
        .iter()
        .filter(|m| {
            !task_resources
                .iter()
                .any(|r| matches(&m.pattern, r).is_some())
        })
        .map(|m| {
            Diagnostic::error(
                UNMATCHED_RESOURCE,
                ptr_key("/resources", &m.key),
                "matches no Task Resource in the definition",
            )
        })
        .collect()
}
