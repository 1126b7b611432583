"""Access log with upstream's fields, request ids, the buffered writer and `GET /requests`."""

from __future__ import annotations

import io
import re
import threading

import httpx
import orjson

from gateway.accesslog import AccessLogWriter, AccessRecord
from gateway.metrics import GenAIMetrics
from gateway.observation import Telemetry
from gateway.serving import ServerThread
from gateway.translation.usage import TokenUsage
from tests.gateway.gw_helpers import (
    ANTHROPIC_HEADERS,
    SIM_KEY,
    RecordingUpstream,
    Stack,
    access_line,
    anthropic_body,
    provider,
    route,
    rule,
)

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def _serve(stack: Stack, port: int | None = None, **telemetry: object) -> None:
    stack.serve(
        provider("claude", "Anthropic", stack.sim_port if port is None else port),
        route("r", [rule("claude-sonnet-4-5", ["claude"])]),
        telemetry=Telemetry(GenAIMetrics(), **telemetry),  # type: ignore[arg-type]
    )


def test_entry_has_upstreams_fields_and_formats(stack: Stack) -> None:
    _serve(stack, log_headers={"agent-session-id": "session.id"})
    body = orjson.dumps(anthropic_body())
    response = httpx.post(
        f"{stack.url}/anthropic/v1/messages",
        content=body,
        headers={**ANTHROPIC_HEADERS, "user-agent": "tester/1", "agent-session-id": "s-9"},
    )
    line = access_line(stack)
    usage = response.json()["usage"]
    assert ISO.fullmatch(line["start_time"])
    assert (line["method"], line["request.path"], line["response_code"]) == (
        "POST",
        "/anthropic/v1/messages",
        200,
    )
    assert isinstance(line["duration"], int)
    assert line["bytes_received"] == len(body)
    assert line["bytes_sent"] == len(response.content)
    assert UUID4.fullmatch(line["x-request-id"])
    assert line["x-request-id"] == response.headers["x-request-id"]
    assert line["user-agent"] == "tester/1"
    assert line["x-forwarded-for"] is None
    assert line["upstream_host"] == f"127.0.0.1:{stack.sim_port}"
    assert line["downstream_remote_address"].startswith("127.0.0.1:")
    assert line["gen_ai.request.model"] == "claude-sonnet-4-5"
    assert line["gen_ai.provider.name"] == "anthropic"
    assert line["gen_ai.usage.input_tokens"] == usage["input_tokens"]
    assert line["gen_ai.usage.output_tokens"] == usage["output_tokens"]
    assert line["session.id"] == "s-9"
    assert isinstance(line["x-envoy-upstream-service-time"], int)
    assert SIM_KEY not in orjson.dumps(line).decode()


def test_request_id_is_taken_or_generated_returned_and_sent_upstream(stack: Stack) -> None:
    upstream = RecordingUpstream([orjson.dumps({"type": "message", "content": []})])
    with ServerThread([(upstream, "127.0.0.1", 0)]) as server:
        _serve(stack, server.ports[0])
        url = f"{stack.url}/anthropic/v1/messages"
        given = httpx.post(
            url, json=anthropic_body(), headers={**ANTHROPIC_HEADERS, "x-request-id": "abc-123"}
        )
        made = httpx.post(url, json=anthropic_body(), headers=ANTHROPIC_HEADERS)
        bad = httpx.post(
            url, json=anthropic_body(), headers={**ANTHROPIC_HEADERS, "x-request-id": "a b"}
        )
    assert given.headers["x-request-id"] == "abc-123"
    assert UUID4.fullmatch(made.headers["x-request-id"])
    assert UUID4.fullmatch(bad.headers["x-request-id"])
    sent = [headers["x-request-id"] for _, headers, _ in upstream.requests]
    assert sent == [r.headers["x-request-id"] for r in (given, made, bad)]
    assert len(set(sent)) == 3


def test_gateway_errors_carry_the_request_id(stack: Stack) -> None:
    _serve(stack)
    response = httpx.post(f"{stack.url}/v1/chat/completions", json={"model": "nope"})
    assert response.status_code == 404
    assert access_line(stack)["x-request-id"] == response.headers["x-request-id"]


def test_requests_endpoint_lists_the_last_requests(stack: Stack) -> None:
    _serve(stack)
    ids = []
    for stream in (False, True):
        with httpx.stream(
            "POST",
            f"{stack.url}/anthropic/v1/messages",
            json=anthropic_body(stream=stream),
            headers=ANTHROPIC_HEADERS,
        ) as response:
            response.read()
            ids.append(response.headers["x-request-id"])
    with httpx.Client(base_url=stack.admin_url) as admin:
        rows = admin.get("/requests").json()["requests"]
        assert [r["x-request-id"] for r in admin.get("/requests?limit=1").json()["requests"]] == [
            ids[1]
        ]
        assert admin.get("/requests?limit=x").status_code == 400
    assert [r["x-request-id"] for r in rows] == ids
    plain, streamed = rows
    assert plain["ttft_ms"] is None and streamed["ttft_ms"] is not None
    assert streamed["duration_ms"] >= streamed["ttft_ms"]
    assert streamed["output_tokens"] > 0 and plain["input_tokens"] > 0
    assert streamed["response_code"] == 200 and streamed["stream"] is True


def _record(**fields: object) -> AccessRecord:
    record = AccessRecord("POST", "/v1/chat/completions", 1_700_000_000.25, request_id="r-1")
    for name, value in fields.items():
        setattr(record, name, value)
    return record


def test_text_format_is_envoys_default_then_gen_ai_fields() -> None:
    record = _record(
        status=200,
        bytes_received=10,
        bytes_sent=20,
        duration=0.0123,
        user_agent="ua",
        authority="localhost:1975",
        upstream_host="127.0.0.1:8080",
        request_model="gpt-4o-mini",
        usage=TokenUsage(input_tokens=3, output_tokens=4),
        costs={"llm_total_token": 7},
    )
    assert record.to_text() == (
        '[2023-11-14T22:13:20.250Z] "POST /v1/chat/completions HTTP/1.1" 200 - 10 20 12 - '
        '"-" "ua" "r-1" "localhost:1975" "127.0.0.1:8080" '
        'gen_ai.request.model="gpt-4o-mini" gen_ai.usage.input_tokens=3 '
        "gen_ai.usage.output_tokens=4 llm_total_token=7"
    )


def test_writer_batches_off_the_caller_and_flushes_on_close() -> None:
    out = io.BytesIO()
    writes: list[str] = []

    def write(data: bytes) -> None:
        writes.append(threading.current_thread().name)
        out.write(data)

    writer = AccessLogWriter(write, "json", interval=3600)
    for i in range(3):
        writer.submit(_record(status=200 + i))
    assert out.getvalue() == b""  # nothing written on the caller's thread
    writer.close()
    lines = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert [line["response_code"] for line in lines] == [200, 201, 202]
    assert len(writes) == 1  # one batch


def test_writer_thread_writes_within_its_interval() -> None:
    done = threading.Event()
    writer = AccessLogWriter(lambda data: done.set(), "text", interval=0.01)
    writer.submit(_record())
    assert done.wait(5)
    writer.close()


def test_broken_output_never_reaches_the_request_path() -> None:
    def broken(data: bytes) -> None:
        raise BrokenPipeError

    writer = AccessLogWriter(broken, "json", interval=3600)
    writer.submit(_record())
    writer.close()  # no exception
