"""The AWS CLI against the server: a few calls as users type them, the
`sync-` host prefix switched off with AWS_DISABLE_HOST_PREFIX_INJECTION."""

import json
import os
import pathlib
import subprocess
import sys

from conftest import PASS, create

AWS = pathlib.Path(sys.executable).with_name("aws")


def aws(server, *args, **env):
    e = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        **env,
    }
    return subprocess.run(
        [str(AWS), "stepfunctions", *args, "--endpoint-url", server.url],
        capture_output=True, text=True, env=e, timeout=60,
    )


def test_cli_lists_and_describes(server, sfn, unique):
    arn = create(sfn, unique("cli"), PASS)
    r = aws(server, "list-state-machines")
    assert r.returncode == 0, r.stderr
    assert arn in [m["stateMachineArn"] for m in json.loads(r.stdout)["stateMachines"]]
    r = aws(server, "describe-state-machine", "--state-machine-arn", arn + "-gone")
    assert r.returncode == 255
    assert "An error occurred (StateMachineDoesNotExist) when calling the DescribeStateMachine operation" in r.stderr


def test_cli_start_sync_execution_without_the_host_prefix(server, sfn, unique):
    arn = create(sfn, unique("cli"), PASS, kind="EXPRESS")
    r = aws(server, "start-sync-execution", "--state-machine-arn", arn, "--input", '{"k":"v"}',
            AWS_DISABLE_HOST_PREFIX_INJECTION="true")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["status"] == "SUCCEEDED" and json.loads(out["output"]) == {"k": "v"}


def test_cli_start_and_describe_execution(server, sfn, unique):
    arn = create(sfn, unique("cli"), PASS)
    r = aws(server, "start-execution", "--state-machine-arn", arn, "--name", "from-cli")
    assert r.returncode == 0, r.stderr
    ex = json.loads(r.stdout)["executionArn"]
    r = aws(server, "describe-execution", "--execution-arn", ex)
    assert r.returncode == 0 and json.loads(r.stdout)["name"] == "from-cli"


def test_sigterm_stops_the_server_cleanly(tmp_path):
    import signal

    from conftest import Server

    s = Server(tmp_path, "--log-level", "info")
    sfn = s.client()
    assert sfn.list_state_machines()["stateMachines"] == []
    s.proc.send_signal(signal.SIGTERM)
    assert s.proc.wait(timeout=10) == 0
    log = s.log.read_text()
    assert "ListStateMachines 200" in log  # the request log line: operation, status, latency
    assert "stopping" in log
    s.stop()


def test_help_lists_the_environment_variables():
    from conftest import BIN

    out = subprocess.run([str(BIN), "serve", "--help"], capture_output=True, text=True, timeout=30).stdout
    for var in ("SFN_MOCK_CONFIG", "LAMBDA_ENDPOINT", "AWS_DISABLE_HOST_PREFIX_INJECTION", "--lambda-endpoint"):
        assert var in out
