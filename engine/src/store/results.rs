//! What a Distributed Map's `ResultWriter` writes, in AWS's shapes (docs:
//! input-output-resultwriter.html): `SUCCEEDED_0.json` and `FAILED_0.json`
//! (each child execution's entry), `PENDING_0.json` never (a finished Map
//! Run has no pending children), and `manifest.json` naming them, all under
//! `Prefix/<map run id>/`. The manifest is written last, so a reader that
//! finds it finds every file it names.

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

/// Result entries gathered as the children end.
#[derive(Debug, Default)]
pub(crate) struct ResultFiles {
    succeeded: Vec<Value>,
    failed: Vec<Value>,
}

impl ResultFiles {
    /// Records a finished child the way `transformation` says.
    pub(crate) fn add(&mut self, t: Transformation, c: &Child<'_>) {
        let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or(Value::Null);
        let list = if c.end.is_ok() {
            &mut self.succeeded
        } else {
            &mut self.failed
        };
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
                list.push(e);
            }
            (_, Err((error, cause))) => list.push(json!({"Error": error, "Cause": cause})),
            (Transformation::Flatten, Ok(out)) => match parse(out) {
                Value::Array(items) => list.extend(items),
                other => list.push(other),
            },
            (Transformation::Compact, Ok(out)) => list.push(parse(out)),
        }
    }

    /// Writes the files and the manifest under `prefix/run_id/`; the key of
    /// the manifest.
    ///
    /// # Errors
    /// A write that failed (nothing after it is written; the manifest never).
    pub(crate) fn write(
        &self,
        store: &dyn ObjectStore,
        bucket: &str,
        prefix: &str,
        run_id: &str,
        map_run_arn: &str,
        jsonl: bool,
    ) -> Result<String, StoreError> {
        let dir = if prefix.is_empty() {
            run_id.to_owned()
        } else {
            format!("{}/{run_id}", prefix.trim_end_matches('/'))
        };
        let ext = if jsonl { "jsonl" } else { "json" };
        let mut files = json!({"FAILED": [], "PENDING": [], "SUCCEEDED": []});
        for (status, list) in [("SUCCEEDED", &self.succeeded), ("FAILED", &self.failed)] {
            if list.is_empty() {
                continue;
            }
            let body = if jsonl {
                let mut s = String::new();
                for v in list {
                    s.push_str(&v.to_string());
                    s.push('\n');
                }
                s
            } else {
                Value::Array(list.clone()).to_string()
            };
            let key = format!("{dir}/{status}_0.{ext}");
            store.put(bucket, &key, body.as_bytes())?;
            if let Some(a) = files[status].as_array_mut() {
                a.push(json!({"Key": key, "Size": body.len()}));
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
