//! `stampede validate DEFINITION.json [--json]`

use crate::input::read_bytes;
use crate::output::emit;
use anyhow::Result;
use serde_json::{json, Value};
use stampede::{Diagnostic, Diagnostics, MachineType};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The state machine definition (ASL JSON); `-` reads stdin.
    definition: PathBuf,
    /// Print the result in the shape of AWS's ValidateStateMachineDefinition.
    #[arg(long)]
    json: bool,
}

pub(crate) fn main(args: &Args) -> Result<ExitCode> {
    let bytes = read_bytes(&args.definition)?;
    let diags = match String::from_utf8(bytes) {
        Ok(text) => check(&text),
        Err(e) => Diagnostics(vec![Diagnostic::error(
            "INVALID_JSON_DESCRIPTION",
            "",
            format!(
                "definition is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )]),
    };
    if args.json {
        emit(&format!("{}\n", to_json(&diags)))?;
    } else if diags.0.is_empty() {
        emit("valid\n")?;
    } else {
        emit(&diags.to_string())?;
    }
    Ok(if diags.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Every problem in `text` (ValidateStateMachineDefinition's view: a
/// `Resource` no handler is registered for is not a problem of the definition).
fn check(text: &str) -> Diagnostics {
    stampede::validate(text, MachineType::Standard)
}

/// The ValidateStateMachineDefinition response shape; `location` is left
/// out where there is none, as AWS does.
fn to_json(diags: &Diagnostics) -> Value {
    let list: Vec<Value> = diags
        .0
        .iter()
        .map(|d| {
            let mut o = json!({
                "severity": d.severity.as_str(),
                "code": d.code,
                "message": d.message,
            });
            if !d.location.is_empty() {
                o["location"] = Value::from(d.location.as_str());
            }
            o
        })
        .collect();
    json!({
        "result": if diags.has_errors() { "FAIL" } else { "OK" },
        "diagnostics": list,
        "truncated": false,
    })
}
