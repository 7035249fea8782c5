//! Nested workflows: a Task state with the resource
//! `arn:aws:states:::states:startExecution` starts an execution of a state
//! machine of this server, with AWS's four patterns: plain (the result is
//! StartExecution's answer), `.sync` and `.sync:2` (the task waits for the
//! child and its result is the child's DescribeExecution, `Output` as JSON
//! text or parsed JSON), `.waitForTaskToken` (the child gets the token in
//! its input, `$$.Task.Token`, and the task waits for `SendTaskSuccess`).
//!
//! The shapes are the ones AWS recorded (LocalStack's AWS-validated
//! snapshots, `tests/aws/services/stepfunctions/v2/callback/test_callback`
//! and `services/test_sfn_task_service`): PascalCase members in
//! alphabetical order; a child that does not succeed fails the task with
//! `States.TaskFailed` and the child's description as the cause. The
//! integration's documentation:
//! <https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html>.
//! Dates are epoch milliseconds (the Java SDK objects the service
//! serialises; AWS's recordings hide their values).
//!
//! The starting itself ([`Children`]) belongs to the server's state; this
//! file only reads the task's parameters and shapes what the task returns.

use serde_json::{json, Map, Value};
use stampede::handlers::{Call, Completion, Reply};
use stampede::Failure;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock, Weak};

/// The resource of a nested execution, without its pattern suffix.
const RESOURCE: &str = "arn:aws:states:::states:startExecution";

/// How the parent waits for the child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// Not at all: the result is StartExecution's answer.
    Start,
    /// Until it ends; `Output` as JSON text.
    Sync,
    /// Until it ends; `Input` and `Output` as JSON.
    Sync2,
    /// For the task token the child (or anyone) sends back.
    Callback,
}

impl Pattern {
    /// The pattern of a Task's resource, if it starts a nested execution.
    pub(crate) fn of(resource: &str) -> Option<Pattern> {
        Some(match resource.strip_prefix(RESOURCE)? {
            "" => Pattern::Start,
            ".sync" => Pattern::Sync,
            ".sync:2" => Pattern::Sync2,
            ".waitForTaskToken" => Pattern::Callback,
            _ => return None,
        })
    }

    /// Whether the task waits for the child to end.
    pub(crate) fn waits(self) -> bool {
        matches!(self, Pattern::Sync | Pattern::Sync2)
    }
}

/// The StartExecution request (its wire members) that a task's effective
/// input asks for: `StateMachineArn`, `Input` (JSON text as given, any
/// other JSON serialised; none is `{}`), `Name`.
///
/// # Errors
/// `States.Runtime` when the effective input is not an object.
pub(crate) fn request(params: &Value) -> Result<Map<String, Value>, Failure> {
    let Some(p) = params.as_object() else {
        return Err(Failure::new(
            "States.Runtime",
            "The parameters of a states:startExecution task must be an object with \
             StateMachineArn (and optionally Input and Name).",
        ));
    };
    let mut body = Map::new();
    if let Some(arn) = p.get("StateMachineArn") {
        body.insert("stateMachineArn".into(), arn.clone());
    }
    let input = match p.get("Input") {
        None | Some(Value::Null) => "{}".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    body.insert("input".into(), Value::String(input));
    if let Some(name) = p.get("Name") {
        body.insert("name".into(), name.clone());
    }
    Ok(body)
}

/// How a child ended, as its parent is told.
#[derive(Debug)]
pub(crate) struct Ended<'a> {
    /// The child's ARN.
    pub(crate) arn: &'a str,
    /// Its name.
    pub(crate) name: &'a str,
    /// Its state machine's ARN.
    pub(crate) machine_arn: &'a str,
    /// Its input text.
    pub(crate) input: &'a str,
    /// Start and stop (ms since the epoch).
    pub(crate) start_ms: i64,
    /// When it stopped.
    pub(crate) stop_ms: i64,
    /// SUCCEEDED, FAILED, TIMED_OUT, ABORTED.
    pub(crate) status: &'a str,
    /// Its output text (when it succeeded).
    pub(crate) output: Option<&'a str>,
    /// Its error and cause (when it did not).
    pub(crate) error: Option<&'a str>,
    /// The cause.
    pub(crate) cause: Option<&'a str>,
}

/// JSON text as a value for `.sync:2` (text that is not JSON stays text).
fn data(text: &str, parsed: bool) -> Value {
    if parsed {
        serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
    } else {
        Value::String(text.to_owned())
    }
}

/// The child's DescribeExecution as the task returns it (AWS's member
/// order: alphabetical).
pub(crate) fn described(e: &Ended<'_>, pattern: Pattern) -> Value {
    let parsed = pattern == Pattern::Sync2;
    let mut m = Map::new();
    if let Some(c) = e.cause {
        m.insert("Cause".into(), json!(c));
    }
    if let Some(c) = e.error {
        m.insert("Error".into(), json!(c));
    }
    m.insert("ExecutionArn".into(), json!(e.arn));
    m.insert("Input".into(), data(e.input, parsed));
    m.insert("InputDetails".into(), json!({"Included": true}));
    m.insert("Name".into(), json!(e.name));
    if let Some(out) = e.output {
        m.insert("Output".into(), data(out, parsed));
        m.insert("OutputDetails".into(), json!({"Included": true}));
    }
    m.insert("StartDate".into(), json!(e.start_ms));
    m.insert("StateMachineArn".into(), json!(e.machine_arn));
    m.insert("Status".into(), json!(e.status));
    m.insert("StopDate".into(), json!(e.stop_ms));
    Value::Object(m)
}

/// What a waiting task ends with: the child's description when it
/// succeeded; else `States.TaskFailed` with that description as the cause
/// (JSON text), as AWS fails the parent of a failed, timed-out or aborted child.
pub(crate) fn result(e: &Ended<'_>, pattern: Pattern) -> Result<Value, Failure> {
    let d = described(e, pattern);
    if e.status == "SUCCEEDED" {
        Ok(d)
    } else {
        Err(Failure::new("States.TaskFailed", d.to_string()))
    }
}

/// StartExecution's answer as a plain `states:startExecution` task returns
/// it: the SDK's result object with its HTTP metadata (AWS's recorded shape).
pub(crate) fn started(arn: &str, start_ms: i64, request_id: &str) -> Value {
    let body_len = json!({"executionArn": arn, "startDate": start_ms as f64 / 1000.0})
        .to_string()
        .len()
        .to_string();
    let date = http_date(start_ms);
    let ct = "application/x-amz-json-1.0";
    json!({
        "ExecutionArn": arn,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {
                "x-amzn-RequestId": [request_id],
                "connection": ["keep-alive"],
                "Content-Length": [body_len],
                "Date": [date],
                "Content-Type": [ct],
            },
            "HttpHeaders": {
                "connection": "keep-alive",
                "Content-Length": body_len,
                "Content-Type": ct,
                "Date": date,
                "x-amzn-RequestId": request_id,
            },
            "HttpStatusCode": 200,
        },
        "SdkResponseMetadata": {"RequestId": request_id},
        "StartDate": start_ms,
    })
}

/// A StartExecution the service refused, as the task fails:
/// `StepFunctions.<Code>Exception` (a code ending in `Exception` kept) and
/// the SDK's cause text.
pub(crate) fn refused(code: &str, message: &str, status: u16, request_id: &str) -> Failure {
    let error = if code.ends_with("Exception") {
        format!("StepFunctions.{code}")
    } else {
        format!("StepFunctions.{code}Exception")
    };
    Failure::new(
        error,
        format!(
            "{message} (Service: AWSStepFunctions; Status Code: {status}; Error Code: {code}; \
             Request ID: {request_id}; Proxy: null)"
        ),
    )
}

/// An RFC 7231 date (`Tue, 01 Dec 2026 02:39:52 GMT`) of `ms` since the epoch.
fn http_date(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (era arithmetic of the
    // proleptic Gregorian calendar, 400-year cycles of 146,097 days).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// One nested start, handed from the engine's worker to the I/O side.
#[derive(Debug)]
pub(crate) struct ChildRequest {
    /// How the parent waits.
    pub(crate) pattern: Pattern,
    /// The StartExecution request ([`request`]).
    pub(crate) body: Map<String, Value>,
    /// The parent's engine id.
    pub(crate) parent: u64,
    /// Completes the parent's task.
    pub(crate) done: Completion,
}

/// A boxed future that starts a child.
pub(crate) type Starting = Pin<Box<dyn Future<Output = ()> + Send>>;

/// What starts nested executions: the server's state.
pub(crate) trait Children: Send + Sync + 'static {
    /// Starts the child of `req` and completes the parent's task as its pattern says.
    fn start_child(self: Arc<Self>, req: ChildRequest) -> Starting;
}

/// The server's [`Children`], known once the server's state exists (which
/// holds the handlers that need it: so a weak link, bound late).
#[derive(Clone, Default)]
pub(crate) struct Late(Arc<OnceLock<Weak<dyn Children>>>);

impl std::fmt::Debug for Late {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Late")
            .field("bound", &self.0.get().is_some())
            .finish()
    }
}

impl Late {
    /// Binds the starter (the first binding wins).
    pub(crate) fn bind(&self, children: Weak<dyn Children>) {
        let _ = self.0.set(children);
    }

    /// Serves a nested-execution task: reads its parameters, then hands the
    /// start to `io` (the start may compile a mock test case) and waits.
    pub(crate) fn call(
        &self,
        io: &tokio::runtime::Handle,
        c: &mut Call<'_>,
        pattern: Pattern,
    ) -> Reply {
        let body = match request(&c.input_json()) {
            Ok(b) => b,
            Err(f) => return Reply::Error(f),
        };
        let Some(children) = self.0.get().and_then(Weak::upgrade) else {
            return Reply::Error(Failure::new(
                "States.TaskFailed",
                "This stampede server is stopping: it starts no nested execution now.",
            ));
        };
        let req = ChildRequest {
            pattern,
            body,
            parent: c.execution_id(),
            done: c.defer(),
        };
        io.spawn(children.start_child(req));
        Reply::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_patterns_are_told_apart() {
        assert_eq!(Pattern::of(RESOURCE), Some(Pattern::Start));
        assert_eq!(
            Pattern::of(&format!("{RESOURCE}.sync")),
            Some(Pattern::Sync)
        );
        assert_eq!(
            Pattern::of(&format!("{RESOURCE}.sync:2")),
            Some(Pattern::Sync2)
        );
        assert_eq!(
            Pattern::of(&format!("{RESOURCE}.waitForTaskToken")),
            Some(Pattern::Callback)
        );
        assert_eq!(Pattern::of(&format!("{RESOURCE}.sync:3")), None);
        assert_eq!(Pattern::of("arn:aws:states:::lambda:invoke"), None);
        assert!(Pattern::Sync.waits() && Pattern::Sync2.waits());
        assert!(!Pattern::Start.waits() && !Pattern::Callback.waits());
    }

    #[test]
    fn parameters_become_a_start_execution_request() {
        let b = request(&json!({"StateMachineArn": "arn:x", "Input": {"a": [1, 2]},
                                "Name": "n"}))
        .unwrap();
        assert_eq!(
            Value::Object(b),
            json!({"stateMachineArn": "arn:x", "input": "{\"a\":[1,2]}", "name": "n"})
        );
        // Input as text is taken as given; none is `{}`.
        let b = request(&json!({"StateMachineArn": "arn:x", "Input": "{\"k\": 1}"})).unwrap();
        assert_eq!(b["input"], "{\"k\": 1}");
        let b = request(&json!({"StateMachineArn": "arn:x", "Input": null})).unwrap();
        assert_eq!(b["input"], "{}");
        assert!(b.get("name").is_none());
        let e = request(&json!([1])).unwrap_err();
        assert_eq!(e.error, "States.Runtime");
    }

    fn ended<'a>(status: &'a str, output: Option<&'a str>, error: Option<&'a str>) -> Ended<'a> {
        Ended {
            arn: "arn:aws:states:us-east-1:1:execution:Child:c1",
            name: "c1",
            machine_arn: "arn:aws:states:us-east-1:1:stateMachine:Child",
            input: "{\"x\":1}",
            start_ms: 1_700_000_000_000,
            stop_ms: 1_700_000_000_250,
            status,
            output,
            error,
            cause: error.map(|_| "it broke"),
        }
    }

    #[test]
    fn a_succeeded_child_is_described_in_the_sync_shapes() {
        let e = ended("SUCCEEDED", Some("{\"y\":2}"), None);
        let v = result(&e, Pattern::Sync).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "ExecutionArn",
                "Input",
                "InputDetails",
                "Name",
                "Output",
                "OutputDetails",
                "StartDate",
                "StateMachineArn",
                "Status",
                "StopDate"
            ]
        );
        assert_eq!(v["Output"], "{\"y\":2}");
        assert_eq!(v["Input"], "{\"x\":1}");
        assert_eq!(v["StopDate"], 1_700_000_000_250_i64);
        let v2 = result(&e, Pattern::Sync2).unwrap();
        assert_eq!(v2["Output"], json!({"y": 2}));
        assert_eq!(v2["Input"], json!({"x": 1}));
    }

    #[test]
    fn a_failed_child_fails_the_task_with_its_description() {
        let e = ended("FAILED", None, Some("Boom"));
        let f = result(&e, Pattern::Sync).unwrap_err();
        assert_eq!(f.error, "States.TaskFailed");
        let cause: Value = serde_json::from_str(&f.cause).unwrap();
        assert_eq!(cause["Status"], "FAILED");
        assert_eq!(cause["Error"], "Boom");
        assert_eq!(cause["Cause"], "it broke");
        assert!(cause.get("Output").is_none());
        let first = cause.as_object().unwrap().keys().next().unwrap().clone();
        assert_eq!(first, "Cause", "alphabetical, as AWS");
        assert!(result(&ended("ABORTED", None, None), Pattern::Sync2).is_err());
    }

    #[test]
    fn a_plain_start_answers_with_the_sdk_metadata() {
        let v = started("arn:e", 1_700_000_000_123, "req-1");
        assert_eq!(v["ExecutionArn"], "arn:e");
        assert_eq!(v["StartDate"], 1_700_000_000_123_i64);
        assert_eq!(v["SdkResponseMetadata"]["RequestId"], "req-1");
        let h = &v["SdkHttpMetadata"]["HttpHeaders"];
        assert_eq!(h["Date"], "Tue, 14 Nov 2023 22:13:20 GMT");
        let body = r#"{"executionArn":"arn:e","startDate":1700000000.123}"#;
        assert_eq!(h["Content-Length"], body.len().to_string());
        assert_eq!(v["SdkHttpMetadata"]["HttpStatusCode"], 200);
    }

    #[test]
    fn http_dates_are_rfc_7231() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(951_782_400_000), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(
            http_date(1_798_761_599_000),
            "Thu, 31 Dec 2026 23:59:59 GMT"
        );
    }

    #[test]
    fn refused_starts_name_the_sdk_exception() {
        let f = refused(
            "StateMachineDoesNotExist",
            "State Machine Does Not Exist: 'x'",
            400,
            "r",
        );
        assert_eq!(f.error, "StepFunctions.StateMachineDoesNotExistException");
        assert!(f.cause.starts_with("State Machine Does Not Exist: 'x' (Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist;"));
        assert_eq!(
            refused("ValidationException", "m", 400, "r").error,
            "StepFunctions.ValidationException"
        );
    }
}
