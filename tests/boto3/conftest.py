"""Fixtures of the client suite: a `stampede serve` on a free loopback port
(with a mock file and a Lambda-Invoke stub), and boto3 clients for it."""

import json
import os
import pathlib
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import botocore.config
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("STAMPEDE_BIN", ROOT / "target" / "debug" / "stampede"))
HERE = pathlib.Path(__file__).resolve().parent
ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"


class LambdaStub(BaseHTTPRequestHandler):
    """A Lambda Invoke endpoint: answers the payload (an object) with the
    function's name added as `fn`; the function `Boom` raises
    (X-Amz-Function-Error), as Lambda does."""

    calls = []

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        payload = json.loads(self.rfile.read(n) or b"null")
        parts = self.path.split("/")
        name = parts[3] if len(parts) > 4 and parts[1] == "2015-03-31" else None
        LambdaStub.calls.append((name, payload))
        if name == "Boom":
            body = json.dumps({"errorType": "BoomError", "errorMessage": "it went boom"}).encode()
            self.send_response(200)
            self.send_header("X-Amz-Function-Error", "Unhandled")
        elif name is None:
            body = b'{"message":"not an invoke path"}'
            self.send_response(404)
        else:
            body = json.dumps({**(payload if isinstance(payload, dict) else {"payload": payload}),
                               "fn": name}).encode()
            self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def lambda_stub():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), LambdaStub)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class Server:
    """A running `stampede serve`."""

    def __init__(self, tmp: pathlib.Path, *extra: str, env=None):
        assert BIN.exists(), f"build the CLI first (cargo build -p stampede-cli): {BIN}"
        self.log = tmp / f"serve-{time.monotonic_ns()}.log"
        self.log_file = open(self.log, "w")
        self.proc = subprocess.Popen(
            [str(BIN), "serve", "--port", "0", *extra],
            stdout=subprocess.DEVNULL,
            stderr=self.log_file,
            env={**os.environ, **(env or {})},
        )
        deadline = time.time() + 30
        while True:
            text = self.log.read_text()
            if "listening on http://" in text:
                self.url = text.split("listening on ")[1].split()[0]
                break
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError(f"stampede serve did not start: {text}")
            time.sleep(0.02)
        self.port = int(self.url.rsplit(":", 1)[1])

    def client(self, **kw):
        return boto3.client(
            "stepfunctions",
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=botocore.config.Config(inject_host_prefix=False, retries={"max_attempts": 1}, **kw),
        )

    def rss_kib(self) -> int:
        for line in pathlib.Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log_file.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory, lambda_stub):
    tmp = tmp_path_factory.mktemp("serve")
    s = Server(
        tmp,
        "--mock-config", str(HERE / "MockConfigFile.json"),
        "--lambda-endpoint", lambda_stub,
        "--log-level", "warn",
    )
    yield s
    s.stop()


@pytest.fixture(scope="session")
def sfn(server):
    return server.client()


_names = iter(range(1, 1 << 30))


@pytest.fixture
def unique():
    """A fresh name per call: tests share one server."""
    return lambda prefix="m": f"{prefix}-{next(_names)}"


def create(sfn, name, definition, kind="STANDARD"):
    return sfn.create_state_machine(
        name=name, definition=json.dumps(definition), roleArn=ROLE, type=kind
    )["stateMachineArn"]


def wait_done(sfn, arn, timeout=10.0):
    deadline = time.time() + timeout
    while True:
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING" or time.time() > deadline:
            return d
        time.sleep(0.02)


PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
