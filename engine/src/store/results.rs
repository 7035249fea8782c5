//! What a Distributed Map's `ResultWriter` writes, in AWS's shapes (docs:
//! input-output-resultwriter.html): `SUCCEEDED_n.json` and `FAILED_n.json`
//! (each child execution's entry; a new file past AWS's 5 GB a file),
//! `PENDING_n.json` never (a finished Map Run has no pending children), and
//! `manifest.json` naming them, all under `Prefix/<map run id>/`. Entries
//! are written out as the children end, a part at a time (only the part
//! being filled is in memory); the manifest is written last, so a reader
//! that finds it finds every file it names.

use super::{ObjectStore, StoreError};
use serde_json::{json, Value};

/// `WriterConfig.Transformation`: what each child's entry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Transformation {
    /// `NONE` (and no `WriterConfig`): the child execution's full record.
    #[default]
    None,
    /// `COMPACT`: its output (or its error and cause).
    Compact,
    /// `FLATTEN`: as `COMPACT`, an output that is an array giving its items.
    Flatten,
}

/// One finished child execution.
pub(crate) struct Child<'a> {
    pub(crate) arn: &'a str,
    pub(crate) name: &'a str,
    pub(crate) state_machine_arn: &'a str,
    /// Its input, as JSON text.
    pub(crate) input: &'a str,
    /// `Ok(output JSON text)` or `Err((error, cause))`.
    pub(crate) end: Result<&'a str, (&'a str, &'a str)>,
    pub(crate) start_date: &'a str,
    pub(crate) stop_date: &'a str,
}

/// AWS's largest result file (features.md §2.3: "ResultWriter result file ≤ 5 GB each").
pub(crate) const MAX_FILE_BYTES: u64 = 5 << 30;

/// Bytes gathered before they are written out as a part.
const PART_BYTES: usize = 1 << 20;

/// The files of one status (`SUCCEEDED`, `FAILED`) as they are written.
#[derive(Debug)]
struct Files {
    status: &'static str,
    /// Files finished: key and size.
    done: Vec<(String, u64)>,
    /// Entries in the file being written (0: none started).
    entries: u64,
    /// Its bytes already written out.
    written: u64,
    /// Its bytes not written out yet.
    buf: String,
}

/// Result entries, written out as the children end.
#[derive(Debug)]
pub(crate) struct ResultFiles {
    bucket: String,
    /// `prefix/run_id` (no trailing slash).
    dir: String,
    jsonl: bool,
    max_file: u64,
    succeeded: Files,
    failed: Files,
    /// The first write that failed (nothing is written after it).
    error: Option<StoreError>,
}

impl Files {
    fn new(status: &'static str) -> Files {
        Files {
            status,
            done: Vec::new(),
            entries: 0,
            written: 0,
            buf: String::new(),
        }
    }

    fn key(&self, dir: &str, jsonl: bool) -> String {
        let ext = if jsonl { "jsonl" } else { "json" };
        format!("{dir}/{}_{}.{ext}", self.status, self.done.len())
    }

    /// Writes out what is gathered (the file's first part starts it).
    fn flush(
        &mut self,
        store: &dyn ObjectStore,
        bucket: &str,
        key: &str,
    ) -> Result<(), StoreError> {
        if self.buf.is_empty() {
            return Ok(());
        }
        store.put_part(bucket, key, self.buf.as_bytes(), self.written == 0)?;
        self.written += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    /// Ends the file being written, if any.
    fn close(
        &mut self,
        store: &dyn ObjectStore,
        bucket: &str,
        dir: &str,
        jsonl: bool,
    ) -> Result<(), StoreError> {
        if self.entries == 0 {
            return Ok(());
        }
        if !jsonl {
            self.buf.push(']');
        }
        let key = self.key(dir, jsonl);
        self.flush(store, bucket, &key)?;
        store.complete_parts(bucket, &key)?;
        self.done.push((key, self.written));
        self.entries = 0;
        self.written = 0;
        Ok(())
    }
}

impl ResultFiles {
    /// Files under `prefix/run_id/` of `bucket`, JSON Lines when `jsonl`.
    pub(crate) fn new(bucket: &str, prefix: &str, run_id: &str, jsonl: bool) -> ResultFiles {
        let dir = if prefix.is_empty() {
            run_id.to_owned()
        } else {
            format!("{}/{run_id}", prefix.trim_end_matches('/'))
        };
        ResultFiles {
            bucket: bucket.to_owned(),
            dir,
            jsonl,
            max_file: MAX_FILE_BYTES,
            succeeded: Files::new("SUCCEEDED"),
            failed: Files::new("FAILED"),
            error: None,
        }
    }

    /// The same with files of at most `max` bytes (tests).
    #[cfg(test)]
    pub(crate) fn with_max_file(mut self, max: u64) -> ResultFiles {
        self.max_file = max;
        self
    }

    /// Adds a finished child's entries (from [`entries`]) to the
    /// succeeded files (`ok`) or the failed ones.
    pub(crate) fn add(&mut self, store: &dyn ObjectStore, ok: bool, entries: &[String]) {
        for e in entries {
            self.push(store, ok, e);
        }
    }

    /// Adds one entry's text to the succeeded (or failed) files.
    fn push(&mut self, store: &dyn ObjectStore, ok: bool, entry: &str) {
        if self.error.is_some() {
            return;
        }
        let (bucket, dir, jsonl, max) = (&self.bucket, &self.dir, self.jsonl, self.max_file);
        let files = if ok {
            &mut self.succeeded
        } else {
            &mut self.failed
        };
        let size = entry.len() as u64 + 1;
        let r = (|| {
            // A file full at its size limit is ended; the entry starts the next.
            if files.entries > 0 && files.written + files.buf.len() as u64 + size + 1 > max {
                files.close(store, bucket, dir, jsonl)?;
            }
            if !jsonl {
                files.buf.push(if files.entries == 0 { '[' } else { ',' });
            }
            files.buf.push_str(entry);
            if jsonl {
                files.buf.push('\n');
            }
            files.entries += 1;
            if files.buf.len() >= PART_BYTES {
                let key = files.key(dir, jsonl);
                files.flush(store, bucket, &key)?;
            }
            Ok(())
        })();
        if let Err(e) = r {
            self.error = Some(e);
        }
    }

    /// Ends the files and writes the manifest naming them; the key of the
    /// manifest.
    ///
    /// # Errors
    /// A write that failed (nothing after it is written; the manifest never).
    pub(crate) fn finish(
        &mut self,
        store: &dyn ObjectStore,
        map_run_arn: &str,
    ) -> Result<String, StoreError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let (bucket, dir, jsonl) = (&self.bucket, &self.dir, self.jsonl);
        let mut files = json!({"FAILED": [], "PENDING": [], "SUCCEEDED": []});
        for f in [&mut self.succeeded, &mut self.failed] {
            if let Err(e) = f.close(store, bucket, dir, jsonl) {
                self.error = Some(e.clone());
                return Err(e);
            }
            if let Some(a) = files[f.status].as_array_mut() {
                for (key, size) in &f.done {
                    a.push(json!({"Key": key, "Size": size}));
                }
            }
        }
        let manifest = json!({
            "DestinationBucket": bucket,
            "MapRunArn": map_run_arn,
            "ResultFiles": files,
        });
        let key = format!("{dir}/manifest.json");
        store.put(bucket, &key, manifest.to_string().as_bytes())?;
        Ok(key)
    }
}

/// A finished child's entries in the files, the way `t` says (one, or for
/// `FLATTEN` each item of an array output), as JSON text.
pub(crate) fn entries(t: Transformation, c: &Child<'_>) -> Vec<String> {
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or(Value::Null);
    let mut entries = Vec::with_capacity(1);
    match (t, c.end) {
        (Transformation::None, end) => {
            let mut e = json!({
                "ExecutionArn": c.arn,
                "Input": c.input,
                "InputDetails": {"Included": true},
                "Name": c.name,
            });
            match end {
                Ok(out) => {
                    e["Output"] = json!(out);
                    e["OutputDetails"] = json!({"Included": true});
                    e["RedriveCount"] = json!(0);
                    e["RedriveStatus"] = json!("NOT_REDRIVABLE");
                    e["RedriveStatusReason"] =
                        json!("Execution is SUCCEEDED and cannot be redriven");
                }
                Err((error, cause)) => {
                    e["Error"] = json!(error);
                    e["Cause"] = json!(cause);
                    e["RedriveCount"] = json!(0);
                    e["RedriveStatus"] = json!("REDRIVABLE_BY_MAP_RUN");
                }
            }
            e["StartDate"] = json!(c.start_date);
            e["StateMachineArn"] = json!(c.state_machine_arn);
            e["Status"] = json!(if end.is_ok() { "SUCCEEDED" } else { "FAILED" });
            e["StopDate"] = json!(c.stop_date);
            entries.push(e);
        }
        (_, Err((error, cause))) => entries.push(json!({"Error": error, "Cause": cause})),
        (Transformation::Flatten, Ok(out)) => match parse(out) {
            Value::Array(items) => entries.extend(items),
            other => entries.push(other),
        },
        (Transformation::Compact, Ok(out)) => entries.push(parse(out)),
    }
    entries.iter().map(Value::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{LocalFolder, TempDir};

    fn entry(n: u32) -> Vec<String> {
        vec![json!({"n": n}).to_string()]
    }

    #[test]
    fn a_full_file_is_ended_and_the_next_one_started() {
        let d = TempDir::new();
        std::fs::create_dir_all(d.0.join("out")).unwrap();
        let store = LocalFolder::new(&d.0);
        // `[{"n":0},{"n":1}]` is 17 bytes: two entries fit a file of 17.
        let mut files = ResultFiles::new("out", "p/", "run", false).with_max_file(17);
        for n in 0..5 {
            files.add(&store, n != 3, &entry(n));
        }
        let key = files.finish(&store, "arn:run").unwrap();
        assert_eq!(key, "p/run/manifest.json");
        let read = |k: &str| std::fs::read_to_string(d.0.join("out").join(k)).unwrap();
        assert_eq!(read("p/run/SUCCEEDED_0.json"), r#"[{"n":0},{"n":1}]"#);
        assert_eq!(read("p/run/SUCCEEDED_1.json"), r#"[{"n":2},{"n":4}]"#);
        assert_eq!(read("p/run/FAILED_0.json"), r#"[{"n":3}]"#);
        let manifest: Value = serde_json::from_str(&read(&key)).unwrap();
        assert_eq!(
            manifest["ResultFiles"]["SUCCEEDED"],
            json!([{"Key": "p/run/SUCCEEDED_0.json", "Size": 17},
                   {"Key": "p/run/SUCCEEDED_1.json", "Size": 17}])
        );
        assert_eq!(manifest["ResultFiles"]["PENDING"], json!([]));
        // No part is left beside the files.
        let names: Vec<String> = std::fs::read_dir(d.0.join("out/p/run"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(
            names.iter().all(|n| !n.ends_with("stampede-tmp")),
            "{names:?}"
        );
    }

    #[test]
    fn json_lines_are_one_entry_a_line_and_a_failed_write_stops_everything() {
        let d = TempDir::new();
        std::fs::create_dir_all(d.0.join("out")).unwrap();
        let store = LocalFolder::new(&d.0);
        let mut files = ResultFiles::new("out", "", "run", true);
        files.add(&store, true, &[entry(1), entry(2)].concat());
        files.finish(&store, "arn:run").unwrap();
        let text = std::fs::read_to_string(d.0.join("out/run/SUCCEEDED_0.jsonl")).unwrap();
        assert_eq!(text, "{\"n\":1}\n{\"n\":2}\n");
        // A bucket that does not exist: the error, and no manifest.
        let mut files = ResultFiles::new("nope", "", "run", false);
        files.add(&store, true, &entry(1));
        let e = files.finish(&store, "arn:run").unwrap_err();
        assert_eq!(e.code(), "NoSuchBucket");
    }
}
