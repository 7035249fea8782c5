//! The event types a history holds and the names AWS gives them.

use crate::bytecode::StateType;

/// What one recorded event is; with [`Rec::sub`](super::record::Rec) it
/// names the event type (`PassStateEntered`, `LambdaFunctionScheduled` …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub(crate) enum Kind {
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionFailed,
    ExecutionTimedOut,
    /// `sub`: the state type.
    StateEntered,
    /// `sub`: the state type.
    StateExited,
    /// `sub`: the state type (Task, Wait, Map, Parallel).
    StateAborted,
    /// `sub`: the task flavour, for this and the other `Task*` kinds.
    TaskScheduled,
    TaskStarted,
    TaskSubmitted,
    TaskSucceeded,
    TaskFailed,
    TaskTimedOut,
    MapStateStarted,
    MapStateSucceeded,
    MapStateFailed,
    MapIterationStarted,
    MapIterationSucceeded,
    MapIterationFailed,
    ParallelStateStarted,
    ParallelStateSucceeded,
    ParallelStateFailed,
    MapRunStarted,
    MapRunSucceeded,
    EvaluationFailed,
}

/// How a Task's resource shows in history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// A service integration (`arn:aws:states:::lambda:invoke`): `Task*`.
    Service = 0,
    /// A Lambda function ARN: `LambdaFunction*`.
    Lambda = 1,
    /// An activity ARN: `Activity*`.
    Activity = 2,
}

impl Flavor {
    pub(crate) fn from_u8(b: u8) -> Flavor {
        match b {
            1 => Flavor::Lambda,
            2 => Flavor::Activity,
            _ => Flavor::Service,
        }
    }
}

/// A state type as a byte (for [`Kind::StateEntered`] and friends).
pub(crate) fn state_sub(t: StateType) -> u8 {
    t as u8
}

const STATE_TYPES: [StateType; 8] = [
    StateType::Pass,
    StateType::Task,
    StateType::Choice,
    StateType::Wait,
    StateType::Succeed,
    StateType::Fail,
    StateType::Parallel,
    StateType::Map,
];

fn state_of(sub: u8) -> StateType {
    STATE_TYPES
        .get(usize::from(sub))
        .copied()
        .unwrap_or(StateType::Pass)
}

/// The event type as GetExecutionHistory names it.
pub(crate) fn type_name(kind: Kind, sub: u8) -> &'static str {
    use Kind as K;
    use StateType as S;
    let flavor = Flavor::from_u8(sub);
    match kind {
        K::ExecutionStarted => "ExecutionStarted",
        K::ExecutionSucceeded => "ExecutionSucceeded",
        K::ExecutionFailed => "ExecutionFailed",
        K::ExecutionTimedOut => "ExecutionTimedOut",
        K::StateEntered => match state_of(sub) {
            S::Pass => "PassStateEntered",
            S::Task => "TaskStateEntered",
            S::Choice => "ChoiceStateEntered",
            S::Wait => "WaitStateEntered",
            S::Succeed => "SucceedStateEntered",
            S::Fail => "FailStateEntered",
            S::Parallel => "ParallelStateEntered",
            S::Map => "MapStateEntered",
        },
        K::StateExited => match state_of(sub) {
            S::Pass => "PassStateExited",
            S::Task => "TaskStateExited",
            S::Choice => "ChoiceStateExited",
            S::Wait => "WaitStateExited",
            S::Succeed => "SucceedStateExited",
            // A Fail state has no exit; never recorded.
            S::Fail => "FailStateExited",
            S::Parallel => "ParallelStateExited",
            S::Map => "MapStateExited",
        },
        K::StateAborted => match state_of(sub) {
            S::Wait => "WaitStateAborted",
            S::Parallel => "ParallelStateAborted",
            S::Map => "MapStateAborted",
            _ => "TaskStateAborted",
        },
        K::TaskScheduled => match flavor {
            Flavor::Service => "TaskScheduled",
            Flavor::Lambda => "LambdaFunctionScheduled",
            Flavor::Activity => "ActivityScheduled",
        },
        K::TaskStarted => match flavor {
            Flavor::Service => "TaskStarted",
            Flavor::Lambda => "LambdaFunctionStarted",
            Flavor::Activity => "ActivityStarted",
        },
        K::TaskSubmitted => "TaskSubmitted",
        K::TaskSucceeded => match flavor {
            Flavor::Service => "TaskSucceeded",
            Flavor::Lambda => "LambdaFunctionSucceeded",
            Flavor::Activity => "ActivitySucceeded",
        },
        K::TaskFailed => match flavor {
            Flavor::Service => "TaskFailed",
            Flavor::Lambda => "LambdaFunctionFailed",
            Flavor::Activity => "ActivityFailed",
        },
        K::TaskTimedOut => match flavor {
            Flavor::Service => "TaskTimedOut",
            Flavor::Lambda => "LambdaFunctionTimedOut",
            Flavor::Activity => "ActivityTimedOut",
        },
        K::MapStateStarted => "MapStateStarted",
        K::MapStateSucceeded => "MapStateSucceeded",
        K::MapStateFailed => "MapStateFailed",
        K::MapIterationStarted => "MapIterationStarted",
        K::MapIterationSucceeded => "MapIterationSucceeded",
        K::MapIterationFailed => "MapIterationFailed",
        K::ParallelStateStarted => "ParallelStateStarted",
        K::ParallelStateSucceeded => "ParallelStateSucceeded",
        K::ParallelStateFailed => "ParallelStateFailed",
        K::MapRunStarted => "MapRunStarted",
        K::MapRunSucceeded => "MapRunSucceeded",
        K::EvaluationFailed => "EvaluationFailed",
    }
}

/// How a resource string shows in history: its flavour, `resourceType` and
/// `resource` (`arn:aws:states:::lambda:invoke` → `lambda`, `invoke`;
/// `arn:aws:states:::aws-sdk:s3:listBuckets` → `aws-sdk:s3`,
/// `listBuckets`; a Lambda or activity ARN is its own `resource`). A
/// resource that is not an AWS ARN (a handler registered under any name)
/// is a service task with an empty `resourceType`.
pub(crate) fn split_resource(r: &str) -> (Flavor, &str, &str) {
    let parts: Vec<&str> = r.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "lambda", ..] => (Flavor::Lambda, "", r),
        ["arn", _, "states", _, _, rest] if rest.starts_with("activity") => {
            (Flavor::Activity, "", r)
        }
        ["arn", _, "states", "", "", rest] => {
            // `aws-sdk:SERVICE:ACTION`; else `SERVICE:ACTION[.sync:2]`.
            let at = match rest.strip_prefix("aws-sdk:") {
                Some(sdk) => sdk.find(':').map(|i| i + "aws-sdk:".len()),
                None => rest.find(':'),
            };
            match at {
                Some(i) => (Flavor::Service, &rest[..i], &rest[i + 1..]),
                None => (Flavor::Service, "", rest),
            }
        }
        _ => (Flavor::Service, "", r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_split_as_aws_shows_them() {
        assert_eq!(
            split_resource("arn:aws:states:::lambda:invoke"),
            (Flavor::Service, "lambda", "invoke")
        );
        assert_eq!(
            split_resource("arn:aws:states:::aws-sdk:s3:listBuckets"),
            (Flavor::Service, "aws-sdk:s3", "listBuckets")
        );
        assert_eq!(
            split_resource("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
            (Flavor::Service, "sqs", "sendMessage.waitForTaskToken")
        );
        let f = "arn:aws:lambda:us-east-1:111111111111:function:f";
        assert_eq!(split_resource(f), (Flavor::Lambda, "", f));
        let a = "arn:aws:states:us-east-1:111111111111:activity:a";
        assert_eq!(split_resource(a), (Flavor::Activity, "", a));
        assert_eq!(
            split_resource("my-handler"),
            (Flavor::Service, "", "my-handler")
        );
    }

    #[test]
    fn names_by_state_type_and_flavour() {
        let sub = state_sub(StateType::Map);
        assert_eq!(type_name(Kind::StateEntered, sub), "MapStateEntered");
        assert_eq!(
            type_name(Kind::StateExited, state_sub(StateType::Succeed)),
            "SucceedStateExited"
        );
        assert_eq!(
            type_name(Kind::TaskScheduled, Flavor::Lambda as u8),
            "LambdaFunctionScheduled"
        );
        assert_eq!(
            type_name(Kind::TaskFailed, Flavor::Service as u8),
            "TaskFailed"
        );
        assert_eq!(
            type_name(Kind::StateAborted, state_sub(StateType::Task)),
            "TaskStateAborted"
        );
    }
}
