//! `stampede run DEFINITION.json [--input FILE|-]`: one execution, its
//! outcome printed as one line of JSON; with `--history FILE|-` its
//! history as GetExecutionHistory's `{"events":[…]}`, a whole file.

use super::args::{compile, options, Args};
use super::tokens::Feed;
use crate::files::write_whole;
use crate::input::{read_bytes, utf8};
use crate::output::emit;
use anyhow::{bail, Result};
use stampede::handlers::TaskTokens;
use stampede::Input;
use std::process::ExitCode;

pub(crate) fn main(args: &Args) -> Result<ExitCode> {
    if args.definition.as_os_str() == "-" && args.input.as_deref() == Some("-".as_ref()) {
        bail!("the definition and the input cannot both be read from stdin");
    }
    if args.tokens_from.as_deref() == Some("-".as_ref())
        && (args.definition.as_os_str() == "-" || args.input.as_deref() == Some("-".as_ref()))
    {
        bail!("--tokens-from - reads stdin: give the definition and the input as files");
    }
    let definition = utf8(read_bytes(&args.definition)?, "the definition")?;
    let input = match &args.input {
        Some(path) => utf8(read_bytes(path)?, "the input")?,
        None => "{}".to_owned(),
    };
    let Some(machine) = compile(args, &definition) else {
        return Ok(ExitCode::from(2));
    };
    let outcome = match &args.tokens_from {
        None => machine.run_text(&input, &options(args))?,
        Some(path) => {
            let mut feed = Feed::open(path)?;
            let tokens = TaskTokens::new();
            let outcome = machine.run_with_tokens(
                &Input::Text(input),
                &options(args),
                &tokens,
                &mut || feed.next(&tokens),
            )?;
            if let Some(e) = feed.error.take() {
                eprintln!("error: {e:#}");
                return Ok(ExitCode::from(2));
            }
            outcome
        }
    };
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
