"""TestState runs on the engine's TestState. History: test_history.py; task
tokens and activities: test_tokens.py."""

import json

import pytest
from conftest import ROLE


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
