//! What `inspectionData` shows: the value after each I/O op, kept as the
//! ops run, and the fields AWS shows for each type of state (as recorded:
//! they differ by type, and a JSONata state shows few).

use super::response::{ErrorDetails, InspectionData};
use crate::bytecode::Op;
use crate::json::Val;
use crate::vm::Probe;

/// Values seen while the state's ops ran.
#[derive(Default)]
pub(super) struct Seen {
    pub(super) after_input_path: Option<Val>,
    pub(super) after_parameters: Option<Val>,
    pub(super) after_arguments: Option<Val>,
    pub(super) after_items_path: Option<Val>,
    pub(super) result: Option<Val>,
    pub(super) result_is_const: bool,
    /// The task call was reached (whether or not it failed).
    pub(super) invoked: bool,
    pub(super) after_result_selector: Option<Val>,
    pub(super) after_result_path: Option<Val>,
    pub(super) max_concurrency: Option<u64>,
    pub(super) tolerated_count: Option<u64>,
    pub(super) tolerated_percentage: Option<f64>,
    pub(super) details: Option<ErrorDetails>,
}

/// Keeps the value an I/O op produced.
pub(super) fn record(p: &Probe<'_>, op: Op, ok: bool, seen: &mut Seen) {
    if !ok {
        return;
    }
    match op {
        Op::InputPath(_) | Op::InputNull => seen.after_input_path = Some(p.cur()),
        Op::Parameters(_) => seen.after_parameters = Some(p.cur()),
        Op::Arguments(_) => seen.after_arguments = Some(p.cur()),
        Op::ResultConst(_) => {
            seen.result = Some(p.result());
            seen.result_is_const = true;
        }
        Op::Invoke(_) => seen.result = Some(p.result()),
        Op::ResultIsInput | Op::Map(_) | Op::Parallel(_) => {
            seen.after_result_selector = Some(p.result());
        }
        Op::ResultSelector(_) => seen.after_result_selector = Some(p.result()),
        Op::ResultPath(_) | Op::ResultRoot | Op::ResultDiscard => {
            seen.after_result_path = Some(p.cur());
        }
        _ => {}
    }
}

/// AWS's inspection data for a state of type `ty` (as recorded: which
/// fields each type shows differs, and a JSONata state shows few).
pub(super) fn inspection(p: &mut Probe<'_>, ty: &str, jsonata: bool, s: &Seen) -> InspectionData {
    let raw = p.raw();
    let vars = p.vars();
    let d = p.doc();
    let text = |v: Option<Val>| v.map(|v| d.to_json(v));
    let mut out = InspectionData {
        input: Some(d.to_json(raw)),
        error_details: s.details.clone(),
        ..InspectionData::default()
    };
    if d.as_object(vars).is_some_and(|o| !o.is_empty()) {
        out.variables = Some(d.to_json(vars));
    }
    let after_input = s.after_input_path.or(Some(raw));
    match (ty, jsonata) {
        ("Task", false) => {
            if s.invoked || s.after_parameters.is_some() {
                out.after_input_path = text(after_input);
            } else {
                out.after_input_path = text(s.after_input_path);
            }
            if s.invoked {
                out.after_parameters = text(s.after_parameters.or(after_input));
            } else {
                out.after_parameters = text(s.after_parameters);
            }
            out.result = text(s.result);
            out.after_result_selector = text(s.after_result_selector.or(s.result));
            out.after_result_path = text(s.after_result_path);
        }
        ("Task", true) => {
            out.after_arguments = text(s.after_arguments);
            out.result = text(s.result);
        }
        ("Pass", false) if s.result_is_const => {
            out.result = text(s.result);
            out.after_result_selector = text(s.result);
            out.after_result_path = text(s.after_result_path);
        }
        ("Pass", false) => {
            out.after_input_path = text(after_input);
            out.after_parameters = text(s.after_parameters.or(after_input));
            out.after_result_selector = text(s.after_result_selector);
            out.after_result_path = text(s.after_result_path);
        }
        ("Choice" | "Succeed" | "Fail" | "Wait", false) => out.after_input_path = text(after_input),
        ("Map", _) => {
            if !jsonata {
                out.after_input_path = text(after_input);
                out.after_items_path = text(s.after_items_path);
                out.after_result_selector = text(s.after_result_selector);
                out.after_result_path = text(s.after_result_path);
            }
            out.max_concurrency = s.max_concurrency;
            out.tolerated_failure_count = s.tolerated_count.filter(|_| s.max_concurrency.is_some());
            out.tolerated_failure_percentage = s
                .tolerated_percentage
                .filter(|_| s.max_concurrency.is_some());
        }
        ("Parallel", false) => {
            out.after_result_selector = text(s.after_result_selector);
            out.after_result_path = text(s.after_result_path);
        }
        _ => {}
    }
    out
}
