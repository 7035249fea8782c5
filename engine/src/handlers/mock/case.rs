//! Choosing what an execution runs with: the state machine (named, or the
//! only one in the file), its test case (named, or the only one), and the
//! mocked response of each state that test case names.

use super::error::{child, MockProblem, MockProblemKind as K};
use super::read::MockFile;
use super::response::Response;
use std::sync::Arc;

/// The mocked states of one test case of one state machine.
#[derive(Debug)]
pub(crate) struct TestCase {
    /// The state machine's name in the file.
    pub(crate) machine: String,
    /// The test case's name.
    pub(crate) name: String,
    /// The mocked states, sorted by state name.
    pub(crate) states: Vec<MockedState>,
}

/// A state of the test case and its mocked response.
#[derive(Debug)]
pub(crate) struct MockedState {
    pub(crate) state: String,
    pub(crate) response_name: String,
    pub(crate) response: Arc<Response>,
}

impl TestCase {
    /// The index of `state` in [`TestCase::states`], if the test case mocks it.
    pub(crate) fn slot(&self, state: &str) -> Option<usize> {
        self.states
            .binary_search_by(|s| s.state.as_str().cmp(state))
            .ok()
    }
}

/// The test case `case` of the state machine `machine` (either may be left
/// out when the file has just one), or the problems in choosing it.
pub(crate) fn choose(
    file: &MockFile,
    machine: Option<&str>,
    case: Option<&str>,
    out: &mut Vec<MockProblem>,
) -> Option<TestCase> {
    let at = "/StateMachines".to_owned();
    let machines = file.machines.as_ref()?;
    let known = || machines.iter().map(|m| m.name.clone()).collect::<Vec<_>>();
    let m = match machine {
        Some(name) => machines.iter().find(|m| m.name == name),
        None if machines.len() == 1 => machines.first(),
        None => None,
    };
    let Some(m) = m else {
        let kind = match machine {
            Some(name) => K::UnknownStateMachine {
                name: name.to_owned(),
                known: known(),
            },
            None => K::StateMachineNotChosen { known: known() },
        };
        out.push(MockProblem { pointer: at, kind });
        return None;
    };
    let cases = m.cases.as_ref()?;
    let at = child(&child(&at, &m.name), "TestCases");
    let known = || cases.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    let c = match case {
        Some(name) => cases.iter().find(|c| c.name == name),
        None if cases.len() == 1 => cases.first(),
        None => None,
    };
    let Some(c) = c else {
        let kind = match case {
            Some(name) => K::UnknownTestCase {
                name: name.to_owned(),
                known: known(),
            },
            None => K::TestCaseNotChosen { known: known() },
        };
        out.push(MockProblem { pointer: at, kind });
        return None;
    };
    let at = child(&at, &c.name);
    let mut states = Vec::with_capacity(c.states.len());
    for (state, response_name) in &c.states {
        match file.responses.get(response_name) {
            Some(r) => states.push(MockedState {
                state: state.clone(),
                response_name: response_name.clone(),
                response: Arc::clone(r),
            }),
            None => out.push(MockProblem {
                pointer: child(&at, state),
                kind: K::UnknownResponse {
                    name: response_name.clone(),
                },
            }),
        }
    }
    states.sort_by(|a, b| a.state.cmp(&b.state));
    Some(TestCase {
        machine: m.name.clone(),
        name: c.name.clone(),
        states,
    })
}
