"""GetExecutionHistory through boto3: a succeeded execution's events (types
in order, ids, previousEventId), newest first, paged with maxResults and
nextToken, without execution data, and the errors in AWS's codes."""

import datetime
import json

import pytest
from conftest import ROLE, create, wait_done

TWO_PASSES = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Result": {"x": 1}, "Next": "B"},
        "B": {"Type": "Pass", "End": True},
    },
}
TYPES = [
    "ExecutionStarted",
    "PassStateEntered",
    "PassStateExited",
    "PassStateEntered",
    "PassStateExited",
    "ExecutionSucceeded",
]


@pytest.fixture
def finished(sfn, unique):
    arn = create(sfn, unique("hist"), TWO_PASSES)
    ex = sfn.start_execution(stateMachineArn=arn, input='{"in": true}')["executionArn"]
    assert wait_done(sfn, ex)["status"] == "SUCCEEDED"
    return ex


def test_history_of_a_succeeded_execution(sfn, finished):
    r = sfn.get_execution_history(executionArn=finished)
    assert "nextToken" not in r
    events = r["events"]
    assert [e["type"] for e in events] == TYPES
    assert [e["id"] for e in events] == [1, 2, 3, 4, 5, 6]
    # As AWS records it: the first state's entry follows no event.
    assert [e["previousEventId"] for e in events] == [0, 0, 2, 3, 4, 5]
    assert all(isinstance(e["timestamp"], datetime.datetime) for e in events)
    assert events[0]["timestamp"] <= events[-1]["timestamp"]
    started = events[0]["executionStartedEventDetails"]
    assert json.loads(started["input"]) == {"in": True}
    assert started["roleArn"] == ROLE
    assert events[3]["stateEnteredEventDetails"]["name"] == "B"
    out = events[5]["executionSucceededEventDetails"]
    assert json.loads(out["output"]) == {"x": 1}
    assert out["outputDetails"] == {"truncated": False}


def test_reverse_order_and_paging_to_the_end(sfn, finished):
    forward = sfn.get_execution_history(executionArn=finished)["events"]
    back = sfn.get_execution_history(executionArn=finished, reverseOrder=True)["events"]
    assert back == forward[::-1]
    for reverse in (False, True):
        seen, pages, kw = [], 0, {}
        while True:
            r = sfn.get_execution_history(
                executionArn=finished, maxResults=2, reverseOrder=reverse, **kw
            )
            pages += 1
            assert len(r["events"]) <= 2
            seen += r["events"]
            if "nextToken" not in r:
                break
            kw = {"nextToken": r["nextToken"]}
        assert pages == 3
        assert seen == (back if reverse else forward)
    # The paginator boto3 ships follows the same tokens.
    pager = sfn.get_paginator("get_execution_history")
    ids = [e["id"] for p in pager.paginate(executionArn=finished, PaginationConfig={"PageSize": 4})
           for e in p["events"]]
    assert ids == [1, 2, 3, 4, 5, 6]


def test_without_execution_data(sfn, finished):
    events = sfn.get_execution_history(executionArn=finished, includeExecutionData=False)["events"]
    assert [e["type"] for e in events] == TYPES
    assert events[0]["executionStartedEventDetails"] == {"roleArn": ROLE}
    assert events[2]["stateExitedEventDetails"] == {"name": "A"}
    assert "output" not in events[5].get("executionSucceededEventDetails", {})


def test_history_errors(sfn, finished):
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.get_execution_history(executionArn=finished + "-gone")
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.get_execution_history(executionArn="not-an-arn")
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.get_execution_history(executionArn=finished, nextToken="forged")
