//! `stampede run DEFINITION.json [--input FILE|-]`: one execution, its
//! outcome printed as one line of JSON; with `--history FILE|-` its
//! history as GetExecutionHistory's `{"events":[…]}`, a whole file.

use super::args::{compile, options, Args};
use crate::files::write_whole;
use crate::input::{read_bytes, utf8};
use crate::output::emit;
use anyhow::{bail, Result};
use std::process::ExitCode;

pub(crate) fn main(args: &Args) -> Result<ExitCode> {
    if args.definition.as_os_str() == "-" && args.input.as_deref() == Some("-".as_ref()) {
        bail!("the definition and the input cannot both be read from stdin");
    }
    let definition = utf8(read_bytes(&args.definition)?, "the definition")?;
    let input = match &args.input {
        Some(path) => utf8(read_bytes(path)?, "the input")?,
        None => "{}".to_owned(),
    };
    let Some(machine) = compile(args, &definition) else {
        return Ok(ExitCode::from(2));
    };
    let outcome = machine.run_text(&input, &options(args))?;
    emit(&format!("{}\n", outcome.to_json_line()))?;
    if let (Some(path), Some(history)) = (&args.history, &outcome.history) {
        let text = format!("{}\n", history.to_json());
        if path.as_os_str() == "-" {
            emit(&text)?;
        } else {
            write_whole(path, text)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
