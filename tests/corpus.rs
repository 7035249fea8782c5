//! Cases of `shared/conformance/aws-recorded.jsonl`: one execution recorded
//! against AWS per line.

use crate::compare::Placeholders;
use crate::time::parse_timestamp_ms;
use serde_json::Value;
use std::path::Path;

/// One recorded execution.
#[derive(Debug, Clone)]
pub struct Case {
    /// Unique name, `topic/TestClass::test[param]#n`.
    pub name: String,
    /// The definition as JSON text (key order as recorded).
    pub definition: String,
    /// The exact input text AWS was sent.
    pub input_text: String,
    /// AWS's result.
    pub expected: Expected,
    /// Redaction tokens that stand for values AWS varies.
    pub placeholders: Placeholders,
    /// When the execution started: the `ExecutionStarted` time in the
    /// recorded history when it is a real time, else when the snapshot was
    /// validated against AWS (`source.last_validated_date`, seconds after the
    /// run), else when it was recorded (`source.recorded_date`), else unknown. Inputs computed at recording time (a Wait until
    /// "now + 24,856 days") are judged against this clock.
    pub started_ms: Option<i64>,
    /// `features`, as recorded.
    pub features: Value,
    /// `state_machine_type` is `EXPRESS`.
    pub express: bool,
    /// The recorded `GetExecutionHistory` events, where the snapshot had them.
    pub history: Option<Vec<Value>>,
}

/// AWS's result for a case.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    /// `SUCCEEDED`, `FAILED` or `TIMED_OUT`.
    pub status: String,
    /// Output of a successful execution.
    pub output: Option<Value>,
    /// Error name; absent when AWS gave none (a `Fail` state without `Error`).
    pub error: Option<String>,
    /// Cause text; absent when AWS gave none.
    pub cause: Option<String>,
}

impl Case {
    /// Reads one line's JSON.
    ///
    /// # Errors
    /// A field the runner needs is missing or of the wrong type.
    pub fn from_json(v: &Value) -> Result<Case, String> {
        let name = str_field(v, "name")?.to_owned();
        let definition = v.get("definition").ok_or("no `definition`")?.to_string();
        let input_text = match v.get("input_text").and_then(Value::as_str) {
            Some(t) => t.to_owned(),
            None => v.get("input").unwrap_or(&Value::Null).to_string(),
        };
        let e = v.get("expected").ok_or("no `expected`")?;
        let opt_str = |k: &str| e.get(k).and_then(Value::as_str).map(str::to_owned);
        let expected = Expected {
            status: str_field(e, "status")?.to_owned(),
            output: e.get("output").cloned(),
            error: opt_str("error"),
            cause: e
                .get("cause")
                .and_then(|c| recorded_text(c, service_causes(v))),
        };
        let tokens = v
            .pointer("/comparison_hints/placeholders_in_expected")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>())
            .unwrap_or_default();
        Ok(Case {
            name,
            definition,
            input_text,
            expected,
            placeholders: Placeholders::new(tokens),
            started_ms: started_ms(v),
            features: v.get("features").cloned().unwrap_or(Value::Null),
            express: v.get("state_machine_type").and_then(Value::as_str) == Some("EXPRESS"),
            history: v.get("history").and_then(Value::as_array).cloned(),
        })
    }

    /// The id of the last recorded history event, when history was recorded.
    pub fn last_event_id(&self) -> Option<u64> {
        self.history
            .as_ref()?
            .last()?
            .get("id")
            .and_then(Value::as_u64)
    }

    /// Why the case is skipped without being named in the skip list: it
    /// needs a feature the engine does not have yet.
    pub fn auto_skip(&self) -> Option<&'static str> {
        UNBUILT
            .iter()
            .find(|(feature, _)| self.features.get(*feature) == Some(&Value::Bool(true)))
            .map(|(_, why)| *why)
    }
}

/// Corpus features the engine does not have yet, with the skip reason:
/// none since Distributed Map was built.
const UNBUILT: &[(&str, &str)] = &[];

/// A recorded text field: the recorder decoded texts that began with `{`
/// (a Lambda's error payload as a `cause`) into JSON; such a value is
/// written back as the text it was. A Lambda function called directly
/// (`LambdaFunctionFailed`) passes on its runtime's text, in the Python
/// `json.dumps` style (`", "` and `": "` separators, non-ASCII escaped); a
/// service integration (`TaskFailed`) re-serializes it compactly (`compact`).
/// Key order is kept either way. `null` is no text.
pub fn recorded_text(v: &Value, compact: bool) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other if compact => Some(other.to_string()),
        other => Some(python_json(other)),
    }
}

/// Whether the case's decoded causes came from a service integration: its
/// history has a `TaskFailed` event whose cause was decoded.
fn service_causes(case: &Value) -> bool {
    case.get("history")
        .and_then(Value::as_array)
        .is_some_and(|h| {
            h.iter().any(|e| {
                e.get("type").and_then(Value::as_str) == Some("TaskFailed")
                    && e.pointer("/taskFailedEventDetails/cause")
                        .is_some_and(|c| c.is_object() || c.is_array())
            })
        })
}

/// JSON text as Python's `json.dumps` writes it by default.
pub fn python_json(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", python_string(k), python_json(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().map(python_json).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::String(s) => python_string(s),
        other => other.to_string(),
    }
}

fn python_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in Value::from(s).to_string().chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

fn str_field<'v>(v: &'v Value, key: &str) -> Result<&'v str, String> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("no string `{key}`"))
}

/// The `ExecutionStarted` event's timestamp unless it was redacted, else
/// the time the snapshot was validated against AWS.
fn started_ms(case: &Value) -> Option<i64> {
    let from_history = case
        .get("history")
        .and_then(Value::as_array)
        .and_then(|h| {
            h.iter()
                .find(|e| e.get("type").and_then(Value::as_str) == Some("ExecutionStarted"))
        })
        .and_then(|e| e.get("timestamp"))
        .and_then(parse_timestamp_ms);
    from_history
        .or_else(|| {
            case.pointer("/source/last_validated_date")
                .and_then(parse_timestamp_ms)
        })
        .or_else(|| {
            case.pointer("/source/recorded_date")
                .and_then(Value::as_str)
                .and_then(parse_recorded_date_ms)
        })
}

/// LocalStack's `recorded_date`, `DD-MM-YYYY, HH:MM:SS` in UTC.
fn parse_recorded_date_ms(s: &str) -> Option<i64> {
    let (date, time) = s.split_once(", ")?;
    let mut dmy = date.splitn(3, '-');
    let (d, m, y) = (dmy.next()?, dmy.next()?, dmy.next()?);
    crate::time::parse_rfc3339_ms(&format!("{y}-{m}-{d}T{time}Z"))
}

/// Every case of a `.jsonl` file, in file order.
///
/// # Errors
/// The file cannot be read, or a line is not a case (with its line number).
pub fn load(path: &Path) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse_lines(&text).map_err(|e| format!("{}:{e}", path.display()))
}

/// Every case of JSON Lines text; blank lines are ignored.
///
/// # Errors
/// A line is not a case, with its line number.
pub fn parse_lines(text: &str) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| format!("{}: {e}", i + 1))?;
        cases.push(Case::from_json(&v).map_err(|e| format!("{}: {e}", i + 1))?);
    }
    Ok(cases)
}

#[cfg(test)]
mod test {
    use super::*;
    use serde_json::json;

    fn case(features: Value) -> Value {
        json!({
            "name": "t/x",
            "definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
            "input": {"a": 1},
            "input_text": "{\"a\": 1}",
            "expected": {"status": "FAILED", "cause": "boom"},
            "features": features,
            "comparison_hints": {"placeholders_in_expected": ["<region>"]},
            "history": [{"type": "ExecutionStarted", "timestamp": "timestamp"}]
        })
    }

    #[test]
    fn reads_a_case() {
        let c = Case::from_json(&case(json!({"query_languages": ["JSONPath"]}))).unwrap();
        assert_eq!(c.name, "t/x");
        assert_eq!(c.input_text, "{\"a\": 1}");
        assert!(c.definition.starts_with("{\"StartAt\":\"A\""));
        assert_eq!(c.expected.error, None);
        assert_eq!(c.expected.cause.as_deref(), Some("boom"));
        assert!(c.placeholders.is_token("<region>"));
        assert_eq!(c.started_ms, None);
        assert_eq!(c.auto_skip(), None);
        assert!(!c.express);
        let mut v = case(json!({}));
        v["state_machine_type"] = json!("EXPRESS");
        assert!(Case::from_json(&v).unwrap().express);
    }

    #[test]
    fn decoded_causes_are_written_back_as_python_did() {
        let mut v = case(json!({}));
        v["expected"]["cause"] =
            json!({"errorMessage": "x \"y\"\n", "errorType": "É", "n": [1, 2.5]});
        let c = Case::from_json(&v).unwrap();
        assert_eq!(
            c.expected.cause.as_deref(),
            Some(r#"{"errorMessage": "x \"y\"\n", "errorType": "\u00c9", "n": [1, 2.5]}"#)
        );
        assert_eq!(c.last_event_id(), None);
        v["history"] = json!([{"type": "TaskFailed", "taskFailedEventDetails": {"cause": {}}}]);
        let c = Case::from_json(&v).unwrap();
        assert_eq!(
            c.expected.cause.as_deref(),
            Some(r#"{"errorMessage":"x \"y\"\n","errorType":"É","n":[1,2.5]}"#)
        );
        v["history"] = json!([{"id": 1}, {"id": 2}]);
        assert_eq!(Case::from_json(&v).unwrap().last_event_id(), Some(2));
    }

    #[test]
    fn real_start_time_is_read() {
        let mut v = case(json!({}));
        v["source"] = json!({"last_validated_date": "2024-03-10T16:22:15+00:00"});
        let c = Case::from_json(&v).unwrap();
        assert_eq!(c.started_ms, Some(1_710_087_735_000), "validation date");
        v["source"] = json!({"last_validated_date": null, "recorded_date": "10-03-2024, 16:22:15"});
        let c = Case::from_json(&v).unwrap();
        assert_eq!(c.started_ms, Some(1_710_087_735_000), "recorded date");
        v["history"][0]["timestamp"] = json!("2024-03-10T16:22:15.250000+00:00");
        let c = Case::from_json(&v).unwrap();
        assert_eq!(c.started_ms, Some(1_710_087_735_250), "history first");
    }

    #[test]
    fn automatic_skips() {
        let skip = |f: Value| Case::from_json(&case(f)).unwrap().auto_skip();
        // JSONata, variables and Distributed Map run: nothing is skipped.
        assert_eq!(
            skip(json!({"query_languages": ["JSONPath", "JSONata"], "assign": true})),
            None
        );
        assert_eq!(
            skip(json!({"query_languages": ["JSONata"], "distributed_map": true})),
            None
        );
        assert_eq!(skip(json!({"distributed_map": true})), None);
        assert_eq!(
            skip(
                json!({"query_languages": ["JSONPath"], "assign": false, "distributed_map": false})
            ),
            None
        );
    }

    #[test]
    fn bad_lines_name_their_number() {
        let e = parse_lines("\n{\"name\": 1}\n").unwrap_err();
        assert!(e.starts_with("2: "), "{e}");
        assert!(parse_lines("{").unwrap_err().starts_with("1: "));
    }
}
