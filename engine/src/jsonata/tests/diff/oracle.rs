//! The jsonata-js side of the differential test: one `node oracle.js`
//! child for the whole run, asked in batches of JSON lines.

use super::Outcome;
use serde_json::{json, Value as J};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// The running oracle.
pub(crate) struct Oracle {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

/// Where the npm package is: `JSONATA_JS`, or `target/jsonata-js/node_modules/jsonata`.
fn package() -> PathBuf {
    if let Ok(p) = std::env::var("JSONATA_JS") {
        return PathBuf::from(p);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = std::env::var("CARGO_TARGET_DIR").map_or(root.join("target"), PathBuf::from);
    target.join("jsonata-js/node_modules/jsonata")
}

impl Oracle {
    /// Starts node on `oracle.js`, or says why it cannot.
    pub(crate) fn start() -> Result<Oracle, String> {
        let pkg = package();
        let version = std::fs::read_to_string(pkg.join("package.json")).map_err(|e| {
            format!(
                "no jsonata-js at {} ({e}); .ci/run installs it",
                pkg.display()
            )
        })?;
        let version: J = serde_json::from_str(&version).map_err(|e| e.to_string())?;
        if version["version"] != "2.0.6" {
            return Err(format!(
                "jsonata-js at {} is {}, not 2.0.6",
                pkg.display(),
                version["version"]
            ));
        }
        let script =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/jsonata/tests/diff/oracle.js");
        let mut child = Command::new("node")
            .arg(&script)
            .arg(&pkg)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot run node ({e})"))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        Ok(Oracle {
            child,
            stdin,
            stdout,
        })
    }

    /// jsonata-js's outcome for each (seed, expression, input), in order.
    pub(crate) fn ask(&mut self, cases: &[(u64, String, J)]) -> Result<Vec<Outcome>, String> {
        let mut text = String::new();
        for (_, e, input) in cases {
            text.push_str(&json!({"expr": e, "input": input}).to_string());
            text.push('\n');
        }
        // Write on another thread while reading here, so neither pipe fills up and blocks.
        let (stdin, stdout) = (&mut self.stdin, &mut self.stdout);
        std::thread::scope(|s| {
            let writer = s.spawn(move || {
                stdin
                    .write_all(text.as_bytes())
                    .and_then(|()| stdin.flush())
            });
            let read = read_answers(stdout, cases.len());
            writer
                .join()
                .map_err(|_| "writer panicked".to_string())?
                .map_err(|e| e.to_string())?;
            read
        })
    }
}

/// `n` answers from the oracle.
fn read_answers(stdout: &mut BufReader<ChildStdout>, n: usize) -> Result<Vec<Outcome>, String> {
    let mut out = Vec::with_capacity(n);
    let mut line = String::new();
    for _ in 0..n {
        line.clear();
        if stdout.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
            return Err("node exited".into());
        }
        let a: J = serde_json::from_str(&line).map_err(|e| format!("{e}: {line}"))?;
        out.push(if let Some(v) = a.get("ok") {
            Outcome::Value(v.to_string())
        } else if let Some(J::String(why)) = a.get("skip") {
            Outcome::Skip(why.clone())
        } else if let Some(J::String(c)) = a.get("err") {
            Outcome::Error(c.clone())
        } else {
            Outcome::Undefined
        });
    }
    Ok(out)
}

impl Drop for Oracle {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
