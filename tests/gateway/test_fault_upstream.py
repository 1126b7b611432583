"""The gateway against an upstream that refuses, resets, hangs, speaks garbage, floods or cuts.

Every failure reaches the client as a JSON error in its API's envelope (or, mid-stream, as a
terminal error event) and never as a 500.
"""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest

from gateway.limits import Limits
from gateway.sse import SSEParser
from tests.gateway.fault_upstream import FaultUpstream, Mode
from tests.gateway.gw_helpers import ANTHROPIC_HEADERS, Stack, anthropic_body, provider, route, rule

CHAT = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


def _serve(stack: Stack, port: int, schema: str = "Anthropic", **kwargs: Any) -> Stack:
    return stack.serve(
        provider("up", schema, port),
        route("r", [rule("m", ["up"], timeouts={"request": "1s"})]),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("mode", "status", "message"),
    [
        ("refuse", 503, "reset reason: connection failure"),
        ("reset", 503, "reset reason: connection termination"),
        ("garbage", 503, "reset reason: connection termination"),
        ("hang", 504, "upstream request timeout"),
    ],
)
def test_failures_are_json_in_both_envelopes(
    stack: Stack, mode: Mode, status: int, message: str
) -> None:
    with FaultUpstream(mode) as upstream:
        _serve(stack, upstream.port)
        openai = httpx.post(f"{stack.url}/v1/chat/completions", json=CHAT, timeout=10)
        anthropic = httpx.post(
            f"{stack.url}/anthropic/v1/messages",
            json=anthropic_body("m"),
            headers=ANTHROPIC_HEADERS,
            timeout=10,
        )
    assert openai.status_code == anthropic.status_code == status
    error = openai.json()["error"]
    assert message in error["message"] and error["code"] == str(status)
    kind = "overloaded_error" if status == 503 else "timeout_error"
    assert anthropic.json()["error"]["type"] == kind
    assert message in anthropic.json()["error"]["message"]


@pytest.mark.parametrize("mode", ["enormous", "enormous-chunked"])
def test_an_enormous_body_is_a_502_not_a_memory_spike(stack: Stack, mode: Mode) -> None:
    with FaultUpstream(mode) as upstream:
        _serve(stack, upstream.port, limits=Limits(max_upstream_body=1024 * 1024))
        response = httpx.post(f"{stack.url}/v1/chat/completions", json=CHAT, timeout=10)
    assert response.status_code == 502
    assert response.json()["error"] == {
        "message": "upstream response body exceeds 1048576 bytes (max upstream body)",
        "type": "server_error",
        "param": None,
        "code": "502",
    }


@pytest.mark.parametrize("schema", ["Anthropic", "OpenAI"])
def test_a_cut_stream_ends_with_an_error_event(stack: Stack, schema: str) -> None:
    with FaultUpstream("cut") as upstream:
        _serve(stack, upstream.port, schema=schema)
        with httpx.stream(
            "POST",
            f"{stack.url}/anthropic/v1/messages",
            json=anthropic_body("m", stream=True),
            headers=ANTHROPIC_HEADERS,
            timeout=10,
        ) as response:
            raw = b"".join(response.iter_raw())
    assert response.status_code == 200
    parser = SSEParser()
    events = parser.feed(raw) + parser.flush()
    assert events[-1].event == "error"
    assert orjson.loads(events[-1].data)["type"] == "error"


@pytest.mark.parametrize("schema", ["Anthropic", "OpenAI"])
def test_an_endless_stream_event_is_cut_at_the_upstream_body_cap(stack: Stack, schema: str) -> None:
    with FaultUpstream("endless-event") as upstream:
        _serve(stack, upstream.port, schema=schema, limits=Limits(max_upstream_body=1024 * 1024))
        with httpx.stream(
            "POST",
            f"{stack.url}/anthropic/v1/messages",
            json=anthropic_body("m", stream=True),
            headers=ANTHROPIC_HEADERS,
            timeout=10,
        ) as response:
            raw = b"".join(response.iter_raw())
    assert response.status_code == 200
    parser = SSEParser()
    events = parser.feed(raw) + parser.flush()
    assert events[-1].event == "error"
    message = orjson.loads(events[-1].data)["error"]["message"]
    if schema == "Anthropic":  # passed through; the translator ends with its own text
        assert "upstream stream event exceeds 1048576 bytes" in message
    assert len(raw) < 3 * 1024 * 1024  # the endless event was not relayed or buffered further
