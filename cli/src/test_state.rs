//! `stampede test-state DEF [--state-name NAME] [--input JSON|@FILE] …`:
//! one state tested as AWS's TestState API tests it; prints the response
//! (`status`, `output`, `error`, `cause`, `nextState`, `inspectionData`)
//! as one line of JSON.

use crate::input::{read_bytes, utf8};
use crate::output::emit;
use anyhow::{Context, Result};
use serde_json::{json, Map, Value};
use stampede::teststate::{test_state, TestStateRequest};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `test-state`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The state (one state object) or a whole state machine (with
    /// `--state-name`); `-` reads stdin.
    definition: PathBuf,
    /// The state to test in a whole state machine (default: its `StartAt`).
    #[arg(long, value_name = "NAME")]
    state_name: Option<String>,
    /// The state's input: JSON text, or `@FILE` (default `{}`).
    #[arg(long, value_name = "JSON|@FILE")]
    input: Option<String>,
    /// `INFO` (status, output, next state), `DEBUG` or `TRACE` (also the
    /// value after each I/O step).
    #[arg(long, value_name = "LEVEL", default_value = "INFO")]
    inspection_level: String,
    /// What the Task's service call (or a Map's or Parallel's children)
    /// returns: `{"result": JSON}` or `{"errorOutput": {"error": E, "cause": C}}`,
    /// with `"fieldValidationMode": "STRICT"|"PRESENT"|"NONE"`; `@FILE` reads a file.
    #[arg(long, value_name = "JSON|@FILE")]
    mock: Option<String>,
    /// The context object (`$$`): JSON, or `@FILE`.
    #[arg(long, value_name = "JSON|@FILE")]
    context: Option<String>,
    /// The workflow variables in scope: a JSON object, or `@FILE`.
    #[arg(long, value_name = "JSON|@FILE")]
    variables: Option<String>,
    /// `{"retrierRetryCount": N, "errorCausedByState": NAME,
    /// "mapIterationFailureCount": N, "mapItemReaderData": JSON}`, or `@FILE`.
    #[arg(long, value_name = "JSON|@FILE")]
    state_configuration: Option<String>,
    /// The role AWS would run the state with (`$$.Execution.RoleArn`).
    #[arg(long, value_name = "ARN")]
    role_arn: Option<String>,
}

pub(crate) fn main(args: &Args) -> Result<ExitCode> {
    let definition = utf8(read_bytes(&args.definition)?, "definition")?;
    let mut req = Map::new();
    req.insert("definition".into(), json!(definition));
    req.insert("inspectionLevel".into(), json!(args.inspection_level));
    let texts = [
        ("stateName", args.state_name.clone()),
        ("roleArn", args.role_arn.clone()),
        ("input", arg_text(args.input.as_deref())?),
        ("context", arg_text(args.context.as_deref())?),
        ("variables", arg_text(args.variables.as_deref())?),
    ];
    for (k, v) in texts {
        if let Some(v) = v {
            req.insert(k.into(), json!(v));
        }
    }
    if let Some(m) = arg_json(args.mock.as_deref(), "--mock")? {
        req.insert("mock".into(), as_api_mock(m));
    }
    if let Some(c) = arg_json(args.state_configuration.as_deref(), "--state-configuration")? {
        req.insert("stateConfiguration".into(), as_api_configuration(c));
    }
    let outcome = TestStateRequest::from_json(&Value::Object(req)).and_then(|r| test_state(&r));
    match outcome {
        Ok(r) => {
            emit(&format!("{}\n", r.to_json()))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            if !e.diagnostics.0.is_empty() {
                eprint!("{}", e.diagnostics);
            }
            Ok(ExitCode::from(2))
        }
    }
}

/// An argument given as text or as `@FILE`.
fn arg_text(arg: Option<&str>) -> Result<Option<String>> {
    match arg {
        None => Ok(None),
        Some(a) => match a.strip_prefix('@') {
            Some(path) => Ok(Some(utf8(read_bytes(Path::new(path))?, path)?)),
            None => Ok(Some(a.to_owned())),
        },
    }
}

/// An argument that must be JSON (text or `@FILE`).
fn arg_json(arg: Option<&str>, what: &str) -> Result<Option<Value>> {
    let Some(text) = arg_text(arg)? else {
        return Ok(None);
    };
    serde_json::from_str(&text)
        .map(Some)
        .with_context(|| format!("{what} is not JSON"))
}

/// The API's mock takes `result` as JSON text; a JSON value given here is written out.
fn as_api_mock(mut m: Value) -> Value {
    if let Some(r) = m.get_mut("result") {
        if !r.is_string() {
            *r = json!(r.to_string());
        }
    }
    m
}

/// The API's `mapItemReaderData` is JSON text; a JSON value given here is written out.
fn as_api_configuration(mut c: Value) -> Value {
    if let Some(r) = c.get_mut("mapItemReaderData") {
        if !r.is_string() {
            *r = json!(r.to_string());
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_become_the_api_text_fields() {
        let m = as_api_mock(json!({"result": {"a": 1}}));
        assert_eq!(m["result"], json!("{\"a\":1}"));
        let kept = as_api_mock(json!({"result": "[1]"}));
        assert_eq!(kept["result"], json!("[1]"));
        let c = as_api_configuration(json!({"mapItemReaderData": [1, 2]}));
        assert_eq!(c["mapItemReaderData"], json!("[1,2]"));
    }
}
