//! Task: the handler resolved from `Resource` at compile time, timeouts,
//! then `Invoke` and the result shapers; `Retry` and `Catch` as side tables.

use super::builder::Builder;
use super::labels::StateLabels;
use super::queue::Lowering;
use super::{io, retry};
use crate::asl::codes::NO_HANDLER;
use crate::asl::{Diagnostic, State, Task};
use crate::bytecode::{Credentials, HandlerId, Op, StateId, TaskFlavor, TaskId, TaskInfo};

pub(super) fn lower(
    b: &mut Builder,
    cx: &Lowering<'_>,
    sid: StateId,
    s: &State,
    task: &Task,
    labels: &StateLabels<'_>,
) {
    let p = &s.pointer;
    let callback = task.resource.ends_with(".waitForTaskToken");
    if callback {
        // Each attempt (a retry comes back here) draws a new token.
        b.emit(Op::TaskToken(TaskId(b.tasks.len() as u32)));
    }
    let from = b.ops.len();
    io::input_path(b, s);
    io::parameters(b, s, task.parameters.as_ref());
    b.states[sid.idx()].retry_keeps_input = !callback
        && b.states[sid.idx()].context == 0
        && b.ops[from..].iter().all(|op| match op {
            Op::InputPath(_) | Op::InputNull => true,
            Op::Parameters(t) => b.templates[t.idx()].reads_only_input(),
            _ => false,
        });
    let handler = cx.handlers.resolve(&task.resource).unwrap_or_else(|| {
        b.diags.push(Diagnostic::error(
            NO_HANDLER,
            format!("{p}/Resource"),
            format!("no task handler is registered for resource {:?} (register one, or run with --echo-tasks)", task.resource),
        ));
        HandlerId(u32::MAX)
    });
    let timeout = b.num_source(task.timeout.as_ref());
    let heartbeat = b.num_source(task.heartbeat.as_ref());
    let flavor = if task.resource.starts_with("arn:aws:lambda:") {
        TaskFlavor::Lambda
    } else {
        TaskFlavor::Service
    };
    let credentials = task.credentials.as_ref().map(|c| match &c.query {
        Some(q) => Credentials::Query(b.query(q, 0)),
        None => Credentials::Path(b.template(c, &format!("{p}/Credentials"))),
    });
    let submits = submits(&task.resource);
    b.tasks.push(TaskInfo {
        resource: task.resource.as_str().into(),
        handler,
        plain: timeout.is_none() && heartbeat.is_none() && !callback && !submits,
        timeout,
        heartbeat,
        callback,
        flavor,
        submits,
        credentials,
    });
    b.emit(Op::Invoke(TaskId(b.tasks.len() as u32 - 1)));
    io::after_result(
        b,
        s,
        task.result_selector.as_ref(),
        task.result_path.as_ref(),
        labels,
    );
    retry::attach(b, sid, &task.retry, &task.catch, labels);
}

/// Whether AWS records `TaskSubmitted` for this resource: an integration
/// that waits for a job (`.sync`, `.sync:2`) or a task token.
fn submits(resource: &str) -> bool {
    resource.starts_with("arn:aws:states:::")
        && (resource.ends_with(".waitForTaskToken")
            || resource.ends_with(".sync")
            || resource.contains(".sync:"))
}

#[cfg(test)]
mod retry_tests {
    use crate::definition::Definition;
    use crate::machine_type::MachineType;

    /// Whether the only state of a Task with these extra fields retries with its effective input.
    fn keeps(extra: &str) -> bool {
        let def = format!(
            r#"{{"StartAt":"T","States":{{"T":{{"Type":"Task","Resource":"x"{extra},"End":true}}}}}}"#
        );
        let d = Definition::parse(&def, MachineType::Standard).unwrap();
        let mut reg = crate::handlers::Registry::default();
        reg.register("*", std::sync::Arc::new(crate::handlers::echo()));
        let prog = crate::compile::compile(d.state_machine(), &reg).unwrap();
        prog.states[0].retry_keeps_input
    }

    #[test]
    fn a_retry_keeps_an_input_that_reads_only_the_input() {
        assert!(keeps(""));
        assert!(keeps(r#","InputPath":"$.a""#));
        assert!(keeps(r#","InputPath":null"#));
        assert!(keeps(
            r#","Parameters":{"a.$":"$.a","b":{"c":[1,{"d.$":"$.d"}]}}"#
        ));
        // `$$` (the retry count changes), variables, intrinsics (entropy), task tokens.
        assert!(!keeps(r#","Parameters":{"n.$":"$$.State.RetryCount"}"#));
        assert!(!keeps(r#","InputPath":"$$.Execution.Input""#));
        assert!(!keeps(r#","Parameters":{"u.$":"States.UUID()"}"#));
        assert!(!keeps(
            r#","Parameters":{"s.$":"States.Format('{}', $.a)"}"#
        ));
        assert!(!keeps(r#","Parameters":{"v.$":"$x"}"#));
        assert!(!keeps(
            r#","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"a.$":"$.a"}"#
        ));
    }
}

#[cfg(test)]
mod submit_tests {
    #[test]
    fn waiting_integrations_submit() {
        assert!(super::submits(
            "arn:aws:states:::states:startExecution.sync:2"
        ));
        assert!(super::submits("arn:aws:states:::batch:submitJob.sync"));
        assert!(super::submits(
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
        ));
        assert!(!super::submits("arn:aws:states:::lambda:invoke"));
        assert!(!super::submits("my.sync"));
    }
}
