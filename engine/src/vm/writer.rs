//! A Distributed Map Run's `ResultWriter`: each child's input and times are
//! kept while it runs, its entry when it ends, and the files are written
//! when the Map Run ends; the Map's result is then `{"MapRunArn",
//! "ResultWriterDetails": {"Bucket", "Key"}}` instead of the children's results.

use super::pseudo_uuid;
use crate::error::Failure;
use crate::store::results::{Child, ResultFiles};
use crate::store::{ObjectStore, Transformation};
use crate::time::iso8601;

/// AWS's error for results that could not be written.
pub(crate) const RESULT_WRITER_FAILED: &str = "States.ResultWriterFailed";

/// A running child: its name, input text and start time.
type Running = (String, String, i64);

/// The writer of one Map Run.
pub(crate) struct Writer {
    pub(crate) bucket: String,
    pub(crate) prefix: String,
    pub(crate) jsonl: bool,
    pub(crate) transformation: Transformation,
    run_id: String,
    /// `arn:…:mapRun:MACHINE/LABEL:RUN_ID`.
    pub(crate) map_run_arn: String,
    /// `arn:…:stateMachine:MACHINE/LABEL`.
    child_machine_arn: String,
    /// `arn:…:execution:MACHINE/LABEL:`.
    child_arn_prefix: String,
    running: Vec<Option<Running>>,
    files: ResultFiles,
}

impl Writer {
    /// A writer for a Map Run of the machine `machine_arn` labelled
    /// `label` (the Map's `Label`, else its state name), its id from `seed`.
    pub(crate) fn new(
        machine_arn: &str,
        label: &str,
        seed: u64,
        (bucket, prefix): (String, String),
        jsonl: bool,
        transformation: Transformation,
    ) -> Writer {
        let run_id = pseudo_uuid(seed);
        let base = format!("{machine_arn}/{label}");
        Writer {
            bucket,
            prefix,
            jsonl,
            transformation,
            map_run_arn: format!(
                "{}:{run_id}",
                base.replacen(":stateMachine:", ":mapRun:", 1)
            ),
            child_arn_prefix: format!("{}:", base.replacen(":stateMachine:", ":execution:", 1)),
            child_machine_arn: base,
            run_id,
            running: Vec::new(),
            files: ResultFiles::default(),
        }
    }

    /// Child `i` started with `input` (JSON text) at `now_ms`.
    pub(crate) fn started(&mut self, i: u32, seed: u64, input: String, now_ms: i64) {
        let i = i as usize;
        if self.running.len() <= i {
            self.running.resize_with(i + 1, || None);
        }
        self.running[i] = Some((pseudo_uuid(seed), input, now_ms));
    }

    /// Child `i` ended at `now_ms` with its output text or its failure.
    pub(crate) fn ended(&mut self, i: u32, end: Result<&str, &Failure>, now_ms: i64) {
        let Some((name, input, start)) = self.running.get_mut(i as usize).and_then(Option::take)
        else {
            return;
        };
        let arn = format!("{}{name}", self.child_arn_prefix);
        let (start_date, stop_date) = (iso8601(start), iso8601(now_ms));
        let child = Child {
            arn: &arn,
            name: &name,
            state_machine_arn: &self.child_machine_arn,
            input: &input,
            end: end.map_err(|f| (&*f.error, f.cause.as_str())),
            start_date: &start_date,
            stop_date: &stop_date,
        };
        self.files.add(self.transformation, &child);
    }

    /// Writes the files; the manifest's key.
    ///
    /// # Errors
    /// `States.ResultWriterFailed` with the store's message.
    pub(crate) fn finish(&self, store: &dyn ObjectStore) -> Result<String, Failure> {
        self.files
            .write(
                store,
                &self.bucket,
                &self.prefix,
                &self.run_id,
                &self.map_run_arn,
                self.jsonl,
            )
            .map_err(|e| Failure::new(RESULT_WRITER_FAILED, e.to_string()))
    }
}
