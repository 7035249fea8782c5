//! `--tokens-from FILE|-`: `.waitForTaskToken` tasks driven from a file or
//! stdin. Each token is printed on stderr as one JSON line
//! (`{"token":…,"state":…,"input":…}`) when its task starts waiting; while
//! the execution waits, completion lines are read and sent:
//! `{"token":…,"output":…}` (SendTaskSuccess), `{"token":…,"error":…,"cause":…}`
//! (SendTaskFailure) and `{"token":…,"heartbeat":true}` (SendTaskHeartbeat).
//! At the end of the file the tasks still waiting time out on the virtual
//! clock. A line that is not one of these is an error (exit 2).

use anyhow::{anyhow, Context, Result};
use serde_json::{json, Value};
use stampede::handlers::{Call, Reply, TaskHandler, TaskTokens};
use std::io::BufRead;
use std::path::Path;

/// Serves tasks with `inner` and prints the token of every `.waitForTaskToken` task.
pub(crate) struct PrintTokens<H>(pub(crate) H);

impl<H: TaskHandler> TaskHandler for PrintTokens<H> {
    fn call(&self, call: &mut Call<'_>) -> Reply {
        let reply = self.0.call(call);
        if let Some(token) = call.task_token() {
            let line =
                json!({"token": token, "state": call.state_name(), "input": call.input_json()});
            eprintln!("{line}");
        }
        reply
    }
}

/// What one completion line asks for.
#[derive(Debug, PartialEq)]
enum Line {
    Success(String, Value),
    Failure(String, String, String),
    Heartbeat(String),
}

/// Reads one completion line.
fn parse(text: &str) -> Result<Line, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    let Some(o) = v.as_object() else {
        return Err("not a JSON object".into());
    };
    let token = match o.get("token") {
        Some(Value::String(t)) => t.clone(),
        Some(_) => return Err("\"token\" must be a string".into()),
        None => return Err("no \"token\"".into()),
    };
    if let Some(k) = o.keys().find(|k| {
        !matches!(
            k.as_str(),
            "token" | "output" | "error" | "cause" | "heartbeat"
        )
    }) {
        return Err(format!("unknown field \"{k}\""));
    }
    let text = |k: &str| match o.get(k) {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(format!("\"{k}\" must be a string")),
    };
    let failing = o.contains_key("error") || o.contains_key("cause");
    match (o.get("output"), failing, o.get("heartbeat")) {
        (Some(out), false, None) => Ok(Line::Success(token, out.clone())),
        (None, true, None) => Ok(Line::Failure(token, text("error")?, text("cause")?)),
        (None, false, Some(Value::Bool(true))) => Ok(Line::Heartbeat(token)),
        (None, false, Some(_)) => Err("\"heartbeat\" must be true".into()),
        (None, false, None) => Err("needs \"output\", \"error\"/\"cause\" or \"heartbeat\"".into()),
        _ => Err("give only one of \"output\", \"error\"/\"cause\" and \"heartbeat\"".into()),
    }
}

/// Completion lines, read as the execution waits.
pub(crate) struct Feed {
    lines: Box<dyn BufRead>,
    name: String,
    line: u64,
    /// The first bad line, which stops reading.
    pub(crate) error: Option<anyhow::Error>,
}

impl Feed {
    /// Opens `path` (`-`: stdin).
    pub(crate) fn open(path: &Path) -> Result<Feed> {
        let (lines, name): (Box<dyn BufRead>, String) = if path.as_os_str() == "-" {
            (
                Box::new(std::io::BufReader::new(std::io::stdin())),
                "stdin".into(),
            )
        } else {
            let f = std::fs::File::open(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            (
                Box::new(std::io::BufReader::new(f)),
                path.display().to_string(),
            )
        };
        Ok(Feed {
            lines,
            name,
            line: 0,
            error: None,
        })
    }

    /// Sends lines until one completes a task (`true`), or the end of the
    /// input or a bad line (`false`). A token the engine refuses (AWS's
    /// `TaskDoesNotExist`, `TaskTimedOut`, `InvalidToken`) is a warning.
    pub(crate) fn next(&mut self, tokens: &TaskTokens) -> bool {
        if self.error.is_some() {
            return false;
        }
        let mut text = String::new();
        loop {
            text.clear();
            match self.lines.read_line(&mut text) {
                Ok(0) => return false,
                Ok(_) => {}
                Err(e) => {
                    self.error = Some(anyhow!("cannot read {}: {e}", self.name));
                    return false;
                }
            }
            self.line += 1;
            if text.trim().is_empty() {
                continue;
            }
            let line = match parse(text.trim()) {
                Ok(l) => l,
                Err(why) => {
                    self.error = Some(anyhow!(
                        "{} line {}: {why}; expected {{\"token\":…,\"output\":…}}, {{\"token\":…,\"error\":…,\"cause\":…}} or {{\"token\":…,\"heartbeat\":true}}",
                        self.name,
                        self.line
                    ));
                    return false;
                }
            };
            let (sent, completes) = match &line {
                Line::Success(t, out) => (tokens.send_task_success(t, out.clone()), true),
                Line::Failure(t, e, c) => (tokens.send_task_failure(t, e, c), true),
                Line::Heartbeat(t) => (tokens.send_task_heartbeat(t), false),
            };
            match sent {
                Ok(()) if completes => return true,
                Ok(()) => {}
                Err(e) => eprintln!("warning: {} line {}: {e}", self.name, self.line),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_kinds_and_names_what_is_wrong() {
        assert_eq!(
            parse(r#"{"token":"t","output":{"a":1}}"#),
            Ok(Line::Success("t".into(), json!({"a": 1})))
        );
        assert_eq!(
            parse(r#"{"token":"t","error":"E"}"#),
            Ok(Line::Failure("t".into(), "E".into(), String::new()))
        );
        assert_eq!(
            parse(r#"{"token":"t","heartbeat":true}"#),
            Ok(Line::Heartbeat("t".into()))
        );
        for (bad, why) in [
            ("nope", "not JSON"),
            ("[1]", "not a JSON object"),
            (r#"{"output":1}"#, "no \"token\""),
            (r#"{"token":1,"output":1}"#, "must be a string"),
            (r#"{"token":"t"}"#, "needs"),
            (r#"{"token":"t","output":1,"error":"E"}"#, "only one"),
            (r#"{"token":"t","heartbeat":false}"#, "must be true"),
            (r#"{"token":"t","outptu":1}"#, "unknown field \"outptu\""),
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
