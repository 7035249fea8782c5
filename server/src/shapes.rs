//! Response members built from what the store keeps, in the service
//! model's shapes (camelCase, epoch-second timestamps).

use crate::store::{status_name, ExecRec, MachineRec, MachineVersion};
use serde_json::{json, Map, Value};

/// An `ExecutionListItem`.
pub(crate) fn execution_item(r: &ExecRec) -> Value {
    let mut v = json!({
        "executionArn": r.arn,
        "stateMachineArn": r.machine.arn,
        "name": r.name,
        "status": status_name(r.status),
        "startDate": r.start,
    });
    if let Some(stop) = r.stop {
        v["stopDate"] = json!(stop);
    }
    v
}

/// A `DescribeExecutionOutput`.
pub(crate) fn describe_execution(r: &ExecRec) -> Value {
    let mut v = execution_item(r);
    let o = v.as_object_mut().expect("an object");
    o.insert("input".into(), json!(r.input));
    o.insert("inputDetails".into(), json!({"included": true}));
    if let Some(out) = &r.output {
        o.insert("output".into(), json!(out));
        o.insert("outputDetails".into(), json!({"included": true}));
    }
    put_opt(o, "error", r.error.as_deref());
    put_opt(o, "cause", r.cause.as_deref());
    put_opt(o, "traceHeader", r.trace_header.as_deref());
    v
}

/// Inserts `key` when `value` is set.
pub(crate) fn put_opt(o: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(s) = value {
        o.insert(key.into(), json!(s));
    }
}

/// The configuration members AWS describes a machine with.
fn configuration(o: &mut Map<String, Value>, v: &MachineVersion) {
    o.insert(
        "loggingConfiguration".into(),
        json!({"level": "OFF", "includeExecutionData": false}),
    );
    o.insert("tracingConfiguration".into(), json!({"enabled": false}));
    o.insert("revisionId".into(), json!(v.revision.to_string()));
}

/// A `DescribeStateMachineOutput`.
pub(crate) fn describe_machine(rec: &MachineRec) -> Value {
    let v = &rec.current;
    let mut out = json!({
        "stateMachineArn": v.arn,
        "name": v.name,
        "status": "ACTIVE",
        "definition": v.definition,
        "roleArn": v.role_arn,
        "type": v.kind.as_str(),
        "creationDate": rec.created,
    });
    configuration(out.as_object_mut().expect("an object"), v);
    out
}

/// A `DescribeStateMachineForExecutionOutput`.
pub(crate) fn machine_for_execution(v: &MachineVersion) -> Value {
    let mut out = json!({
        "stateMachineArn": v.arn,
        "name": v.name,
        "definition": v.definition,
        "roleArn": v.role_arn,
        "updateDate": v.updated,
    });
    configuration(out.as_object_mut().expect("an object"), v);
    out
}

/// A `StateMachineListItem`.
pub(crate) fn machine_item(rec: &MachineRec) -> Value {
    json!({
        "stateMachineArn": rec.current.arn,
        "name": rec.current.name,
        "type": rec.current.kind.as_str(),
        "creationDate": rec.created,
    })
}
