"""Nested workflows through boto3: Task states with
`arn:aws:states:::states:startExecution` in its four patterns, a failed
child, and StopExecution of a parent that waits for its child."""

import json
import time

from conftest import create, wait_done

CHILD = {
    "StartAt": "P",
    "States": {"P": {"Type": "Pass", "Parameters": {"got.$": "$", "id.$": "$$.Execution.Id"}, "End": True}},
}
FAIL = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "it broke"}}}
LONG = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": True}}}


def parent(suffix, child_arn, task_input):
    return {
        "StartAt": "Nest",
        "States": {
            "Nest": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution" + suffix,
                "Parameters": {"StateMachineArn": child_arn, "Input": task_input},
                "End": True,
            }
        },
    }


def children(sfn, arn, timeout=10.0):
    deadline = time.time() + timeout
    while True:
        found = sfn.list_executions(stateMachineArn=arn)["executions"]
        if found or time.time() > deadline:
            return found
        time.sleep(0.02)


def run(sfn, unique, definition, input_=None):
    arn = create(sfn, unique("parent"), definition)
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(input_ or {}))["executionArn"]
    return ex, wait_done(sfn, ex)


def test_a_plain_start_answers_at_once(sfn, unique):
    child = create(sfn, unique("child"), LONG)
    ex, d = run(sfn, unique, parent("", child, {"a": 1}))
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out["ExecutionArn"].startswith(child.replace(":stateMachine:", ":execution:") + ":")
    assert isinstance(out["StartDate"], int)
    assert out["SdkHttpMetadata"]["HttpStatusCode"] == 200
    kid = sfn.describe_execution(executionArn=out["ExecutionArn"])
    assert kid["status"] == "RUNNING" and json.loads(kid["input"]) == {"a": 1}
    sfn.stop_execution(executionArn=out["ExecutionArn"])


def test_sync_returns_the_child_description_with_output_as_text(sfn, unique):
    child = create(sfn, unique("child"), CHILD)
    task_input = {"k": 1, "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"}
    ex, d = run(sfn, unique, parent(".sync", child, task_input))
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert list(out) == sorted(out), "members in AWS's order"
    assert (out["Status"], out["StateMachineArn"]) == ("SUCCEEDED", child)
    child_input, child_output = json.loads(out["Input"]), json.loads(out["Output"])
    # The parent's $$.Execution.Id is the ARN boto3 got back.
    assert child_input == {"k": 1, "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": ex}
    assert child_output == {"got": child_input, "id": out["ExecutionArn"]}
    listed = [e["executionArn"] for e in sfn.list_executions(stateMachineArn=child)["executions"]]
    assert out["ExecutionArn"] in listed
    events = sfn.get_execution_history(executionArn=out["ExecutionArn"])["events"]
    assert events[0]["type"] == "ExecutionStarted" and events[-1]["type"] == "ExecutionSucceeded"


def test_sync2_returns_input_and_output_as_json(sfn, unique):
    child = create(sfn, unique("child"), CHILD)
    ex, d = run(sfn, unique, parent(".sync:2", child, {"n": [1, 2]}))
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out["Input"] == {"n": [1, 2]}
    assert out["Output"] == {"got": {"n": [1, 2]}, "id": out["ExecutionArn"]}
    assert out["OutputDetails"] == {"Included": True}


def test_wait_for_task_token_hands_the_child_the_token(sfn, unique):
    child = create(sfn, unique("child"), CHILD)
    arn = create(sfn, unique("parent"), parent(".waitForTaskToken", child, {"token.$": "$$.Task.Token"}))
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    [kid] = children(sfn, child)
    token = json.loads(wait_done(sfn, kid["executionArn"])["input"])["token"]
    time.sleep(0.1)
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
    sfn.send_task_success(taskToken=token, output=json.dumps({"answer": 42}))
    d = wait_done(sfn, ex)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"answer": 42}


def test_a_failed_child_fails_the_parent_task(sfn, unique):
    child = create(sfn, unique("child"), FAIL)
    ex, d = run(sfn, unique, parent(".sync", child, {}))
    assert (d["status"], d["error"]) == ("FAILED", "States.TaskFailed"), d
    cause = json.loads(d["cause"])
    assert (cause["Status"], cause["Error"], cause["Cause"]) == ("FAILED", "Boom", "it broke")
    # A Catch sees the same error.
    definition = parent(".sync:2", child, {})
    definition["States"]["Nest"]["Catch"] = [{"ErrorEquals": ["States.TaskFailed"], "Next": "Caught"}]
    definition["States"]["Caught"] = {"Type": "Pass", "End": True}
    ex, d = run(sfn, unique, definition)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(json.loads(d["output"])["Cause"])["Error"] == "Boom"


def test_stopping_the_parent_stops_its_sync_child(sfn, unique):
    child = create(sfn, unique("child"), LONG)
    arn = create(sfn, unique("parent"), parent(".sync", child, {}))
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    [kid] = children(sfn, child)
    sfn.stop_execution(executionArn=ex, error="Halt")
    assert sfn.describe_execution(executionArn=ex)["status"] == "ABORTED"
    assert wait_done(sfn, kid["executionArn"])["status"] == "ABORTED"
