//! A compiled state machine: flat ops plus the side tables their operands
//! index. Built by `compile`, read by `vm`; holds no logic.

use super::ids::*;
use super::op::Op;
use crate::json::{Doc, Val};
use crate::jsonata::QueryTemplate;
use crate::path::{Expr, Path, Template};
use std::sync::Arc;

/// What kind of state a [`StateInfo`] describes (for history and causes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub(crate) enum StateType {
    Pass,
    Task,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

/// Where a result or error output is written: `ResultPath` compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ResultTarget {
    /// `"$"`: replace the whole value.
    Root,
    /// `null`: keep the raw input.
    Discard,
    /// A reference path into the raw input.
    Path(PathId),
}

/// How an `ErrorEquals` list matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ErrorMatcher {
    /// Exact names listed.
    pub names: Vec<Box<str>>,
    /// `States.ALL` listed.
    pub all: bool,
    /// `States.TaskFailed` listed (matches any error except `States.Timeout`).
    pub task_failed: bool,
}

impl ErrorMatcher {
    /// Whether `error` is matched, with AWS's rules: nothing matches
    /// `States.Runtime`, not even its own name (recorded: a Catch naming it
    /// did not fire); `States.ALL` matches everything else, `States.DataLimitExceeded`
    /// included (recorded: a task's oversized result was caught by it);
    /// `States.TaskFailed` matches all but `States.Timeout`.
    pub(crate) fn matches(&self, error: &str) -> bool {
        if error == "States.Runtime" {
            return false;
        }
        if self.names.iter().any(|n| &**n == error) {
            return true;
        }
        self.all || (self.task_failed && error != "States.Timeout")
    }
}

/// A `Retry` element, with times in milliseconds.
#[derive(Clone, Debug)]
pub(crate) struct RetrierInfo {
    /// `ErrorEquals`
    pub errors: ErrorMatcher,
    /// `IntervalSeconds` × 1000
    pub interval_ms: u64,
    /// `MaxAttempts`
    pub max_attempts: u64,
    /// `BackoffRate`
    pub backoff_rate: f64,
    /// `MaxDelaySeconds` × 1000
    pub max_delay_ms: Option<u64>,
    /// `JitterStrategy: FULL`
    pub full_jitter: bool,
}

/// A `Catch` element.
#[derive(Clone, Debug)]
pub(crate) struct CatcherInfo {
    /// `ErrorEquals`
    pub errors: ErrorMatcher,
    /// The `Enter` op of the `Next` state.
    pub next: OpId,
    /// `ResultPath` for the error output.
    pub result: ResultTarget,
    /// JSONata `Output` of the catcher (its error output otherwise).
    pub output: Option<QueryId>,
    /// `Assign` of the catcher.
    pub assign: Option<AssignId>,
}

/// Per-state side table: read when entering, failing, or describing a state.
#[derive(Clone, Debug)]
pub(crate) struct StateInfo {
    /// State name.
    pub name: Box<str>,
    /// JSON pointer of the state in the definition (for history's
    /// `EvaluationFailed` location and tracing; nothing reads it yet).
    #[allow(dead_code)]
    pub pointer: Box<str>,
    /// State type.
    pub kind: StateType,
    /// The block the state belongs to.
    pub block: BlockId,
    /// The state's `Enter` op.
    pub entry: OpId,
    /// Where a retry restarts (the op after `Enter`).
    pub retry_point: OpId,
    /// A Task whose ops before `Invoke` (`InputPath`, `Parameters`) read
    /// only its input: a retry after its handler failed keeps the effective
    /// input and calls again, without evaluating them again (equal values).
    pub retry_keeps_input: bool,
    /// `Retry`
    pub retriers: Vec<RetrierInfo>,
    /// `Catch`
    pub catchers: Vec<CatcherInfo>,
    /// Which parts of the context object (`$$`) the state reads: [`ctx`] bits (0: none).
    pub context: u16,
}

/// Parts of the context object a state reads (bits of [`StateInfo::context`]).
pub(crate) mod ctx {
    /// `$$.Execution.Input`
    pub(crate) const EXEC_INPUT: u16 = 1;
    /// `$$.Execution.Id`
    pub(crate) const EXEC_ID: u16 = 1 << 1;
    /// `$$.Execution.Name`
    pub(crate) const EXEC_NAME: u16 = 1 << 2;
    /// `$$.Execution.StartTime`
    pub(crate) const EXEC_START: u16 = 1 << 3;
    /// `$$.Execution.RoleArn`
    pub(crate) const EXEC_ROLE: u16 = 1 << 4;
    /// `$$.Execution.RedriveCount`
    pub(crate) const EXEC_REDRIVE: u16 = 1 << 5;
    /// `$$.Execution` as a whole.
    pub(crate) const EXEC_ALL: u16 = 1 << 6;
    /// `$$.StateMachine` (any part).
    pub(crate) const MACHINE: u16 = 1 << 7;
    /// `$$.State.Name`
    pub(crate) const STATE_NAME: u16 = 1 << 8;
    /// `$$.State.EnteredTime`
    pub(crate) const STATE_ENTERED: u16 = 1 << 9;
    /// `$$.State.RetryCount`
    pub(crate) const STATE_RETRY: u16 = 1 << 10;
    /// `$$.State` as a whole.
    pub(crate) const STATE_ALL: u16 = 1 << 11;
    /// `$$.Map` or `$$.Task` (added where they exist).
    pub(crate) const MAP: u16 = 1 << 12;
    /// The whole object (`$$`, or a form not recognised).
    pub(crate) const ALL: u16 = 1 << 13;
}

/// A number known at compile time or read from a reference path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumSource {
    /// The literal.
    Value(u64),
    /// Read from the effective input.
    Path(PathId),
    /// A JSONata expression.
    Query(QueryId),
}

/// How a Task's resource shows in history (event names and counts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TaskFlavor {
    /// A Lambda function ARN (`LambdaFunction*` events).
    Lambda,
    /// Anything else (`Task*` events).
    Service,
}

/// A Task's `Credentials` compiled: a payload template (JSONPath) or a
/// query (JSONata), either giving `{"RoleArn": …}`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Credentials {
    Path(TemplateId),
    Query(QueryId),
}

/// A Task's side table.
#[derive(Clone, Debug)]
pub(crate) struct TaskInfo {
    /// `Resource`
    pub resource: Box<str>,
    /// The handler serving it, resolved at compile time.
    pub handler: HandlerId,
    /// `TimeoutSeconds` / `TimeoutSecondsPath`
    pub timeout: Option<NumSource>,
    /// `HeartbeatSeconds` / `HeartbeatSecondsPath`
    pub heartbeat: Option<NumSource>,
    /// A `.waitForTaskToken` resource: the result is what its task token is sent with.
    pub callback: bool,
    /// History flavour (`LambdaFunction*` or `Task*` events; read once
    /// history records events by type, until then only counted).
    #[allow(dead_code)]
    pub flavor: TaskFlavor,
    /// `Credentials`, evaluated only for history's `taskCredentials`.
    pub credentials: Option<Credentials>,
    /// A `.sync` or `.waitForTaskToken` integration: AWS records
    /// `TaskSubmitted` once the call that starts the work returns.
    pub submits: bool,
    /// No timeout, heartbeat, callback or submission: the invocation's
    /// fast path, which only history (a run-time choice) leaves.
    pub plain: bool,
}

/// A Choice comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub(crate) enum CmpOp {
    StrEq,
    StrLt,
    StrGt,
    StrLe,
    StrGe,
    StrMatches,
    NumEq,
    NumLt,
    NumGt,
    NumLe,
    NumGe,
    BoolEq,
    TsEq,
    TsLt,
    TsGt,
    TsLe,
    TsGe,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

/// The right-hand side of a comparison.
#[derive(Clone, Debug)]
pub(crate) enum TestOperand {
    /// A constant in the constant pool.
    Const(ConstId),
    /// A path into the effective input / context.
    Path(PathId),
    /// A timestamp literal, pre-parsed (nanoseconds since the epoch).
    Timestamp(i128),
    /// A `StringMatches` pattern, pre-split on unescaped `*`.
    Pattern(Vec<Box<str>>),
    /// `Is*` operators: the expected boolean.
    Bool(bool),
}

/// One Choice comparison: `Variable` op operand.
#[derive(Clone, Debug)]
pub(crate) struct TestInfo {
    /// `Variable`
    pub variable: PathId,
    /// The operator.
    pub op: CmpOp,
    /// The operand.
    pub operand: TestOperand,
}

/// A Wait's side table.
#[derive(Clone, Debug)]
pub(crate) enum WaitInfo {
    /// `Seconds`
    Seconds(u64),
    /// `SecondsPath`
    SecondsPath(PathId),
    /// `Timestamp`, pre-parsed (nanoseconds since the epoch).
    Timestamp(i128),
    /// `TimestampPath`
    TimestampPath(PathId),
    /// JSONata `Seconds` (`seconds`) or `Timestamp` given as an expression.
    Query {
        /// The expression.
        query: QueryId,
        /// `Seconds` rather than `Timestamp`.
        seconds: bool,
    },
}

/// Where a Fail's error or cause comes from.
#[derive(Clone, Debug)]
pub(crate) enum FailSource {
    /// Literal text.
    Literal(Box<str>),
    /// `ErrorPath` / `CausePath`: a path or an intrinsic.
    Expr(Box<Expr>),
    /// JSONata `Error` / `Cause` given as an expression.
    Query(QueryId),
}

/// A Fail's side table.
#[derive(Clone, Debug)]
pub(crate) struct FailInfo {
    /// `Error` / `ErrorPath`
    pub error: Option<FailSource>,
    /// `Cause` / `CausePath`
    pub cause: Option<FailSource>,
}

/// A Parallel's side table.
#[derive(Clone, Debug)]
pub(crate) struct ParallelInfo {
    /// One block per branch, in order.
    pub branches: Vec<BlockId>,
}

/// A Map's side table.
#[derive(Clone, Debug)]
pub(crate) struct MapInfo {
    /// `ItemProcessor`
    pub processor: BlockId,
    /// `ItemsPath`
    pub items_path: PathId,
    /// JSONata `Items` (else the state's input).
    pub items: Option<QueryId>,
    /// `ItemSelector`
    pub item_selector: Option<TemplateId>,
    /// JSONata `ItemSelector`.
    pub item_query: Option<QueryId>,
    /// Whether the selector reads `$$` (needs `$$.Map.Item`).
    pub selector_uses_context: bool,
    /// `MaxConcurrency` / `MaxConcurrencyPath` (0 = unlimited).
    pub max_concurrency: NumSource,
    /// A JSONata state (its items are `Items`, else its input, which must be an array).
    pub jsonata: bool,
    /// `ProcessorConfig.Mode: DISTRIBUTED`: iterations are child executions with histories of their own.
    pub distributed: bool,
    /// A Distributed Map's `ToleratedFailureCount` (`…Path`, `{% %}`).
    pub tolerated_count: Option<Threshold>,
    /// A Distributed Map's `ToleratedFailurePercentage` (`…Path`, `{% %}`).
    pub tolerated_percentage: Option<Threshold>,
    /// A Distributed Map's `ItemReader`.
    pub reader: Option<Box<ReaderInfo>>,
    /// A Distributed Map's `ItemBatcher`.
    pub batcher: Option<Box<BatcherInfo>>,
    /// A Distributed Map's `ResultWriter`.
    pub writer: Option<Box<WriterInfo>>,
    /// A Distributed Map's `Label` (its Map Run and children are named by it).
    pub label: Option<Box<str>>,
    /// Its children are Express executions (`ExecutionType: EXPRESS`).
    pub express_children: bool,
}

/// A `ResultWriter`'s side table.
#[derive(Clone, Debug)]
pub(crate) struct WriterInfo {
    /// `Parameters` / `Arguments`: `Bucket` and `Prefix`.
    pub params: Args,
    /// `WriterConfig.OutputType` `JSONL`.
    pub jsonl: bool,
    /// `WriterConfig.Transformation`.
    pub transformation: crate::store::Transformation,
    /// The `ResultWriter`'s JSON pointer (for the missing-store diagnostic).
    pub pointer: Box<str>,
}

impl MapInfo {
    /// The pointer of the reader or writer that needs an object store, if any.
    pub(crate) fn store_pointer(&self) -> Option<&str> {
        let reader = self.reader.as_deref().map(|r| &*r.pointer);
        reader.or(self.writer.as_deref().map(|w| &*w.pointer))
    }
}

/// A payload given as a JSONPath template or a JSONata template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Args {
    /// `Parameters` and the like (JSONPath).
    Template(TemplateId),
    /// `Arguments` and the like (JSONata).
    Query(QueryId),
}

/// An `ItemReader`'s side table.
#[derive(Clone, Debug)]
pub(crate) struct ReaderInfo {
    /// How to read the object or listing.
    pub format: crate::store::items::Format,
    /// `MaxItems` / `MaxItemsPath` (absent: all).
    pub max_items: Option<NumSource>,
    /// `Parameters` / `Arguments`: `Bucket`, and `Key` or `Prefix`.
    pub params: Args,
    /// The `ItemReader`'s JSON pointer (for the missing-store diagnostic).
    pub pointer: Box<str>,
}

/// An `ItemBatcher`'s side table.
#[derive(Clone, Debug)]
pub(crate) struct BatcherInfo {
    /// `MaxItemsPerBatch` / `…Path`.
    pub max_items: Option<NumSource>,
    /// `MaxInputBytesPerBatch` / `…Path`.
    pub max_bytes: Option<NumSource>,
    /// `BatchInput`.
    pub batch_input: Option<Args>,
}

/// A tolerated-failure threshold: known at compile time, or read at run time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Threshold {
    /// The literal.
    Value(f64),
    /// Read from the effective input.
    Path(PathId),
    /// A JSONata expression.
    Query(QueryId),
}

/// A `StartAt`/`States` block: the top level, a branch or a processor.
#[derive(Clone, Debug)]
pub(crate) struct BlockInfo {
    /// The start state's `Enter` op.
    pub entry: OpId,
}

/// Which parts of `$states` a JSONata template sees (bits of [`QueryInfo::sees`]).
pub(crate) mod sees {
    /// `$states.result` (Task, Parallel and Map `Output` and `Assign`).
    pub(crate) const RESULT: u8 = 1;
    /// `$states.errorOutput` (a catcher's `Output` and `Assign`).
    pub(crate) const ERROR_OUTPUT: u8 = 1 << 1;
}

/// A JSONata template of the program and what its `$states` holds.
#[derive(Clone, Debug)]
pub(crate) struct QueryInfo {
    /// The compiled template.
    pub(crate) template: Arc<QueryTemplate>,
    /// [`sees`] bits.
    pub sees: u8,
}

/// An `Assign` of a state, a Choice rule or a catcher.
#[derive(Clone, Debug)]
pub(crate) enum AssignInfo {
    /// JSONPath: a payload template evaluated against the state's result.
    Path(TemplateId),
    /// JSONata: a template evaluated with `$states`.
    Query(QueryId),
}

/// A compiled state machine.
#[derive(Clone, Debug)]
pub(crate) struct Program {
    /// All ops of all blocks.
    pub ops: Vec<Op>,
    /// Side table: the state each op belongs to (same length as `ops`).
    pub op_state: Vec<StateId>,
    /// States.
    pub states: Vec<StateInfo>,
    /// Blocks; block 0 is the top level.
    pub blocks: Vec<BlockInfo>,
    /// Compiled paths.
    pub paths: Vec<Path>,
    /// Compiled payload templates.
    pub templates: Vec<Template>,
    /// Storage for constants.
    pub const_doc: Doc,
    /// Constant pool: handles into `const_doc`.
    pub consts: Vec<Val>,
    /// Tasks.
    pub tasks: Vec<TaskInfo>,
    /// Choice tests.
    pub tests: Vec<TestInfo>,
    /// Waits.
    pub waits: Vec<WaitInfo>,
    /// Fails.
    pub fails: Vec<FailInfo>,
    /// Parallels.
    pub parallels: Vec<ParallelInfo>,
    /// Maps.
    pub maps: Vec<MapInfo>,
    /// JSONata templates.
    pub queries: Vec<QueryInfo>,
    /// `Assign`s.
    pub assigns: Vec<AssignInfo>,
    /// The machine's `TimeoutSeconds`.
    pub timeout_seconds: Option<u64>,
    /// Whether any state reads the context object (then executions keep a copy of their input).
    pub uses_context: bool,
    /// Where Distributed Map readers and writers go (set by the engine).
    pub store: Option<std::sync::Arc<dyn crate::store::ObjectStore>>,
}

impl Program {
    /// The op at `pc`.
    #[inline]
    pub(crate) fn op(&self, pc: OpId) -> Op {
        self.ops[pc.idx()]
    }

    /// The side-table entry of a state.
    #[inline]
    pub(crate) fn state(&self, s: StateId) -> &StateInfo {
        &self.states[s.idx()]
    }
}
