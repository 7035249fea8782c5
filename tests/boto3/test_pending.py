"""History and task tokens: the requests are checked as the service model
says; the answers wait on the engine parts (a clear error, never a made-up
result). TestState runs on the engine's TestState."""

import json

import pytest
from conftest import PASS, ROLE, create, wait_done


def unsupported(excinfo, op):
    err = excinfo.value.response["Error"]
    assert err["Code"] == "UnsupportedOperation", err
    assert err["Message"].startswith(op)


def test_history_checks_the_execution_then_says_it_is_not_there_yet(sfn, unique):
    arn = create(sfn, unique(), PASS)
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    wait_done(sfn, ex)
    with pytest.raises(sfn.exceptions.ClientError) as e:
        sfn.get_execution_history(executionArn=ex, reverseOrder=True, maxResults=5)
    unsupported(e, "GetExecutionHistory")
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.get_execution_history(executionArn=ex + "-gone")
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.get_execution_history(executionArn=ex, nextToken="forged")


def test_task_token_requests(sfn):
    with pytest.raises(sfn.exceptions.InvalidOutput):
        sfn.send_task_success(taskToken="t", output="{not json")
    for call in (
        lambda: sfn.send_task_success(taskToken="t", output="{}"),
        lambda: sfn.send_task_failure(taskToken="t", error="E", cause="C"),
        lambda: sfn.send_task_heartbeat(taskToken="t"),
    ):
        with pytest.raises(sfn.exceptions.ClientError) as e:
            call()
        assert e.value.response["Error"]["Code"] == "UnsupportedOperation"


def test_test_state_runs_one_state(sfn):
    state = {"Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)"}, "Next": "Done"}
    r = sfn.test_state(definition=json.dumps(state), input='{"n": 21}', inspectionLevel="DEBUG")
    assert r["status"] == "SUCCEEDED" and r["nextState"] == "Done"
    assert json.loads(r["output"]) == {"doubled": 42}
    assert json.loads(r["inspectionData"]["afterParameters"]) == {"doubled": 42}
    task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f", "Payload.$": "$"},
            "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 2}], "End": True}
    r = sfn.test_state(definition=json.dumps(task), input="{}", roleArn=ROLE,
                       mock={"errorOutput": {"error": "Busy", "cause": "later"}})
    assert (r["status"], r["error"]) == ("RETRIABLE", "Busy")
    with pytest.raises(sfn.exceptions.ClientError) as e:
        sfn.test_state(definition=json.dumps(task), input="{}")
    assert e.value.response["Error"]["Code"] == "ValidationException"  # AWS: a Task needs a role
    with pytest.raises(sfn.exceptions.ClientError) as e:
        sfn.test_state(definition=json.dumps(task), input="{}", roleArn=ROLE)
    assert e.value.response["Error"]["Code"] == "ServiceCallNotSupported"
    with pytest.raises(sfn.exceptions.InvalidExecutionInput):
        sfn.test_state(definition=json.dumps(state), input="{bad")
    with pytest.raises(sfn.exceptions.InvalidDefinition):
        sfn.test_state(definition=json.dumps({"Type": "Nope"}), input="{}")
