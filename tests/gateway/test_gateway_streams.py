"""Byte-exact passthrough, stream usage parsing, failed streams and client disconnects."""

from __future__ import annotations

import socket
import time

import httpx
import orjson
import pytest

from aigw_sdk.sse import SSEParser
from gateway.serving import ServerThread
from tests.gateway.gw_helpers import (
    ANTHROPIC_HEADERS,
    RecordingUpstream,
    Stack,
    access_line,
    anthropic_body,
    provider,
    route,
    rule,
)

# Odd but valid bytes a re-serialising proxy would change: spacing, key order, escapes, a
# thinking signature.
ODD_BODY = (
    b'{ "usage" : {"output_tokens":7, "input_tokens":3},"id":"msg_1","type":"message",'
    b'"content":[{"type":"thinking","thinking":"\\u00e9t\\u00e9","signature":"EqQBCkYIARgCKkA+/="},'
    b'{"type":"text","text":"caf\\u00e9"}],"model":"claude-x" }\n'
)
STREAM = [
    b'event: message_start\r\ndata: {"type":"message_start","message":{"model":"m",',
    b'"usage":{"input_tokens":11,"cache_read_input_tokens":4,"output_tokens":1}}}\r\n\r\n',
    b'event: content_block_delta\ndata:{"type":"content_block_delta","index":0,'
    b'"delta":{"type":"signature_delta","signature":"Zm9v+/=="}}\n\n: comment\n\n',
    b'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":9}}\n\n',
    b'event: message_stop\ndata: {"type":"message_stop"}\n\n',
]


def _route_to(stack: Stack, port: int, schema: str = "Anthropic") -> Stack:
    return stack.serve(
        provider("up", schema, port), route("r", [rule("claude-sonnet-4-5", ["up"])])
    )


def test_non_streaming_body_is_byte_exact(stack: Stack) -> None:
    upstream = RecordingUpstream([ODD_BODY[:10], ODD_BODY[10:]])
    with ServerThread([(upstream, "127.0.0.1", 0)]) as server:
        _route_to(stack, server.ports[0])
        response = httpx.post(
            f"{stack.url}/anthropic/v1/messages", json=anthropic_body(), headers=ANTHROPIC_HEADERS
        )
    assert response.content == ODD_BODY
    assert response.headers["x-upstream"] == "recording"


def test_request_body_is_forwarded_unchanged_without_mutations(stack: Stack) -> None:
    upstream = RecordingUpstream([ODD_BODY])
    raw = (
        b'{"model":"claude-sonnet-4-5",  "max_tokens":5,'
        b'"messages":[{"role":"user","content":"\\u00e9"}]}'
    )
    with ServerThread([(upstream, "127.0.0.1", 0)]) as server:
        _route_to(stack, server.ports[0])
        httpx.post(f"{stack.url}/anthropic/v1/messages", content=raw, headers=ANTHROPIC_HEADERS)
    assert upstream.requests[0][2] == raw
    assert upstream.requests[0][0] == "/v1/messages"


def test_stream_is_byte_exact_and_usage_is_parsed(stack: Stack) -> None:
    upstream = RecordingUpstream(STREAM, content_type=b"text/event-stream")
    with ServerThread([(upstream, "127.0.0.1", 0)]) as server:
        _route_to(stack, server.ports[0])
        body = anthropic_body(stream=True)
        with httpx.stream(
            "POST", f"{stack.url}/anthropic/v1/messages", json=body, headers=ANTHROPIC_HEADERS
        ) as response:
            received = b"".join(response.iter_raw())
    assert received == b"".join(STREAM)
    line = access_line(stack)
    assert line["gen_ai.usage.input_tokens"] == 15
    assert line["gen_ai.usage.cached_input_tokens"] == 4
    assert line["gen_ai.usage.output_tokens"] == 9
    assert line["gen_ai.response.model"] == "m"
    assert line["stream"] is True and line["time_to_first_token"] is not None


def _events(data: bytes) -> list[tuple[str, str]]:
    parser = SSEParser()
    return [(e.event, e.data) for e in parser.feed(data) + parser.flush()]


def test_dropped_stream_ends_with_an_error_event(stack: Stack) -> None:
    _route_to(stack, stack.sim_port)
    headers = {**ANTHROPIC_HEADERS, "x-sim-fail-after-events": "3", "x-sim-fail-mode": "drop"}
    with httpx.stream(
        "POST",
        f"{stack.url}/anthropic/v1/messages",
        json=anthropic_body(stream=True),
        headers=headers,
    ) as response:
        events = _events(b"".join(response.iter_raw()))
    assert events[-1][0] == "error"
    assert orjson.loads(events[-1][1])["type"] == "error"
    assert "message_stop" not in [name for name, _ in events]


def test_upstream_error_event_is_passed_through_once(stack: Stack) -> None:
    _route_to(stack, stack.sim_port)
    headers = {**ANTHROPIC_HEADERS, "x-sim-fail-after-events": "2", "x-sim-fail-mode": "error"}
    with httpx.stream(
        "POST",
        f"{stack.url}/anthropic/v1/messages",
        json=anthropic_body(stream=True),
        headers=headers,
    ) as response:
        events = _events(b"".join(response.iter_raw()))
    assert [name for name, _ in events].count("error") == 1
    assert events[-1][0] == "error"


def test_openai_stream_cut_ends_with_an_error_frame(stack: Stack) -> None:
    stack.serve(
        provider("gpt", "OpenAI", stack.sim_port), route("r", [rule("gpt-4o-mini", ["gpt"])])
    )
    body = {"model": "gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": "x"}]}
    headers = {"x-sim-fail-after-events": "2", "x-sim-fail-mode": "drop"}
    with httpx.stream(
        "POST", f"{stack.url}/v1/chat/completions", json=body, headers=headers
    ) as response:
        events = _events(b"".join(response.iter_raw()))
    assert "error" in orjson.loads(events[-1][1])
    assert "[DONE]" not in [data for _, data in events]


def test_client_disconnect_cancels_the_upstream_request(stack: Stack) -> None:
    start = b'event: message_start\ndata: {"type":"message_start","message":{}}\n\n'
    upstream = RecordingUpstream([start], content_type=b"text/event-stream", hold=True)
    with ServerThread([(upstream, "127.0.0.1", 0)]) as server:
        _route_to(stack, server.ports[0])
        port = int(stack.url.rsplit(":", 1)[1])
        payload = orjson.dumps(anthropic_body(stream=True))
        with socket.create_connection(("127.0.0.1", port)) as sock:
            head = (
                b"POST /anthropic/v1/messages HTTP/1.1\r\nhost: x\r\n"
                b"content-type: application/json\r\nanthropic-version: 2023-06-01\r\n"
            )
            length = b"content-length: " + str(len(payload)).encode() + b"\r\n\r\n"
            sock.sendall(head + length + payload)
            received = b""
            while b"message_start" not in received:
                chunk = sock.recv(4096)
                assert chunk, "the gateway closed the connection"
                received += chunk
        deadline = time.monotonic() + 10
        while upstream.disconnects == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
    assert upstream.disconnects == 1


def test_stream_cut_after_a_crlf_line_gets_its_own_error_event(stack: Stack) -> None:
    """A stream cut mid-event after a CRLF line end: the error event must not merge into it."""
    half = b'event: message_start\r\ndata: {"type":"message_start","message":{}}\r\n'
    upstream = RecordingUpstream([half], content_type=b"text/event-stream")
    with ServerThread([(upstream, "127.0.0.1", 0)]) as server:
        _route_to(stack, server.ports[0])
        with httpx.stream(
            "POST",
            f"{stack.url}/anthropic/v1/messages",
            json=anthropic_body(stream=True),
            headers=ANTHROPIC_HEADERS,
        ) as response:
            events = _events(b"".join(response.iter_raw()))
    assert [name for name, _ in events] == ["message_start", "error"]
    assert orjson.loads(events[-1][1])["type"] == "error"


OPENAI_SSE = [
    b'data: {"id":"c","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n',
    b'data: {"id":"c","model":"gpt-4o-mini","choices":[],'
    b'"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}\n\n',
    b"data: [DONE]\n\n",
]


@pytest.mark.parametrize(
    ("options", "forwarded_unchanged"),
    [(b',"stream_options":{"include_usage":true}', True), (b"", False)],
)
def test_openai_stream_usage_is_requested_only_when_missing(
    stack: Stack, options: bytes, forwarded_unchanged: bool
) -> None:
    """With costs configured the gateway needs usage: it adds `include_usage` only if absent."""
    upstream = RecordingUpstream(OPENAI_SSE, content_type=b"text/event-stream")
    raw = (
        b'{"model":"gpt-4o-mini",  "stream":true' + options + b","
        b'"messages":[{"role":"user","content":"\\u00e9"}]}'
    )
    costs = [{"metadataKey": "out", "type": "OutputToken"}]
    with ServerThread([(upstream, "127.0.0.1", 0)]) as server:
        stack.serve(
            provider("gpt", "OpenAI", server.ports[0]),
            route("r", [rule("gpt-4o-mini", ["gpt"])], llmRequestCosts=costs),
        )
        httpx.post(f"{stack.url}/v1/chat/completions", content=raw)
        line = access_line(stack)
    sent = upstream.requests[0][2]
    assert (sent == raw) is forwarded_unchanged
    assert orjson.loads(sent)["stream_options"] == {"include_usage": True}
    assert line["costs"] == {"out": 2}
