"""Task states on the server: MockConfigFile test cases picked with
`stateMachineArn#TestCase` (with Retry and Catch), unmocked Lambda tasks
through --lambda-endpoint, and the error without one."""

import json

import pytest
from conftest import Server, create, wait_done

ORDERS = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "Charge", "Payload.$": "$"},
            "ResultSelector": {"charged.$": "$.Payload.charged"},
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "BackoffRate": 1,
                       "MaxAttempts": 3}],
            "Catch": [{"ErrorEquals": ["Card.Declined"], "ResultPath": "$.failure", "Next": "Declined"}],
            "End": True,
        },
        "Declined": {"Type": "Pass", "End": True},
    },
}


@pytest.fixture(scope="module")
def orders(sfn):
    try:
        return create(sfn, "Orders", ORDERS)
    except sfn.exceptions.StateMachineAlreadyExists:
        return "arn:aws:states:us-east-1:123456789012:stateMachine:Orders"


def run(sfn, arn, payload):
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(payload))["executionArn"]
    return wait_done(sfn, ex)


def test_happy_path_mock(sfn, orders):
    d = run(sfn, orders + "#HappyPath", {"order": 1})
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"charged": True}
    assert d["stateMachineArn"] == orders


def test_retry_path_mock_is_retried_until_it_returns(sfn, orders):
    d = run(sfn, orders + "#RetryPath", {"order": 2})
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"charged": "late"}


def test_catch_path_mock_is_caught(sfn, orders):
    d = run(sfn, orders + "#CatchPath", {"order": 3})
    assert d["status"] == "SUCCEEDED"
    out = json.loads(d["output"])
    assert out["order"] == 3
    assert out["failure"] == {"Error": "Card.Declined", "Cause": "insufficient funds"}


def test_sync_start_takes_a_test_case_too(sfn, unique):
    arn = create(sfn, "OrdersExpress", ORDERS, kind="EXPRESS")
    r = sfn.start_sync_execution(stateMachineArn=arn + "#HappyPath", input="{}")
    assert r["status"] == "SUCCEEDED" and json.loads(r["output"]) == {"charged": True}
    # The mock file has no state machine of another name.
    other = create(sfn, unique("exp"), ORDERS, kind="EXPRESS")
    with pytest.raises(sfn.exceptions.ClientError) as e:
        sfn.start_sync_execution(stateMachineArn=other + "#HappyPath")
    assert e.value.response["Error"]["Code"] == "ValidationException"


def test_unknown_test_case_is_an_error(sfn, orders):
    with pytest.raises(sfn.exceptions.ClientError) as e:
        sfn.start_execution(stateMachineArn=orders + "#NoSuchCase")
    err = e.value.response["Error"]
    assert err["Code"] == "ValidationException" and "NoSuchCase" in err["Message"]


def test_unmocked_states_call_the_lambda_endpoint(sfn, orders):
    from conftest import LambdaStub

    # HybridPath mocks nothing: Charge goes to the stub, which echoes.
    d = run(sfn, orders + "#HybridPath", {"charged": "by-stub"})
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"charged": "by-stub"}
    assert ("Charge", {"charged": "by-stub"}) in LambdaStub.calls
    # Without a test case nothing is mocked.
    d = run(sfn, orders, {"charged": 7})
    assert json.loads(d["output"]) == {"charged": 7}


def test_lambda_function_arns_and_function_errors(sfn, unique):
    direct = {
        "StartAt": "Call",
        "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Echo",
                     "Next": "Boom"},
            "Boom": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Boom",
                     "Catch": [{"ErrorEquals": ["BoomError"], "Next": "Caught"}], "End": True},
            "Caught": {"Type": "Pass", "End": True},
        },
    }
    d = run(sfn, create(sfn, unique(), direct), {"x": 1})
    assert d["status"] == "SUCCEEDED"
    caught = json.loads(d["output"])
    assert caught["Error"] == "BoomError" and "it went boom" in caught["Cause"]


def test_other_integrations_fail_naming_the_mock_options(sfn, unique):
    ddb = {"StartAt": "Put", "States": {"Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                                                 "Parameters": {"TableName": "t"}, "End": True}}}
    d = run(sfn, create(sfn, unique(), ddb), {})
    assert d["status"] == "FAILED" and d["error"] == "States.TaskFailed"
    assert "--mock-config" in d["cause"] and "SFN_MOCK_CONFIG" in d["cause"]


def test_without_an_endpoint_lambda_tasks_fail_naming_the_option(tmp_path):
    s = Server(tmp_path, "--log-level", "error")
    try:
        sfn = s.client()
        arn = create(sfn, "NoEndpoint", ORDERS)
        d = run(sfn, arn, {})
        assert d["status"] == "FAILED" and d["error"] == "States.TaskFailed"
        assert "--lambda-endpoint" in d["cause"] and "LAMBDA_ENDPOINT" in d["cause"]
    finally:
        s.stop()


def test_the_mock_file_comes_from_sfn_mock_config_too(tmp_path):
    from conftest import HERE

    s = Server(tmp_path, "--log-level", "error", env={"SFN_MOCK_CONFIG": str(HERE / "MockConfigFile.json")})
    try:
        sfn = s.client()
        arn = create(sfn, "Orders", ORDERS)
        assert json.loads(run(sfn, arn + "#HappyPath", {})["output"]) == {"charged": True}
    finally:
        s.stop()
