//! The state under test as a machine of its own: found in a whole
//! definition by name (at any depth), or given alone, and wrapped as the
//! only real state of a tiny machine named as AWS names it (`StateName`),
//! with a `Succeed` stand-in for every state it can go to, so that the
//! engine's own validator and compiler take it unchanged.

use super::error::TestStateError;
use serde_json::{json, Map, Value};

/// The name AWS gives the tested state (its pointers read `/States/StateName/…`,
/// and `$$.State.Name` is `StateName`).
pub(crate) const STATE_NAME: &str = "StateName";

/// The tested state and the machine built around it.
#[derive(Debug)]
pub(crate) struct Extracted {
    /// The state's JSON object, as written.
    pub(crate) state: Value,
    /// The one-state machine (JSON text) to validate and compile.
    pub(crate) machine: String,
}

/// Finds the state to test in `definition` (a state, or a machine with
/// `state_name`, default its `StartAt`) and wraps it.
///
/// # Errors
/// `InvalidDefinition` for text that is not a JSON object or a machine that
/// is invalid (every problem); `ValidationException` for an unknown state name.
pub(crate) fn extract(
    definition: &str,
    state_name: Option<&str>,
) -> Result<Extracted, TestStateError> {
    let v: Value = serde_json::from_str(definition).map_err(|e| {
        TestStateError::invalid_definition(&format!(
            "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: {e}'"
        ))
    })?;
    let Some(obj) = v.as_object() else {
        return Err(TestStateError::invalid_definition(
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The definition must be a JSON object'",
        ));
    };
    let (state, language) = if obj.contains_key("States") {
        crate::asl::validate(definition, crate::MachineType::Standard)
            .map_err(TestStateError::from_diagnostics)?;
        let name = state_name
            .or_else(|| obj.get("StartAt").and_then(Value::as_str))
            .unwrap_or_default();
        let found = find(&v, name)
            .ok_or_else(|| TestStateError::validation("State not found in definition"))?;
        (found.clone(), obj.get("QueryLanguage").cloned())
    } else {
        (v.clone(), None)
    };
    let mut states = Map::new();
    states.insert(STATE_NAME.into(), runnable(&state));
    for t in targets(&state) {
        if t != STATE_NAME {
            states.insert(t, json!({"Type": "Succeed"}));
        }
    }
    let mut machine = Map::new();
    if let Some(l) = language {
        machine.insert("QueryLanguage".into(), l);
    }
    machine.insert("StartAt".into(), json!(STATE_NAME));
    machine.insert("States".into(), Value::Object(states));
    Ok(Extracted {
        state,
        machine: Value::Object(machine).to_string(),
    })
}

/// The Distributed Map fields TestState reads itself (its Map's children
/// never run: the mock stands in for them), left out of the machine the
/// engine compiles, which does not run them yet.
const READ_BY_TESTSTATE: &[&str] = &[
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
];

/// The state as the engine compiles it (see [`READ_BY_TESTSTATE`]).
fn runnable(state: &Value) -> Value {
    let mut s = state.clone();
    if let (Some(o), Some("Map")) = (s.as_object_mut(), state.get("Type").and_then(Value::as_str)) {
        for f in READ_BY_TESTSTATE {
            o.remove(*f);
        }
    }
    s
}

/// The state named `name` in machine `m`, at any depth (Parallel branches, Map processors).
fn find<'a>(m: &'a Value, name: &str) -> Option<&'a Value> {
    let states = m.get("States")?.as_object()?;
    if let Some(s) = states.get(name) {
        return Some(s);
    }
    states.values().find_map(|s| {
        let branches = s.get("Branches").and_then(Value::as_array);
        let nested = branches.into_iter().flatten().find_map(|b| find(b, name));
        nested.or_else(|| {
            ["ItemProcessor", "Iterator"]
                .iter()
                .find_map(|k| s.get(*k).and_then(|p| find(p, name)))
        })
    })
}

/// Every state name the state can go to: `Next`, `Default`, each Choice
/// rule's and each catcher's `Next`.
fn targets(state: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |v: Option<&Value>| {
        if let Some(s) = v.and_then(Value::as_str) {
            if !out.iter().any(|o| o == s) {
                out.push(s.to_owned());
            }
        }
    };
    add(state.get("Next"));
    add(state.get("Default"));
    for list in ["Choices", "Catch"] {
        for item in state
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            add(item.get("Next"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_a_single_state_with_stand_ins_for_its_targets() {
        let e = extract(
            r#"{"Type":"Task","Resource":"x","Catch":[{"ErrorEquals":["E"],"Next":"H"}],"Next":"N"}"#,
            None,
        )
        .unwrap();
        let m: Value = serde_json::from_str(&e.machine).unwrap();
        assert_eq!(m["StartAt"], "StateName");
        assert_eq!(m["States"]["N"], json!({"Type": "Succeed"}));
        assert_eq!(m["States"]["H"], json!({"Type": "Succeed"}));
        assert_eq!(e.state["Resource"], "x");
    }

    #[test]
    fn finds_a_nested_state_and_keeps_the_query_language() {
        let def = r#"{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",
            "ItemProcessor":{"StartAt":"In","States":{"In":{"Type":"Pass","End":true}}},"End":true}}}"#;
        let e = extract(def, Some("In")).unwrap();
        let m: Value = serde_json::from_str(&e.machine).unwrap();
        assert_eq!(m["QueryLanguage"], "JSONata");
        assert_eq!(m["States"]["StateName"]["Type"], "Pass");
        let missing = extract(def, Some("Nope")).unwrap_err();
        assert_eq!(missing.message, "State not found in definition");
    }

    #[test]
    fn an_invalid_machine_reports_every_problem() {
        let e = extract(
            r#"{"StartAt":"A","States":{"A":{"Type":"Nope","End":true},"B":{"Type":"Pass","Next":"Z"}}}"#,
            Some("A"),
        )
        .unwrap_err();
        assert!(e.diagnostics.0.len() >= 2, "{:?}", e.diagnostics);
        assert!(e.message.starts_with("Invalid State Machine Definition: '"));
    }
}
