"""Envoy-style connection limits, probed with raw sockets: header size and timeouts, idle and body
timeouts, a connection cap and an in-flight request cap, each answered with a JSON error."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from aigw_sdk.local import LocalGateway
from gateway.limits import Limits
from tests.gateway.fault_upstream import FaultUpstream
from tests.gateway.gw_helpers import Stack, provider, route, rule

AIGW = str(Path(sys.executable).with_name("aigw-sdk"))
CHAT = b'{"model":"m","messages":[{"role":"user","content":"hi"}]}'


def _serve(stack: Stack, **limits: float) -> int:
    stack.serve(
        provider("up", "OpenAI", stack.sim_port),
        route("r", [rule("m", ["up"])]),
        limits=Limits(**limits),  # type: ignore[arg-type]
    )
    return int(stack.url.rsplit(":", 1)[1])


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    return sock


def _read_response(sock: socket.socket) -> tuple[int, bytes]:
    """Status and body of one response (Content-Length bodies); (0, b"") if the peer closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return 0, b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    match = re.search(rb"content-length: *(\d+)", head, re.IGNORECASE)
    length = int(match.group(1)) if match else 0
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return int(head.split(b" ", 2)[1]), body


def _request(headers: bytes = b"", body: bytes = CHAT) -> bytes:
    return (
        b"POST /v1/chat/completions HTTP/1.1\r\nhost: localhost\r\n"
        b"content-type: application/json\r\ncontent-length: %d\r\n%s\r\n%s"
    ) % (len(body), headers, body)


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False


def test_request_headers_over_60_kib_are_a_431(stack: Stack) -> None:
    port = _serve(stack)
    with _connect(port) as sock:
        sock.sendall(_request(b"x-pad: " + b"a" * 59_000 + b"\r\n"))
        assert _read_response(sock)[0] == 200
    before = stack.sim_stats()["total"]
    with _connect(port) as sock:
        # The gateway answers and closes while we are still sending.
        with contextlib.suppress(OSError):
            sock.sendall(_request(b"x-pad: " + b"a" * (64 * 1024 * 1024) + b"\r\n"))
        status, body = _read_response(sock)
    assert status == 431
    error = orjson.loads(body)["error"]
    assert error["message"] == "request headers exceed 61440 bytes (max request headers)"
    assert error["type"] == "request_too_large" and error["code"] == "431"
    assert stack.sim_stats()["total"] == before  # nothing was forwarded


def test_many_small_headers_over_the_limit_are_a_431(stack: Stack) -> None:
    port = _serve(stack, max_request_headers=4096)
    with _connect(port) as sock:
        sock.sendall(_request(b"".join(b"x-h%d: v\r\n" % i for i in range(600))))
        assert _read_response(sock)[0] == 431


def test_slow_headers_get_a_408_and_the_connection_closes(stack: Stack) -> None:
    port = _serve(stack, headers_timeout=0.3)
    with _connect(port) as sock:
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n")
        started = time.monotonic()
        status, body = _read_response(sock)
        assert status == 408 and time.monotonic() - started < 5
        assert "headers timeout" in orjson.loads(body)["error"]["message"]
        assert _closed_within(sock, 5)


def test_an_idle_connection_is_closed(stack: Stack) -> None:
    port = _serve(stack, idle_timeout=0.3)
    with _connect(port) as fresh, _connect(port) as reused:
        reused.sendall(_request())
        assert _read_response(reused)[0] == 200
        assert _closed_within(fresh, 5)
        assert _closed_within(reused, 5)


def test_a_stalled_body_gets_a_408(stack: Stack) -> None:
    port = _serve(stack, body_timeout=0.3)
    with _connect(port) as sock:
        sock.sendall(_request(body=CHAT)[: -len(CHAT) + 5])
        status, body = _read_response(sock)
    assert status == 408
    assert "body timeout" in orjson.loads(body)["error"]["message"]


def test_connections_beyond_the_cap_get_a_503(stack: Stack) -> None:
    port = _serve(stack, max_connections=3)
    held = [_connect(port) for _ in range(3)]
    try:
        time.sleep(0.2)
        with _connect(port) as extra:
            extra.sendall(_request())
            status, body = _read_response(extra)
        assert status == 503
        error = orjson.loads(body)["error"]
        assert error["type"] == "overloaded_error" and "max connections" in error["message"]
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.2)
    with _connect(port) as sock:
        sock.sendall(_request())
        assert _read_response(sock)[0] == 200


@pytest.fixture
def hanging() -> Iterator[FaultUpstream]:
    with FaultUpstream("hang") as upstream:
        yield upstream


def _hold_request(url: str, body: bytes = CHAT) -> threading.Thread:
    """Send a request that the hanging upstream never answers (until the test ends)."""

    def send() -> None:
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(url, content=body, timeout=3)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


def test_requests_beyond_the_in_flight_cap_get_a_503(stack: Stack, hanging: FaultUpstream) -> None:
    stack.serve(
        provider("up", "OpenAI", hanging.port),
        route("r", [rule("m", ["up"])]),
        limits=Limits(max_requests=1),
    )
    holder = _hold_request(f"{stack.url}/v1/chat/completions")
    deadline = time.monotonic() + 5
    while hanging.requests == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    response = httpx.post(f"{stack.url}/anthropic/v1/messages", content=CHAT)
    assert response.status_code == 503
    assert response.json()["error"] == {
        "type": "overloaded_error",
        "message": "envoy overloaded: 1 requests in progress (max requests)",
    }
    holder.join(5)


def test_run_takes_the_limits_on_its_command_line() -> None:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    bad = subprocess.run(
        [AIGW, "run", "--body-limit", "1000", "--body-budget", "10"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert "body_budget (10) must be at least body_limit (1000)" in bad.stderr
    process = subprocess.Popen(
        [AIGW, "run", "--port", "0", "--admin-port", "0", "--quiet",
         "--max-request-headers", "2048", "--headers-timeout", "0.5"],
        stdout=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        port = 0
        for line in process.stdout:
            match = re.search(r"\(aigw-sdk\) listening on http://127\.0\.0\.1:(\d+)", line)
            if match:
                port = int(match.group(1))
                break
        with _connect(port) as sock:
            sock.sendall(_request(b"x-pad: " + b"a" * 3000 + b"\r\n"))
            assert _read_response(sock)[0] == 431
        with _connect(port) as sock:
            sock.sendall(b"GET /v1/models HTTP/1.1\r\n")
            assert _read_response(sock)[0] == 408
    finally:
        process.terminate()
        process.wait(30)
        assert process.stdout is not None
        process.stdout.close()


@pytest.mark.parametrize("mode", ["thread", "subprocess"])
def test_local_gateway_takes_limits(mode: str) -> None:
    limits = Limits(max_request_headers=2048, max_json_depth=4)
    with LocalGateway(simulator=True, mode=mode, limits=limits) as gateway:  # type: ignore[arg-type]
        assert gateway.url is not None
        big = httpx.get(f"{gateway.url}/v1/models", headers={"x-pad": "a" * 3000})
        deep = httpx.post(
            f"{gateway.url}/v1/chat/completions",
            json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": [[[["x"]]]]}]},
        )
    assert big.status_code == 431
    assert deep.status_code == 400 and "limit of 4 levels" in deep.json()["error"]["message"]
