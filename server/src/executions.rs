//! Execution operations: StartExecution, StartSyncExecution,
//! DescribeExecution, ListExecutions, StopExecution,
//! DescribeStateMachineForExecution.

use crate::app::App;
use crate::error::ApiError;
use crate::fields::Fields;
use crate::machines;
use crate::names::{self, Kind};
use crate::nested::Ended;
use crate::paging;
use crate::shapes;
use crate::store::{now_secs, Conflict, ExecRec, MachineRec, MachineVersion};
use serde_json::{json, Value};
use stampede::{ExecutionArns, MachineType, RunOptions};
use std::sync::Arc;

/// The largest input the service model allows (characters).
pub(crate) const MAX_INPUT: usize = 256 << 10;

/// What a start request asks for, read and checked.
struct StartRequest {
    machine: MachineRec,
    case: Option<String>,
    name: String,
    input: String,
    trace_header: Option<String>,
}

fn read_start(app: &App, f: &Fields) -> Result<StartRequest, ApiError> {
    let raw = f.req_str("stateMachineArn", 1, 256 + 81)?;
    let (arn, case) = names::parse(raw, Kind::StateMachine, true)?;
    let name = match f.str("name", 1, 80)? {
        Some(n) => {
            names::check_name(n, "name")?;
            n.to_owned()
        }
        None => app.uuid(),
    };
    let input = f.str("input", 0, MAX_INPUT)?.unwrap_or("{}");
    check_json(input)?;
    let trace_header = f.str("traceHeader", 0, 256)?.map(str::to_owned);
    let machine = app
        .store
        .machine(arn)
        .ok_or_else(|| machines::does_not_exist(arn))?;
    Ok(StartRequest {
        machine,
        case: case.map(str::to_owned),
        name,
        input: input.to_owned(),
        trace_header,
    })
}

/// Checks that an execution input is JSON text.
///
/// # Errors
/// `InvalidExecutionInput`, in AWS's form.
pub(crate) fn check_json(input: &str) -> Result<(), ApiError> {
    match serde_json::from_str::<serde::de::IgnoredAny>(input) {
        Ok(_) => Ok(()),
        Err(e) => Err(ApiError::new(
            "InvalidExecutionInput",
            format!("Invalid State Machine Execution Input: '{e}'"),
        )),
    }
}

fn options(
    req: &StartRequest,
    version: &MachineVersion,
    arn: &str,
    kind: MachineType,
    start_ms: i64,
) -> RunOptions {
    RunOptions {
        start_time_ms: Some(start_ms),
        execution_name: Some(req.name.clone()),
        state_machine_name: Some(version.name.clone()),
        machine_type: kind,
        // Recorded for GetExecutionHistory (not for StartSyncExecution,
        // which keeps no record).
        history: kind != MachineType::ExpressSync,
        // `$$.Execution.Id` is the ARN the API answers with.
        arns: Some(ExecutionArns {
            state_machine: version.arn.clone(),
            execution: arn.to_owned(),
            role: version.role_arn.clone(),
        }),
        ..RunOptions::default()
    }
}

/// An execution just started: its ARN and start time.
#[derive(Debug)]
pub(crate) struct Launched {
    /// Its ARN.
    pub(crate) arn: String,
    /// When it started (ms since the epoch).
    pub(crate) start_ms: i64,
}

/// Told how a nested execution ended, once it did (the store knows already).
pub(crate) type OnEnd = Box<dyn FnOnce(&Ended<'_>) + Send>;

/// `StartExecution` (Standard or Express): the execution runs on the
/// engine's runtime; the store learns its outcome from a callback. The same
/// name with the same input while it runs returns the first start (AWS's
/// idempotency); otherwise the name is `ExecutionAlreadyExists`.
///
/// # Errors
/// `InvalidArn`, `InvalidName`, `InvalidExecutionInput`,
/// `StateMachineDoesNotExist`, `ExecutionAlreadyExists`, `ExecutionLimitExceeded`,
/// `ValidationException` (an unknown test case).
pub(crate) async fn start(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let req = read_start(app, &f)?;
    let l = launch(app, req, None).await?;
    Ok(json!({"executionArn": l.arn, "startDate": l.start_ms as f64 / 1000.0}))
}

/// Starts a nested execution (a Task state's `states:startExecution`) from
/// a StartExecution request; a `.sync` one names its parent (engine id)
/// and what to tell it when the child ends.
///
/// # Errors
/// As [`start`]; `ExecutionAlreadyExists` too for a `.sync` start of a
/// name that runs with the same input.
pub(crate) async fn start_nested(
    app: &Arc<App>,
    f: Fields,
    waiter: Option<(u64, OnEnd)>,
) -> Result<Launched, ApiError> {
    let req = read_start(app, &f)?;
    launch(app, req, waiter).await
}

async fn launch(
    app: &Arc<App>,
    req: StartRequest,
    waiter: Option<(u64, OnEnd)>,
) -> Result<Launched, ApiError> {
    let version = Arc::clone(&req.machine.current);
    let compiled = app.machine_for(&version, req.case.as_deref()).await?;
    let express = version.kind.is_express();
    let exec_id = express.then(|| app.uuid());
    let arn = app
        .arns
        .execution(&version.name, &req.name, exec_id.as_deref());
    let start_ms = stampede::now_ms();
    let start = start_ms as f64 / 1000.0;
    let (parent, on_end) = waiter.map_or((None, None), |(p, f)| (Some(p), Some(f)));
    let rec = ExecRec {
        arn: arn.clone(),
        name: req.name.clone(),
        machine: Arc::clone(&version),
        input: req.input.clone(),
        status: None,
        start,
        stop: None,
        output: None,
        error: None,
        cause: None,
        engine_id: 0,
        seq: 0,
        trace_header: req.trace_header.clone(),
        history: None,
        parent,
        bytes: 0,
    };
    match app.store.add_execution(rec) {
        Ok(_) => {}
        Err(Conflict::Same { start }) if on_end.is_none() => {
            return Ok(Launched {
                arn,
                start_ms: (start * 1000.0) as i64,
            })
        }
        Err(Conflict::Same { .. } | Conflict::Exists) => {
            return Err(ApiError::new(
                "ExecutionAlreadyExists",
                format!("Execution Already Exists: '{arn}'"),
            ))
        }
        Err(Conflict::Limit) => {
            return Err(ApiError::new(
                "ExecutionLimitExceeded",
                "Too many executions are running on this server (see --max-running)",
            ))
        }
    }
    let kind = if express {
        MachineType::Express
    } else {
        MachineType::Standard
    };
    let store = Arc::clone(&app.store);
    let done_arn = arn.clone();
    // What a waiting parent is told needs the request's names and input.
    let report = on_end.map(|f| (f, req.name.clone(), version.arn.clone(), req.input.clone()));
    let opts = options(&req, &version, &arn, kind, start_ms);
    let id = app
        .runtime
        .start_with(&compiled, req.input.as_str(), &opts, move |mut o| {
            let stop_ms = stampede::now_ms();
            store.finish(&done_arn, &mut o, stop_ms as f64 / 1000.0);
            if let Some((f, name, machine_arn, input)) = report {
                f(&Ended {
                    arn: &done_arn,
                    name: &name,
                    machine_arn: &machine_arn,
                    input: &input,
                    start_ms,
                    stop_ms,
                    status: o.status.as_str(),
                    output: o.output.as_deref(),
                    error: o.error.as_deref(),
                    cause: o.cause.as_deref(),
                });
            }
        });
    app.store.set_engine_id(&arn, id);
    Ok(Launched { arn, start_ms })
}

/// `StartSyncExecution` (Express only): waits, without holding a thread,
/// for the outcome. Not recorded (AWS keeps no record of them either).
///
/// # Errors
/// `StateMachineTypeNotSupported` on a Standard machine; as [`start`].
pub(crate) async fn start_sync(app: &Arc<App>, f: Fields) -> Result<Vec<u8>, ApiError> {
    let req = read_start(app, &f)?;
    let version = Arc::clone(&req.machine.current);
    if !version.kind.is_express() {
        return Err(ApiError::new(
            "StateMachineTypeNotSupported",
            "This operation is not supported by this type of state machine",
        ));
    }
    let compiled = app.machine_for(&version, req.case.as_deref()).await?;
    let arn = app
        .arns
        .execution(&version.name, &req.name, Some(&app.uuid()));
    let start_ms = stampede::now_ms();
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.runtime.start_with(
        &compiled,
        req.input.as_str(),
        &options(&req, &version, &arn, MachineType::ExpressSync, start_ms),
        move |o| {
            let _ = tx.send(o);
        },
    );
    let o = rx
        .await
        .map_err(|_| ApiError::internal("the engine stopped before the execution ended"))?;
    let stop = now_secs();
    let billed = u64::try_from(o.duration_ms).unwrap_or(0).max(100);
    let included = Included { included: true };
    let answer = SyncAnswer {
        execution_arn: &arn,
        state_machine_arn: &version.arn,
        name: &req.name,
        start_date: start_ms as f64 / 1000.0,
        stop_date: stop,
        status: o.status.as_str(),
        input: &req.input,
        input_details: included,
        output: o.output.as_deref(),
        output_details: o.output.as_ref().map(|_| included),
        error: o.error.as_deref(),
        cause: o.cause.as_deref(),
        trace_header: req.trace_header.as_deref(),
        billing_details: Billing {
            billed_memory_used_in_mb: 64,
            billed_duration_in_milliseconds: billed,
        },
    };
    // Serialised from borrowed fields: the input and output are not copied
    // into a `Value` first.
    serde_json::to_vec(&answer).map_err(|e| ApiError::internal(e.to_string()))
}

/// `StartSyncExecutionOutput` (the service model's members).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SyncAnswer<'a> {
    execution_arn: &'a str,
    state_machine_arn: &'a str,
    name: &'a str,
    start_date: f64,
    stop_date: f64,
    status: &'a str,
    input: &'a str,
    input_details: Included,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output_details: Option<Included>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cause: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trace_header: Option<&'a str>,
    billing_details: Billing,
}

/// `CloudWatchEventsExecutionDataDetails`.
#[derive(serde::Serialize, Clone, Copy)]
struct Included {
    included: bool,
}

/// `BillingDetails`.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Billing {
    #[serde(rename = "billedMemoryUsedInMB")]
    billed_memory_used_in_mb: u64,
    billed_duration_in_milliseconds: u64,
}

/// Reads `executionArn`.
///
/// # Errors
/// `InvalidArn`; missing.
pub(crate) fn execution_arn(f: &Fields) -> Result<&str, ApiError> {
    let raw = f.req_str("executionArn", 1, 256)?;
    Ok(names::parse(raw, Kind::Execution, false)?.0)
}

/// AWS's `ExecutionDoesNotExist`.
#[cold]
pub(crate) fn does_not_exist(arn: &str) -> ApiError {
    ApiError::new(
        "ExecutionDoesNotExist",
        format!("Execution Does Not Exist: '{arn}'"),
    )
}

/// `DescribeExecution`.
///
/// # Errors
/// `InvalidArn`, `ExecutionDoesNotExist`.
pub(crate) fn describe(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let arn = execution_arn(&f)?;
    app.store
        .with_execution(arn, shapes::describe_execution)
        .ok_or_else(|| does_not_exist(arn))
}

/// `DescribeStateMachineForExecution`: the version the execution runs.
///
/// # Errors
/// As [`describe`].
pub(crate) fn machine_for_execution(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let arn = execution_arn(&f)?;
    app.store
        .with_execution(arn, |r| shapes::machine_for_execution(&r.machine))
        .ok_or_else(|| does_not_exist(arn))
}

/// `ListExecutions`: newest first, by `statusFilter`, paged.
///
/// # Errors
/// `InvalidArn`, `StateMachineDoesNotExist`, `StateMachineTypeNotSupported`
/// (Express), `InvalidToken`, `ValidationException`.
pub(crate) fn list(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    if f.str("stateMachineArn", 1, 256)?.is_none() {
        return Err(ApiError::new(
            "ValidationException",
            "Must provide a StateMachine ARN or MapRun ARN",
        ));
    }
    let rec = machines::find(app, &f)?;
    if rec.current.kind.is_express() {
        return Err(ApiError::new(
            "StateMachineTypeNotSupported",
            "This operation is not supported by this type of state machine",
        ));
    }
    let filter = f.one_of(
        "statusFilter",
        &[
            "RUNNING",
            "SUCCEEDED",
            "FAILED",
            "TIMED_OUT",
            "ABORTED",
            "PENDING_REDRIVE",
        ],
    )?;
    let n = paging::page_size(&f)?;
    let before =
        match paging::position(&f, "executions", 3096)? {
            Some(p) => Some(p.parse::<u64>().map_err(|_| {
                ApiError::new("InvalidToken", "Invalid Token: the token is damaged")
            })?),
            None => None,
        };
    let (items, next) =
        app.store
            .executions_page(&rec.current.arn, filter, before, n, shapes::execution_item);
    let mut out = json!({"executions": items});
    if let Some(next) = next {
        out["nextToken"] = json!(paging::token("executions", &next.to_string()));
    }
    Ok(out)
}

/// Stops the `.sync` children of a stopped execution (engine id `id`),
/// and theirs: AWS stops the job a stopped `.sync` task waits for
/// (<https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-sync>).
fn stop_children(app: &App, id: u64) {
    let mut parents = vec![id];
    while let Some(p) = parents.pop() {
        for child in app.store.sync_children(p) {
            if let Some((Some(c), _)) = app.store.stop(&child, None, None) {
                if c != 0 {
                    app.runtime.abort(c, "", "");
                    parents.push(c);
                }
            }
        }
    }
}

/// `StopExecution`: ABORTED now, with the given error and cause; the
/// engine stops the execution (see `Runtime::abort`), and its `.sync` children. An execution that
/// already ended keeps its outcome and stop date.
///
/// # Errors
/// `InvalidArn`, `ExecutionDoesNotExist`, `ValidationException`.
pub(crate) fn stop(app: &Arc<App>, f: Fields) -> Result<Value, ApiError> {
    let arn = execution_arn(&f)?;
    let error = f.str("error", 0, 256)?;
    let cause = f.str("cause", 0, 32768)?;
    let (id, at) = app
        .store
        .stop(arn, error, cause)
        .ok_or_else(|| does_not_exist(arn))?;
    if let Some(id) = id.filter(|i| *i != 0) {
        app.runtime
            .abort(id, error.unwrap_or(""), cause.unwrap_or(""));
        stop_children(app, id);
    }
    Ok(json!({"stopDate": at}))
}
