//! `stampede run`: one execution (`single.rs`), or with `--inputs
//! FILE.jsonl` or `--executions N` a batch on all cores (`batch.rs`), whose
//! outcomes go through `sink.rs` and add up in `summary.rs`. Task states are
//! served by a mock file (`mocks.rs`) and `--echo-tasks`; `--tokens-from`
//! drives `.waitForTaskToken` tasks (`tokens.rs`).

mod args;
mod batch;
mod inputs;
mod line_writer;
mod mocks;
mod progress;
mod single;
mod sink;
mod summary;
mod tokens;
mod warnings;

pub(crate) use args::Args;

use anyhow::Result;
use std::process::ExitCode;

pub(crate) fn main(args: &Args) -> Result<ExitCode> {
    if args.is_batch() {
        batch::main(args)
    } else {
        single::main(args)
    }
}
