"""Executions through boto3: start, poll, sync starts, idempotency, stop,
list with filters and paging, the machine an execution ran."""

import json

import pytest
from conftest import PASS, create, wait_done

FAIL = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Oops", "Cause": "on purpose"}}}
WAIT = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": True}}}
ADD = {
    "StartAt": "A",
    "States": {"A": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, $.b)"}, "End": True}},
}


def test_start_and_poll_to_the_output(sfn, unique):
    arn = create(sfn, unique(), ADD)
    r = sfn.start_execution(stateMachineArn=arn, name="first", input=json.dumps({"a": 2, "b": 3}))
    assert r["executionArn"].endswith(":execution:" + arn.rsplit(":", 1)[1] + ":first")
    d = wait_done(sfn, r["executionArn"])
    assert d["status"] == "SUCCEEDED"
    assert json.loads(d["output"]) == {"sum": 5}
    assert d["stopDate"] >= d["startDate"]
    assert json.loads(d["input"]) == {"a": 2, "b": 3}


def test_failures_carry_error_and_cause(sfn, unique):
    arn = create(sfn, unique(), FAIL)
    d = wait_done(sfn, sfn.start_execution(stateMachineArn=arn)["executionArn"])
    assert (d["status"], d["error"], d["cause"]) == ("FAILED", "Oops", "on purpose")


def test_same_name_and_input_while_running_is_idempotent(sfn, unique):
    arn = create(sfn, unique(), WAIT)
    a = sfn.start_execution(stateMachineArn=arn, name="once", input="{}")
    b = sfn.start_execution(stateMachineArn=arn, name="once", input="{}")
    assert a["executionArn"] == b["executionArn"] and a["startDate"] == b["startDate"]
    with pytest.raises(sfn.exceptions.ExecutionAlreadyExists):
        sfn.start_execution(stateMachineArn=arn, name="once", input='{"other":1}')
    sfn.stop_execution(executionArn=a["executionArn"])
    with pytest.raises(sfn.exceptions.ExecutionAlreadyExists):
        sfn.start_execution(stateMachineArn=arn, name="once", input="{}")


def test_stop_aborts_with_error_and_cause(sfn, unique):
    arn = create(sfn, unique(), WAIT)
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
    stop = sfn.stop_execution(executionArn=ex, error="Halt", cause="test asked")
    d = sfn.describe_execution(executionArn=ex)
    assert (d["status"], d["error"], d["cause"]) == ("ABORTED", "Halt", "test asked")
    assert d["stopDate"] == stop["stopDate"]
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.stop_execution(executionArn=ex + "-gone")


def test_start_errors(sfn, unique):
    arn = create(sfn, unique(), PASS)
    with pytest.raises(sfn.exceptions.InvalidExecutionInput):
        sfn.start_execution(stateMachineArn=arn, input="{nope")
    with pytest.raises(sfn.exceptions.InvalidName):
        sfn.start_execution(stateMachineArn=arn, name="a/b")
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.start_execution(stateMachineArn=arn + "-gone")
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.start_execution(stateMachineArn="arn:nope")
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.describe_execution(executionArn=arn.replace(":stateMachine:", ":execution:") + ":none")
    with pytest.raises(sfn.exceptions.ClientError) as e:
        sfn.start_execution(stateMachineArn=arn, input="x" * (256 * 1024 + 1))
    assert e.value.response["Error"]["Code"] == "ValidationException"


def test_sync_executions_on_express(sfn, unique):
    arn = create(sfn, unique(), ADD, kind="EXPRESS")
    r = sfn.start_sync_execution(stateMachineArn=arn, input=json.dumps({"a": 1, "b": 41}))
    assert r["status"] == "SUCCEEDED" and json.loads(r["output"]) == {"sum": 42}
    assert ":express:" in r["executionArn"] and r["stateMachineArn"] == arn
    assert r["billingDetails"]["billedDurationInMilliseconds"] >= 100
    failed = sfn.start_sync_execution(stateMachineArn=create(sfn, unique(), FAIL, kind="EXPRESS"))
    assert (failed["status"], failed["error"], failed["cause"]) == ("FAILED", "Oops", "on purpose")
    with pytest.raises(sfn.exceptions.StateMachineTypeNotSupported):
        sfn.start_sync_execution(stateMachineArn=create(sfn, unique(), PASS))
    # An async start of an Express machine runs too.
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"a": 1, "b": 1}))["executionArn"]
    assert json.loads(wait_done(sfn, ex)["output"]) == {"sum": 2}
    with pytest.raises(sfn.exceptions.StateMachineTypeNotSupported):
        sfn.list_executions(stateMachineArn=arn)


def test_list_executions_filters_and_pages(sfn, unique):
    ok = create(sfn, unique(), PASS)
    names = [f"e{i}" for i in range(5)]
    for n in names:
        wait_done(sfn, sfn.start_execution(stateMachineArn=ok, name=n)["executionArn"])
    waiting = sfn.start_execution(stateMachineArn=ok, name="late")
    all_ = [e["name"] for p in sfn.get_paginator("list_executions").paginate(
        stateMachineArn=ok, PaginationConfig={"PageSize": 2}) for e in p["executions"]]
    assert all_ == ["late", *reversed(names)]  # newest first
    succeeded = sfn.list_executions(stateMachineArn=ok, statusFilter="SUCCEEDED")["executions"]
    assert {e["name"] for e in succeeded} >= set(names)
    assert all(e["status"] == "SUCCEEDED" for e in succeeded)
    assert waiting["executionArn"]
    w = create(sfn, unique(), WAIT)
    running = sfn.start_execution(stateMachineArn=w)["executionArn"]
    r = sfn.list_executions(stateMachineArn=w, statusFilter="RUNNING")["executions"]
    assert [e["executionArn"] for e in r] == [running]
    assert sfn.list_executions(stateMachineArn=w, statusFilter="ABORTED")["executions"] == []
    sfn.stop_execution(executionArn=running)
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.list_executions(stateMachineArn=w + "-gone")
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.list_executions(stateMachineArn=w, nextToken="forged")


def test_machine_for_execution_is_the_version_it_ran(sfn, unique):
    arn = create(sfn, unique(), WAIT)
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(PASS))
    d = sfn.describe_state_machine_for_execution(executionArn=ex)
    assert json.loads(d["definition"]) == WAIT and d["stateMachineArn"] == arn
    sfn.stop_execution(executionArn=ex)
    after = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    assert json.loads(sfn.describe_state_machine_for_execution(executionArn=after)["definition"]) == PASS
