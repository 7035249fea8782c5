//! A Distributed Map Run's `ResultWriter`: each child's input and times are
//! kept while it runs, its entry written out when it ends, and the files
//! ended and named in the manifest when the Map Run ends; the Map's result
//! is then `{"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}`
//! instead of the children's results. Only the running children's facts
//! stay in memory.

use super::idmap::IdMap;
use super::pseudo_uuid;
use crate::error::Failure;
use crate::json::{Doc, Val};
use crate::store::results::{entries, Child, ResultFiles};
use crate::store::{ObjectStore, Transformation};
use crate::time::iso8601;

/// AWS's error for results that could not be written.
pub(crate) const RESULT_WRITER_FAILED: &str = "States.ResultWriterFailed";

/// A running child: its name, input text and start time.
type Running = (String, String, i64);

/// The writer of one Map Run.
pub(crate) struct Writer {
    pub(crate) bucket: String,
    pub(crate) transformation: Transformation,
    /// `arn:…:mapRun:MACHINE/LABEL:RUN_ID`.
    pub(crate) map_run_arn: String,
    /// `arn:…:stateMachine:MACHINE/LABEL`.
    child_machine_arn: String,
    /// `arn:…:execution:MACHINE/LABEL:`.
    child_arn_prefix: String,
    /// The running children, by child index (only for `Transformation`
    /// `NONE`: the others write outputs and errors only).
    running: IdMap<Running>,
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
            files: ResultFiles::new(&bucket, &prefix, &run_id, jsonl),
            bucket,
            transformation,
            map_run_arn: format!(
                "{}:{run_id}",
                base.replacen(":stateMachine:", ":mapRun:", 1)
            ),
            child_arn_prefix: format!("{}:", base.replacen(":stateMachine:", ":execution:", 1)),
            child_machine_arn: base,
            running: IdMap::default(),
        }
    }

    /// Child `i` started with `input` (in `doc`) at `now_ms`.
    pub(crate) fn started(&mut self, i: u32, seed: u64, doc: &Doc, input: Val, now_ms: i64) {
        if self.transformation == Transformation::None {
            self.running
                .insert(i, (pseudo_uuid(seed), doc.to_json(input), now_ms));
        }
    }

    /// The entries of child `i`, ended at `now_ms` with its output text or
    /// its failure (it reads only what `started` kept, so the children's
    /// entries can be made on any thread).
    pub(crate) fn render(&self, i: u32, end: Result<&str, &Failure>, now_ms: i64) -> Vec<String> {
        let end = end.map_err(|f| (&*f.error, f.cause.as_str()));
        if self.transformation != Transformation::None {
            let child = Child {
                arn: "",
                name: "",
                state_machine_arn: "",
                input: "",
                end,
                start_date: "",
                stop_date: "",
            };
            return entries(self.transformation, &child);
        }
        let Some((name, input, start)) = self.running.get(&i) else {
            return Vec::new();
        };
        let arn = format!("{}{name}", self.child_arn_prefix);
        let (start_date, stop_date) = (iso8601(*start), iso8601(now_ms));
        let child = Child {
            arn: &arn,
            name,
            state_machine_arn: &self.child_machine_arn,
            input,
            end,
            start_date: &start_date,
            stop_date: &stop_date,
        };
        entries(self.transformation, &child)
    }

    /// The entries of child `i`, ended at `now_ms` with `out` (in `doc`):
    /// [`Writer::render`]'s, the `COMPACT` and `FLATTEN` ones written
    /// straight from the document (the text serde_json gives the value
    /// parsed back is the document's own, but for a repeated member name,
    /// which goes the long way).
    pub(crate) fn render_output(&self, i: u32, doc: &Doc, out: Val, now_ms: i64) -> Vec<String> {
        match self.transformation {
            Transformation::None => self.render(i, Ok(&doc.to_json(out)), now_ms),
            _ if doc.has_repeated_key(out) => self.render(i, Ok(&doc.to_json(out)), now_ms),
            Transformation::Compact => vec![doc.to_json(out)],
            Transformation::Flatten => match doc.as_array(out) {
                Some(items) => items.iter().map(|&x| doc.to_json(x)).collect(),
                None => vec![doc.to_json(out)],
            },
        }
    }

    /// Child `i` ended at `now_ms` with its output text or its failure:
    /// its entry goes to `store`.
    pub(crate) fn ended(
        &mut self,
        store: &dyn ObjectStore,
        i: u32,
        end: Result<&str, &Failure>,
        now_ms: i64,
    ) {
        let entries = self.render(i, end, now_ms);
        self.write(store, i, end.is_ok(), &entries);
    }

    /// Writes the entries of child `i` (from [`Writer::render`]), which
    /// succeeded when `ok`.
    pub(crate) fn write(&mut self, store: &dyn ObjectStore, i: u32, ok: bool, entries: &[String]) {
        self.running.remove(&i);
        self.files.add(store, ok, entries);
    }

    /// Ends the files and writes the manifest; the manifest's key.
    ///
    /// # Errors
    /// `States.ResultWriterFailed` with the store's message.
    pub(crate) fn finish(&mut self, store: &dyn ObjectStore) -> Result<String, Failure> {
        self.files
            .finish(store, &self.map_run_arn)
            .map_err(|e| Failure::new(RESULT_WRITER_FAILED, e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::Writer;
    use crate::json::Doc;
    use crate::store::Transformation;

    #[test]
    fn entries_from_the_document_are_those_of_its_text_parsed_back() {
        let outputs = [
            r#"{"id":7,"sku":"SKU-000007","qty":3}"#,
            r#"[1,2.5,-0.0,1e300,1.5e-7,18446744073709551615,-9223372036854775808,3.0]"#,
            r#"{"s":"a\"b\\c\n\u0001\u001f\u007f é ☃ \ud83d\ude00","t":true,"n":null}"#,
            r#"[{"a":[{"b":{}}]},[],"x"]"#,
            r#""just a string""#,
            r#"{"a":1,"b":{"c":2,"c":3},"a":4}"#,
            r#"[{"k":1,"k":2}]"#,
        ];
        for t in [Transformation::Compact, Transformation::Flatten] {
            let w = Writer::new(
                "arn:aws:states:us-east-1:1:stateMachine:M",
                "Map",
                1,
                ("b".into(), "p".into()),
                false,
                t,
            );
            for text in outputs {
                let mut d = Doc::new();
                let v = d.parse(text).unwrap();
                let slow = w.render(0, Ok(&d.to_json(v)), 0);
                assert_eq!(w.render_output(0, &d, v, 0), slow, "{t:?} {text}");
            }
        }
        // A repeated name goes the long way: the last value, as serde_json keeps it.
        let mut d = Doc::new();
        let v = d.parse(r#"{"a":1,"a":2}"#).unwrap();
        assert!(d.has_repeated_key(v));
        let w = Writer::new(
            "m",
            "l",
            1,
            ("b".into(), "p".into()),
            false,
            Transformation::Compact,
        );
        assert_eq!(w.render_output(0, &d, v, 0), vec![r#"{"a":2}"#.to_owned()]);
        let many: String = (0..40).map(|i| format!("\"k{i}\":{i},")).collect();
        let v = d.parse(&format!("{{{many}\"k39\":0}}")).unwrap();
        assert!(d.has_repeated_key(v));
        let v = d.parse(&format!("{{{many}\"k40\":0}}")).unwrap();
        assert!(!d.has_repeated_key(v));
    }
}
