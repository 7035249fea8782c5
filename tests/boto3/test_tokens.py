"""Task tokens and activities through boto3: `.waitForTaskToken` tasks park
until SendTaskSuccess / SendTaskFailure (or their HeartbeatSeconds pass),
and activity workers loop on GetActivityTask + SendTaskSuccess."""

import json
import threading
import time

import pytest
from conftest import ACTIVITY_POLL_MS, LambdaStub, create, wait_done


def callback_machine(tag, **task):
    """A Lambda callback: the stub Lambda gets the token (and `tag`, to find its call)."""
    return {"StartAt": "Cb", "States": {"Cb": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "Callback", "Payload": {"token.$": "$$.Task.Token", "tag": tag}},
        "End": True, **task}}}


def token_for(tag, timeout=10.0):
    """The token the stub Lambda was sent with `tag`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for name, payload in list(LambdaStub.calls):
            if name == "Callback" and isinstance(payload, dict) and payload.get("tag") == tag:
                return payload["token"]
        time.sleep(0.02)
    raise AssertionError(f"no callback call tagged {tag}")


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_a_callback_task_waits_for_send_task_success(sfn, unique):
    tag = unique("cb")
    arn = create(sfn, unique(), callback_machine(tag, ResultPath="$.reply"))
    ex = sfn.start_execution(stateMachineArn=arn, input='{"order": 7}')["executionArn"]
    token = token_for(tag)
    time.sleep(0.2)
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
    sfn.send_task_success(taskToken=token, output='{"approved": true}')
    d = wait_done(sfn, ex)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"order": 7, "reply": {"approved": True}}
    # A token completes its task once; the second send finds it closed.
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_success(taskToken=token, output="{}")
    with pytest.raises(sfn.exceptions.TaskTimedOut):
        sfn.send_task_heartbeat(taskToken=token)


def test_send_task_failure_is_caught(sfn, unique):
    tag = unique("cb")
    m = callback_machine(tag)
    m["States"]["Cb"].pop("End")
    m["States"]["Cb"]["Catch"] = [{"ErrorEquals": ["Rejected"], "ResultPath": "$.why", "Next": "Handled"}]
    m["States"]["Cb"]["Next"] = "Handled"
    m["States"]["Handled"] = {"Type": "Pass", "End": True}
    ex = sfn.start_execution(stateMachineArn=create(sfn, unique(), m), input="{}")["executionArn"]
    sfn.send_task_failure(taskToken=token_for(tag), error="Rejected", cause="manual review")
    d = wait_done(sfn, ex)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"why": {"Error": "Rejected", "Cause": "manual review"}}


def test_heartbeats_keep_a_task_alive(sfn, unique):
    tag = unique("cb")
    ex = sfn.start_execution(stateMachineArn=create(sfn, unique(), callback_machine(tag, HeartbeatSeconds=2)),
                             input="{}")["executionArn"]
    token = token_for(tag)
    # 3 s of work, a heartbeat every 0.3 s: longer than HeartbeatSeconds, never idle that long.
    end = time.time() + 3.0
    while time.time() < end:
        sfn.send_task_heartbeat(taskToken=token)
        time.sleep(0.3)
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
    sfn.send_task_success(taskToken=token, output='"done"')
    d = wait_done(sfn, ex)
    assert (d["status"], json.loads(d["output"])) == ("SUCCEEDED", "done")


def test_no_heartbeat_fails_the_execution_with_heartbeat_timeout(sfn, unique):
    # Unmocked SQS: the message counts as sent, the execution waits for its token.
    m = {"StartAt": "Q", "States": {"Q": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                       "MessageBody": {"token.$": "$$.Task.Token"}},
        "HeartbeatSeconds": 1, "End": True}}}
    ex = sfn.start_execution(stateMachineArn=create(sfn, unique(), m), input="{}")["executionArn"]
    time.sleep(0.3)
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
    d = wait_done(sfn, ex, timeout=10)
    assert (d["status"], d.get("error")) == ("FAILED", "States.HeartbeatTimeout"), d


def test_bad_tokens_and_outputs_get_aws_errors(sfn):
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.send_task_success(taskToken="not-a-token", output="{}")
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.send_task_heartbeat(taskToken="x" * 43)
    with pytest.raises(sfn.exceptions.TaskDoesNotExist):
        sfn.send_task_failure(taskToken="A" + "f" * 48)
    with pytest.raises(sfn.exceptions.InvalidOutput):
        sfn.send_task_success(taskToken="t", output="{not json")
    for kw in ({"error": "e" * 257}, {"cause": "c" * 32769}):
        with pytest.raises(sfn.exceptions.ClientError) as e:
            sfn.send_task_failure(taskToken="t", **kw)
        assert code(e) == "ValidationException"


def test_an_activity_worker_loop(sfn, unique):
    act = sfn.create_activity(name=unique("act"))["activityArn"]
    m = {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": act,
                                                "TimeoutSeconds": 30, "End": True}}}
    arn = create(sfn, unique(), m)
    exs = [sfn.start_execution(stateMachineArn=arn, input=json.dumps({"n": n}))["executionArn"]
           for n in range(3)]
    done = []

    def worker():
        while len(done) < 3:
            t = sfn.get_activity_task(activityArn=act, workerName="w1")
            if not t.get("taskToken"):
                continue
            n = json.loads(t["input"])["n"]
            sfn.send_task_heartbeat(taskToken=t["taskToken"])
            sfn.send_task_success(taskToken=t["taskToken"], output=json.dumps({"square": n * n}))
            done.append(n)

    w = threading.Thread(target=worker, daemon=True)
    w.start()
    w.join(timeout=20)
    assert sorted(done) == [0, 1, 2]
    for n, ex in enumerate(exs):
        d = wait_done(sfn, ex)
        assert (d["status"], json.loads(d["output"])) == ("SUCCEEDED", {"square": n * n}), d
    with pytest.raises(sfn.exceptions.ActivityDoesNotExist):
        sfn.get_activity_task(activityArn=act + "-gone")


def test_an_idle_poll_ends_with_no_task(sfn, unique):
    # The session's server polls ACTIVITY_POLL_MS (--activity-poll-ms, for tests; AWS waits 60 s).
    act = sfn.create_activity(name=unique("idle"))["activityArn"]
    t0 = time.time()
    t = sfn.get_activity_task(activityArn=act)
    assert not t.get("taskToken") and "input" not in t
    assert ACTIVITY_POLL_MS / 1000 * 0.9 <= time.time() - t0 < 5


def test_a_mocked_callback_still_waits_for_its_token(sfn):
    # The mock answers the SendMessage call; the task's result is still what its token brings.
    m = {"StartAt": "Notify", "States": {"Notify": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
        "HeartbeatSeconds": 1, "End": True}}}
    arn = create(sfn, "Callbacks", m)
    ex = sfn.start_execution(stateMachineArn=arn + "#Sent", input="{}")["executionArn"]
    time.sleep(0.3)
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
    d = wait_done(sfn, ex)
    assert (d["status"], d.get("error")) == ("FAILED", "States.HeartbeatTimeout"), d
