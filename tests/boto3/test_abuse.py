"""What clients can send that they should not: every malformed request is
answered with an error in AWS's shape, a 10 MB body is refused, memory
stays bounded, and the server serves a valid request afterwards."""

import json
import re
import select
import socket

from conftest import PASS, Server, create

STATUS = re.compile(rb"HTTP/1\.1 (\d{3}) ")


def raw(server, target, body, headers=""):
    """One request on a fresh connection: (status, parsed body)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        t = f"X-Amz-Target: {target}\r\n" if target else ""
        s.sendall(
            (f"POST / HTTP/1.1\r\nHost: x\r\n{t}Content-Type: application/x-amz-json-1.0\r\n{headers}"
             f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
        )
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, payload = data.partition(b"\r\n\r\n")
    return int(STATUS.match(head).group(1)), json.loads(payload or b"{}")


def test_wire_errors_have_aws_shapes(server):
    assert raw(server, None, b"{}") == (400, {"__type": "UnknownOperationException",
                                              "message": raw(server, None, b"{}")[1]["message"]})
    status, body = raw(server, "AWSStepFunctions.ListStateMachines", b"{oops")
    assert (status, body["__type"]) == (400, "SerializationException")
    status, body = raw(server, "AWSStepFunctions.ListStateMachines", b'{"maxResults":"ten"}')
    assert (status, body["__type"]) == (400, "SerializationException")
    status, body = raw(server, "AWSStepFunctions.CreateStateMachine", b'{"name":"x"}')
    assert (status, body["__type"]) == (400, "ValidationException")
    assert "Member must not be null" in body["message"]
    status, body = raw(server, "AWSStepFunctions.ListStateMachines", b'{"maxResults":5000}')
    assert (status, body["__type"]) == (400, "ValidationException")


def huge(server, size):
    """Sends a body of `size` bytes in chunks until the server answers."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        s.sendall(
            (f"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.StartExecution\r\n"
             f"Content-Length: {size}\r\n\r\n").encode()
        )
        chunk, sent = b"x" * 65536, 0
        while sent < size:
            if select.select([s], [], [], 0)[0]:
                break
            try:
                s.sendall(chunk[: size - sent])
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        data = b""
        while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
            part = s.recv(65536)
            if not part:
                break
            data += part
    assert sent < size, "the server read the whole body"
    head, _, payload = data.partition(b"\r\n\r\n")
    return int(STATUS.match(head).group(1)), json.loads(payload)


MALFORMED = [
    (None, b"{}"),
    ("AWSStepFunctions.Nope", b"{}"),
    ("AWSStepFunctions.StartExecution", b"{"),
    ("AWSStepFunctions.StartExecution", b"[]"),
    ("AWSStepFunctions.StartExecution", b'{"stateMachineArn": 5}'),
    ("AWSStepFunctions.StartExecution", b'{"stateMachineArn": "arn:nope"}'),
    ("AWSStepFunctions.DescribeExecution", b'{"executionArn": "' + b"a" * 300 + b'"}'),
    ("AWSStepFunctions.ListExecutions", b'{"stateMachineArn": null, "maxResults": -1}'),
    ("AWSStepFunctions.CreateStateMachine", b'{"name": "\\u0000", "definition": "{}", "roleArn": "x"}'),
    ("AWSStepFunctions.StartSyncExecution", b"\xff\xfe\x00garbage"),
]


def test_flood_of_malformed_requests_and_a_huge_body(tmp_path, unique):
    # A server of its own, logging errors only (the flood's 4xx lines would be 100,000).
    server = Server(tmp_path, "--log-level", "error")
    try:
        flood(server, unique)
    finally:
        server.stop()


def flood(server, unique):
    sfn = server.client()
    total = 100_000
    batch = 500
    statuses = {}
    with socket.create_connection(("127.0.0.1", server.port), timeout=60) as s:
        for start in range(0, total, batch):
            out = bytearray()
            for i in range(start, start + batch):
                target, body = MALFORMED[i % len(MALFORMED)]
                t = f"X-Amz-Target: {target}\r\n" if target else ""
                out += (f"POST / HTTP/1.1\r\nHost: x\r\n{t}Content-Length: {len(body)}\r\n\r\n").encode() + body
            s.sendall(out)
            got, data = 0, b""
            while got < batch:
                chunk = s.recv(1 << 20)
                assert chunk, "the server closed the connection"
                data += chunk
                got = len(STATUS.findall(data))
            for code in STATUS.findall(data):
                statuses[code] = statuses.get(code, 0) + 1
    assert sum(statuses.values()) == total
    assert set(statuses) <= {b"400", b"404"}, statuses
    # One 10 MB body: refused once it passes the cap, without reading it all.
    status, body = huge(server, 10 << 20)
    assert status == 413 and body["__type"] == "RequestEntityTooLargeException"
    assert server.rss_kib() < 200 * 1024, f"RSS {server.rss_kib()} KiB"
    # Still serving.
    arn = create(sfn, unique("after"), PASS, kind="EXPRESS")
    assert sfn.start_sync_execution(stateMachineArn=arn)["status"] == "SUCCEEDED"
