//! The typed state machine: what a definition says, after parsing and
//! validation, before compilation. Paths, templates and intrinsic calls are
//! kept compiled (the `path` types validation parsed), so each is parsed
//! once; `compile` puts them in the program's pools.
// The model keeps every field of a definition (Comment, Version,
// Credentials, Label, the JSONata forms …) whether or not a later stage reads it yet.
#![allow(dead_code)]

use std::sync::Arc;

use serde_json::Value;

use crate::jsonata::QueryTemplate;
use crate::path::{Expr, Path, Template};

/// A JSONata field (`Output`, `Items`, `Condition`, a `{% %}` number …):
/// the JSON as written and the template compiled from it (every string
/// that is exactly `{% expr %}` an expression, parsed once).
#[derive(Debug, Clone)]
pub(crate) struct Query {
    /// The field's JSON, as written.
    pub raw: Value,
    /// The compiled form (shared: the compiler places the same one in the program).
    pub(crate) template: Arc<QueryTemplate>,
}

impl PartialEq for Query {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

/// A whole state machine (the top level of a definition).
#[derive(Debug, Clone)]
pub(crate) struct StateMachine {
    /// `Comment`
    pub comment: Option<String>,
    /// `StartAt` and `States` of the top level.
    pub block: Block,
    /// `TimeoutSeconds` of the whole execution.
    pub timeout_seconds: Option<u64>,
    /// `Version`
    pub version: Option<String>,
    /// Top-level `QueryLanguage` (default JSONPath).
    pub query_language: QueryLanguage,
}

/// A `StartAt` + `States` pair: the top level, a Parallel branch or a Map processor.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// Name of the first state.
    pub start_at: String,
    /// States in definition order.
    pub states: Vec<State>,
    /// JSON pointer of the object holding `StartAt`/`States` ("" for the top level).
    pub pointer: String,
}

/// The query language of a state or machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum QueryLanguage {
    /// `"JSONPath"` (the default)
    #[default]
    JsonPath,
    /// `"JSONata"`
    Jsonata,
}

/// One state.
#[derive(Debug, Clone)]
pub(crate) struct State {
    /// The state's name (its key in `States`).
    pub name: String,
    /// JSON pointer of the state object, e.g. `/States/Foo` or `/States/P/Branches/0/States/X`.
    pub pointer: String,
    /// `Comment`
    pub comment: Option<String>,
    /// Effective query language (state's own, else the machine's).
    pub query_language: QueryLanguage,
    /// `InputPath`: `None` when JSON `null`; `"$"` when absent.
    pub input_path: Option<Path>,
    /// `OutputPath`: `None` when JSON `null`; `"$"` when absent.
    pub output_path: Option<Path>,
    /// `Next` or `End`, where the type has them.
    pub transition: Transition,
    /// `Assign` (workflow variables).
    pub assign: Option<Payload>,
    /// `Output` (JSONata mode).
    pub output: Option<Query>,
    /// The type-specific fields.
    pub kind: StateKind,
}

/// Where a state goes when it completes normally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Transition {
    /// `"Next": name`
    Next(String),
    /// `"End": true`
    End,
    /// Choice, Succeed and Fail have neither.
    None,
}

/// The type-specific part of a state.
#[derive(Debug, Clone)]
pub(crate) enum StateKind {
    /// `"Type": "Pass"`
    Pass(Pass),
    /// `"Type": "Task"`
    Task(Box<Task>),
    /// `"Type": "Choice"`
    Choice(Choice),
    /// `"Type": "Wait"`
    Wait(Wait),
    /// `"Type": "Succeed"`
    Succeed,
    /// `"Type": "Fail"`
    Fail(Fail),
    /// `"Type": "Parallel"`
    Parallel(Box<Parallel>),
    /// `"Type": "Map"`
    Map(Box<Map>),
}

/// A payload field (`Parameters`, `Arguments`, `ResultSelector`,
/// `ItemSelector`, `Assign`): the JSON as written and, in JSONPath, the
/// template compiled from it.
#[derive(Debug, Clone)]
pub(crate) struct Payload {
    /// The field's JSON, as written.
    pub raw: Value,
    /// The compiled template (JSONPath); `None` in JSONata, where the field
    /// holds expressions rather than `"key.$"` fields. Boxed: a template
    /// owns a small document of its constants.
    pub template: Option<Box<Template>>,
    /// The compiled JSONata template (JSONata states).
    pub(crate) query: Option<Arc<QueryTemplate>>,
}

/// Pass fields.
#[derive(Debug, Clone)]
pub(crate) struct Pass {
    /// `Result`
    pub result: Option<Value>,
    /// `ResultPath`: `None` when `null`; `"$"` when absent.
    pub result_path: Option<Path>,
    /// `Parameters` (a payload template).
    pub parameters: Option<Payload>,
}

/// A number given directly or by a reference path (`TimeoutSeconds` / `TimeoutSecondsPath`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NumberOrPath {
    /// The literal number.
    Value(u64),
    /// A reference path to read it from the effective input.
    Path(Path),
    /// A JSONata expression (`{% … %}`), JSONata mode only.
    Expr(Query),
}

/// A tolerated-failure threshold of a Distributed Map: the literal (a
/// count or a percentage), or where to read it at run time.
#[derive(Debug, Clone)]
pub(crate) enum Threshold {
    /// The literal number (checked against its range when parsed).
    Value(f64),
    /// `ToleratedFailure…Path`: a reference path into the effective input.
    Path(Path),
    /// A JSONata expression (`{% … %}`), JSONata mode only.
    Expr(Query),
}

/// A Distributed Map's `ItemReader`.
#[derive(Debug, Clone)]
pub(crate) struct ItemReader {
    /// How to read the object (or the listing, for `listObjectsV2`).
    pub format: crate::store::items::Format,
    /// `ReaderConfig.MaxItems` / `MaxItemsPath`.
    pub max_items: Option<NumberOrPath>,
    /// `Parameters` (JSONPath) or `Arguments` (JSONata): `Bucket` and `Key` or `Prefix`.
    pub parameters: Payload,
}

/// A Distributed Map's `ResultWriter`.
#[derive(Debug, Clone)]
pub(crate) struct ResultWriter {
    /// `Parameters` (JSONPath) or `Arguments` (JSONata): `Bucket` and `Prefix`.
    pub parameters: Payload,
    /// `WriterConfig.OutputType` is `JSONL` (else `JSON`).
    pub jsonl: bool,
    /// `WriterConfig.Transformation`.
    pub transformation: crate::store::Transformation,
}

/// A Distributed Map's `ItemBatcher`.
#[derive(Debug, Clone)]
pub(crate) struct ItemBatcher {
    /// `MaxItemsPerBatch` / `…Path`.
    pub max_items: Option<NumberOrPath>,
    /// `MaxInputBytesPerBatch` / `…Path`.
    pub max_bytes: Option<NumberOrPath>,
    /// `BatchInput`: a template over the state input.
    pub batch_input: Option<Payload>,
}

/// Task fields.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    /// `Resource`
    pub resource: String,
    /// `Parameters` (JSONPath) or `Arguments` (JSONata).
    pub parameters: Option<Payload>,
    /// `ResultSelector`
    pub result_selector: Option<Payload>,
    /// `ResultPath`: `None` when `null`; `"$"` when absent.
    pub result_path: Option<Path>,
    /// `TimeoutSeconds` / `TimeoutSecondsPath`
    pub timeout: Option<NumberOrPath>,
    /// `HeartbeatSeconds` / `HeartbeatSecondsPath`
    pub heartbeat: Option<NumberOrPath>,
    /// `Credentials` (`RoleArn`: shown in history's `taskCredentials`).
    pub credentials: Option<Payload>,
    /// `Retry`
    pub retry: Vec<Retrier>,
    /// `Catch`
    pub catch: Vec<Catcher>,
}

/// `JitterStrategy` of a retrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Jitter {
    /// `"NONE"` (default)
    #[default]
    None,
    /// `"FULL"`
    Full,
}

/// One element of `Retry`.
#[derive(Debug, Clone)]
pub(crate) struct Retrier {
    /// `ErrorEquals`
    pub error_equals: Vec<String>,
    /// `IntervalSeconds` (default 1)
    pub interval_seconds: u64,
    /// `MaxAttempts` (default 3)
    pub max_attempts: u64,
    /// `BackoffRate` (default 2.0)
    pub backoff_rate: f64,
    /// `MaxDelaySeconds`
    pub max_delay_seconds: Option<u64>,
    /// `JitterStrategy`
    pub jitter: Jitter,
}

/// One element of `Catch`.
#[derive(Debug, Clone)]
pub(crate) struct Catcher {
    /// `ErrorEquals`
    pub error_equals: Vec<String>,
    /// `Next`
    pub next: String,
    /// `ResultPath`: `None` when `null`; `"$"` when absent.
    pub result_path: Option<Path>,
    /// `Assign`
    pub assign: Option<Payload>,
    /// `Output` (JSONata)
    pub output: Option<Query>,
}

/// Choice fields.
#[derive(Debug, Clone)]
pub(crate) struct Choice {
    /// `Choices`: top-level rules, each with its `Next`.
    pub choices: Vec<ChoiceRule>,
    /// `Default`
    pub default: Option<String>,
}

/// A top-level Choice rule.
#[derive(Debug, Clone)]
pub(crate) struct ChoiceRule {
    /// The test.
    pub rule: Rule,
    /// `Next`
    pub next: String,
    /// `Assign` of this rule.
    pub assign: Option<Payload>,
    /// `Output` of this rule (JSONata).
    pub output: Option<Query>,
}

/// A Choice test (JSONPath mode), or a JSONata `Condition`.
#[derive(Debug, Clone)]
pub(crate) enum Rule {
    /// `And`: all must hold (short-circuit).
    And(Vec<Rule>),
    /// `Or`: one must hold (short-circuit).
    Or(Vec<Rule>),
    /// `Not`
    Not(Box<Rule>),
    /// `Variable` + one comparison operator.
    Compare {
        /// `Variable` (a path, may start with `$$`).
        variable: Path,
        /// The operator, with the `Path` suffix folded into `operand`.
        op: Comparison,
        /// The literal or the path to compare with.
        operand: Operand,
    },
    /// JSONata `Condition` (a boolean or a `{% %}` string).
    Condition(Query),
}

/// A comparison operator; `…Path` forms use [`Operand::Path`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub(crate) enum Comparison {
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    /// A literal (string, number, boolean; `Is*` operators take a boolean).
    Value(Value),
    /// A path (the `…Path` operator forms).
    Path(Path),
}

/// Wait: exactly one of these.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Wait {
    /// `Seconds`
    Seconds(u64),
    /// `SecondsPath`
    SecondsPath(Path),
    /// `Timestamp` (RFC 3339, already checked)
    Timestamp(String),
    /// `TimestampPath`
    TimestampPath(Path),
    /// JSONata `Seconds` or `Timestamp` given as an expression.
    Expr {
        /// `true` for `Seconds`, `false` for `Timestamp`.
        seconds: bool,
        /// The `{% %}` expression.
        expr: Query,
    },
}

/// A Fail `Error` or `Cause`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FailField {
    /// `Error` / `Cause`: the literal text.
    Literal(String),
    /// `ErrorPath` / `CausePath`: a path or an intrinsic function call.
    Path(Expr),
    /// JSONata `Error` / `Cause` given as an expression.
    Query(Query),
}

/// Fail fields.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fail {
    /// `Error` / `ErrorPath`
    pub error: Option<FailField>,
    /// `Cause` / `CausePath`
    pub cause: Option<FailField>,
}

/// Parallel fields.
#[derive(Debug, Clone)]
pub(crate) struct Parallel {
    /// `Branches`
    pub branches: Vec<Block>,
    /// `Parameters` / `Arguments`
    pub parameters: Option<Payload>,
    /// `ResultSelector`
    pub result_selector: Option<Payload>,
    /// `ResultPath`: `None` when `null`; `"$"` when absent.
    pub result_path: Option<Path>,
    /// `Retry`
    pub retry: Vec<Retrier>,
    /// `Catch`
    pub catch: Vec<Catcher>,
}

/// `ProcessorConfig.Mode` of a Map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum MapMode {
    /// `INLINE` (default)
    #[default]
    Inline,
    /// `DISTRIBUTED`
    Distributed,
}

/// Map fields.
#[derive(Debug, Clone)]
pub(crate) struct Map {
    /// `ItemProcessor` (or the older `Iterator`).
    pub processor: Block,
    /// `ProcessorConfig.Mode`
    pub mode: MapMode,
    /// `ProcessorConfig.ExecutionType` is `EXPRESS` (a Distributed Map's children).
    pub express_children: bool,
    /// `ItemsPath` (default `"$"`); JSONata `Items` goes to `items`.
    pub items_path: Path,
    /// JSONata `Items`.
    pub items: Option<Query>,
    /// `ItemSelector` (or the older `Parameters`).
    pub item_selector: Option<Payload>,
    /// `MaxConcurrency` / `MaxConcurrencyPath` (absent: 0 = unlimited).
    pub max_concurrency: Option<NumberOrPath>,
    /// `ResultSelector`
    pub result_selector: Option<Payload>,
    /// `ResultPath`: `None` when `null`; `"$"` when absent.
    pub result_path: Option<Path>,
    /// `ToleratedFailurePercentage` / `…Path`
    pub tolerated_failure_percentage: Option<Threshold>,
    /// `ToleratedFailureCount` / `…Path`
    pub tolerated_failure_count: Option<Threshold>,
    /// `ItemReader` (distributed)
    pub item_reader: Option<ItemReader>,
    /// `ItemBatcher` (distributed)
    pub item_batcher: Option<ItemBatcher>,
    /// `ResultWriter` (distributed)
    pub result_writer: Option<ResultWriter>,
    /// `Label`
    pub label: Option<String>,
    /// `Retry`
    pub retry: Vec<Retrier>,
    /// `Catch`
    pub catch: Vec<Catcher>,
}
