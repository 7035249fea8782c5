//! The inputs of a batch: `--inputs FILE.jsonl` gives one execution per
//! non-blank line (cycled to `--executions N` when given); `--input FILE
//! --executions N` gives N executions of one input, shared between them and
//! refused at once when it is not JSON, as a single run does.

use super::args::Args;
use crate::input::{read_bytes, utf8};
use anyhow::{anyhow, bail, Result};
use stampede::InputError;
use std::sync::Arc;

/// The inputs of a batch: distinct texts, the line each came from, and how
/// many executions cycle through them.
pub(crate) struct Inputs {
    pub(crate) texts: Vec<Arc<str>>,
    /// 1-based line of each text in its file (0 for `--input`).
    pub(crate) lines: Vec<usize>,
    pub(crate) executions: u64,
}

pub(crate) fn read_inputs(args: &Args) -> Result<Inputs> {
    if let Some(path) = &args.inputs {
        let text = utf8(read_bytes(path)?, "the inputs")?;
        let mut texts = Vec::new();
        let mut lines = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if !line.trim().is_empty() {
                texts.push(Arc::<str>::from(line));
                lines.push(i + 1);
            }
        }
        let executions = args.executions.unwrap_or(texts.len() as u64);
        if texts.is_empty() && executions > 0 {
            bail!("{} has no inputs (every line is blank)", path.display());
        }
        return Ok(Inputs {
            texts,
            lines,
            executions,
        });
    }
    let text = match &args.input {
        Some(path) => utf8(read_bytes(path)?, "the input")?,
        None => "{}".to_owned(),
    };
    // One input for every execution: refuse it at once, as a single run does.
    InputError::check(&text).map_err(|e| anyhow!("{e}"))?;
    Ok(Inputs {
        texts: vec![Arc::from(text)],
        lines: vec![0],
        executions: args.executions.unwrap_or(1),
    })
}
