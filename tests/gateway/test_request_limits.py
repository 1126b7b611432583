"""Bounded work and memory per request: linear tool names, JSON depth, field types, `model`
characters, declared and budgeted body sizes."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any

import httpx
import pytest

from aigw_sdk.sse import SSEEventTooLarge, SSEParser
from gateway.limits import BodyBudget, Limits, json_depth_exceeds
from gateway.translation.ids import NameMap
from tests.gateway.fault_upstream import FaultUpstream
from tests.gateway.gw_helpers import ANTHROPIC_HEADERS, Stack, anthropic_body, provider, route, rule


def _serve(stack: Stack, **limits: Any) -> Stack:
    return stack.serve(
        provider("claude", "Anthropic", stack.sim_port),
        provider("gpt", "OpenAI", stack.sim_port),
        route(
            "r",
            [
                rule("claude-sonnet-4-5", ["claude"]),
                rule("gpt-4o-mini", ["gpt"]),
                rule(".*", ["claude"], regex=True),
            ],
        ),
        limits=Limits(**limits),
    )


def test_tool_name_sanitisation_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """4,000 names that all sanitise to `a_` once took 8 million candidate probes."""
    probes = 0
    truncate = NameMap._truncate

    def counting(self: NameMap, base: str, suffix: str) -> str:
        nonlocal probes
        probes += 1
        return truncate(self, base, suffix)

    monkeypatch.setattr(NameMap, "_truncate", counting)
    names = NameMap(64)
    mapped = [names.to_backend("a" + chr(0x100 + i)) for i in range(4000)]
    assert len(set(mapped)) == 4000 and mapped[:3] == ["a_", "a__2", "a__3"]
    assert [names.to_client(m) for m in mapped[:2]] == ["a\u0100", "a\u0101"]
    assert probes <= 3 * 4000


def test_many_colliding_tool_names_end_to_end(stack: Stack) -> None:
    tools = [{"type": "function", "function": {"name": "a" + chr(0x100 + i)}} for i in range(4000)]
    body = {"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "hi"}]}
    response = httpx.post(
        f"{_serve(stack).url}/v1/chat/completions", json={**body, "tools": tools}, timeout=60
    )
    assert response.status_code == 200, response.text


def _nested(depth: int) -> Any:
    """`depth` objects nested in each other."""
    value: Any = "x"
    for _ in range(depth):
        value = {"k": value}
    return value


def test_json_depth_is_counted_iteratively() -> None:
    assert not json_depth_exceeds(_nested(100), 100)
    assert json_depth_exceeds(_nested(101), 100)
    assert json_depth_exceeds([[[]]], 2) and not json_depth_exceeds([[], [[]]], 3)
    assert not json_depth_exceeds("x", 1)


@pytest.mark.parametrize(
    ("path", "model"), [("/v1/chat/completions", "gpt-4o-mini"), ("/anthropic/v1/messages", "m")]
)
def test_deep_json_is_a_400_naming_the_limit(stack: Stack, path: str, model: str) -> None:
    _serve(stack)
    body = {**anthropic_body(model), "metadata": _nested(300)}
    response = httpx.post(f"{stack.url}{path}", json=body, headers=ANTHROPIC_HEADERS)
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert message == (
        "malformed request: JSON nesting exceeds the limit of 100 levels (max JSON depth)"
    )


def test_json_depth_limit_is_configurable(stack: Stack) -> None:
    _serve(stack, max_json_depth=3)
    messages = [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]  # 4 deep
    response = httpx.post(
        f"{stack.url}/v1/chat/completions", json={"model": "gpt-4o-mini", "messages": messages}
    )
    assert response.status_code == 400
    assert "limit of 3 levels" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/v1/chat/completions",
            {"model": "claude-sonnet-4-5", "reasoning_effort": []},
            "reasoning_effort",
        ),
        (
            "/anthropic/v1/messages",
            {**anthropic_body("gpt-4o-mini"), "output_config": {"effort": []}},
            "output_config.effort",
        ),
    ],
)
def test_wrong_types_are_400s_naming_the_field(
    stack: Stack, path: str, body: dict[str, Any], field: str
) -> None:
    body.setdefault("messages", [{"role": "user", "content": "hi"}])
    response = httpx.post(f"{_serve(stack).url}{path}", json=body, headers=ANTHROPIC_HEADERS)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error.get("param") == field or error["message"].startswith(f"{field}: ")


@pytest.mark.parametrize("bad", ["claude\r\nx-injected: 1", "claude\nx", "claude\x00x", "m\x7f"])
def test_control_characters_in_model_are_a_400(stack: Stack, bad: str) -> None:
    _serve(stack)
    response = httpx.post(
        f"{stack.url}/v1/chat/completions",
        json={"model": bad, "messages": [{"role": "user", "content": "hi"}]},
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "model"
    assert "control characters" in response.json()["error"]["message"]


def test_a_declared_oversize_body_is_refused_before_it_is_read(stack: Stack) -> None:
    port = int(_serve(stack, body_limit=1000).url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-length: 5000000000\r\n\r\n"
        )
        reply = sock.recv(65536)
    assert reply.startswith(b"HTTP/1.1 413 ")
    assert b"request body exceeds 1000 bytes" in reply


@pytest.mark.anyio
async def test_body_budget_queues_in_order_and_times_out() -> None:
    budget = BodyBudget(100)
    assert await budget.take(60, 1)
    assert not budget.try_take(50)
    assert not await budget.take(50, 0.05)  # timed out in line
    assert budget.used == 60
    assert not await budget.take(101, 1)  # can never fit
    budget.release(60)
    assert budget.try_take(100) and budget.used == 100


def test_concurrent_bodies_over_the_budget_wait_then_get_a_503(stack: Stack) -> None:
    with FaultUpstream("hang") as upstream:
        stack.serve(
            provider("up", "OpenAI", upstream.port),
            route("r", [rule("m", ["up"])]),
            limits=Limits(body_limit=2000, body_budget=2000, queue_timeout=0.3),
        )
        body = {"model": "m", "messages": [{"role": "user", "content": "x" * 1200}]}
        url = f"{stack.url}/v1/chat/completions"

        def hold() -> None:
            with contextlib.suppress(httpx.HTTPError):
                httpx.post(url, json=body, timeout=2)

        holder = threading.Thread(target=hold, daemon=True)
        holder.start()
        deadline = time.monotonic() + 5
        while upstream.requests == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        started = time.monotonic()
        response = httpx.post(url, json=body)
        waited = time.monotonic() - started
        assert response.status_code == 503
        assert "body budget" in response.json()["error"]["message"]
        assert waited >= 0.25  # it queued before giving up

        def chunks() -> Any:
            yield b'{"model":"m","messages":[{"role":"user","content":"'
            yield b"x" * 1200
            yield b'"}]}'

        chunked = httpx.post(url, content=chunks())  # no Content-Length: grows, never waits
        assert chunked.status_code == 503
        holder.join(5)


def test_an_endless_upstream_stream_event_is_refused() -> None:
    parser = SSEParser(max_event=100)
    assert parser.feed(b"data: " + b"x" * 50 + b"\n\n")[0].data == "x" * 50
    with pytest.raises(SSEEventTooLarge, match="exceeds 100 bytes"):
        parser.feed(b"data: " + b"y" * 200)  # no line end: the unfinished line
    parser = SSEParser(max_event=100)
    with pytest.raises(SSEEventTooLarge):
        for _ in range(20):  # many data lines, never a blank line
            parser.feed(b"data: " + b"z" * 10 + b"\n")
