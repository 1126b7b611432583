"""Property-based hostile input: no client input may make the gateway answer 5xx.

Bodies are shaped like real requests of both APIs with any field replaced by any JSON value
(wrong types, deep nesting, control characters, huge numbers) or by raw garbage, and go to both
the native and the translated backend of each API. Examples are bounded and derandomised
(deterministic); `AIGW_HOSTILE_EXAMPLES` raises the count for a longer run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aigw_sdk.bundle import Bundle
from gateway.app import BackgroundLoop
from tests.gateway.gw_helpers import SIM_KEY, Stack, provider, route, rule

EXAMPLES = int(os.environ.get("AIGW_HOSTILE_EXAMPLES", "80"))
HOSTILE = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_text = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["", "\r\n", "\x00", "a\nb", "user", "assistant", "tool", "system", "function", "image_url"]
)
_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    _text,
)
_json = st.recursive(
    _leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=12,
)


def _deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


_any = _json | st.integers(min_value=50, max_value=400).map(_deep)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually the well-formed value, sometimes anything."""
    return st.one_of(strategy, strategy, _any)


_part = st.fixed_dictionaries(
    {"type": _maybe(st.sampled_from(["text", "image_url", "image", "tool_use", "tool_result"]))},
    optional={
        "text": _maybe(_text),
        "image_url": _any,
        "source": _any,
        "id": _maybe(_text),
        "name": _maybe(_text),
        "input": _any,
        "tool_use_id": _maybe(_text),
        "content": _any,
        "cache_control": _any,
    },
)
_content = _maybe(_text | st.lists(_part, max_size=3))
_tool_call = st.fixed_dictionaries(
    {
        "id": _maybe(_text),
        "type": _maybe(st.just("function")),
        "function": _maybe(
            st.fixed_dictionaries({"name": _maybe(_text), "arguments": _maybe(_text)})
        ),
    }
)
_message = st.fixed_dictionaries(
    {"role": _maybe(st.sampled_from(["user", "assistant", "system", "tool", "developer"]))},
    optional={
        "content": _content,
        "tool_calls": _maybe(st.lists(_tool_call, max_size=2)),
        "tool_call_id": _maybe(_text),
        "name": _maybe(_text),
    },
)
_tool = st.fixed_dictionaries(
    {"type": _maybe(st.just("function"))},
    optional={
        "function": _maybe(
            st.fixed_dictionaries(
                {"name": _maybe(_text)},
                optional={"description": _any, "parameters": _any, "strict": _any},
            )
        ),
        "name": _maybe(_text),
        "input_schema": _any,
        "description": _any,
    },
)
_OPTIONAL = {
    "tools": _maybe(st.lists(_tool, max_size=3)),
    "tool_choice": _any | st.sampled_from(["auto", "none", "required"]),
    "reasoning_effort": _maybe(st.sampled_from(["low", "medium", "high"])),
    "output_config": _any | st.fixed_dictionaries({"effort": _any, "format": _any}),
    "thinking": _any,
    "response_format": _any,
    "temperature": _any,
    "top_p": _any,
    "max_tokens": _maybe(st.integers(min_value=1, max_value=64)),
    "max_completion_tokens": _any,
    "stream": _maybe(st.booleans()),
    "stream_options": _any,
    "stop": _any,
    "stop_sequences": _any,
    "system": _any,
    "metadata": _any,
    "user": _any,
    "n": _any,
    "parallel_tool_calls": _any,
}
_MODELS = ["claude-sonnet-4-5", "gpt-4o-mini"]
_body = st.fixed_dictionaries(
    {
        "model": _maybe(st.sampled_from(_MODELS)) | _text.map(lambda t: f"claude-{t}"),
        "messages": _maybe(st.lists(_message, max_size=3)),
    },
    optional=_OPTIONAL,
)
_payload = st.one_of(
    _body.map(lambda body: json.dumps(body).encode()),
    _body.map(lambda body: json.dumps(body).encode()),
    _any.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=64),
)


@pytest.fixture(scope="module")
def hostile_stack() -> Iterator[Stack]:
    """The simulator behind a gateway with a catch-all route, for the whole module."""
    loop = BackgroundLoop()
    try:
        stack = Stack(loop, loop.start_simulator(SIM_KEY))
        stack.serve(
            Bundle(
                [
                    *provider("claude", "Anthropic", stack.sim_port),
                    *provider("gpt", "OpenAI", stack.sim_port),
                    route(
                        "r",
                        [
                            rule("claude-sonnet-4-5", ["claude"]),
                            rule("gpt-4o-mini", ["gpt"]),
                            rule(".*", ["claude"], regex=True),
                        ],
                    ),
                ]
            )
        )
        yield stack
    finally:
        loop.stop()


@pytest.fixture(scope="module")
def http(hostile_stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=hostile_stack.url, timeout=30) as client:
        yield client


def _no_server_error(response: httpx.Response, payload: bytes) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:500], payload[:300])
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/json", response.text[:200]
        assert "error" in response.json()


@HOSTILE
@given(payload=_payload)
def test_chat_completions_never_5xx(http: httpx.Client, payload: bytes) -> None:
    response = http.post("/v1/chat/completions", content=payload)
    _no_server_error(response, payload)


@HOSTILE
@given(payload=_payload)
def test_anthropic_messages_never_5xx(http: httpx.Client, payload: bytes) -> None:
    headers = {"anthropic-version": "2023-06-01", "content-type": "application/json"}
    response = http.post("/anthropic/v1/messages", content=payload, headers=headers)
    _no_server_error(response, payload)


@HOSTILE
@given(payload=_payload)
def test_count_tokens_never_5xx(http: httpx.Client, payload: bytes) -> None:
    headers = {"anthropic-version": "2023-06-01"}
    response = http.post("/anthropic/v1/messages/count_tokens", content=payload, headers=headers)
    _no_server_error(response, payload)


_yaml_text = st.one_of(
    _any.map(json.dumps),
    st.lists(_any.map(json.dumps), max_size=4).map("\n---\n".join),
    st.text(max_size=200),
    st.sampled_from(
        [
            "",
            "/etc/passwd",
            "~/.kube/config",
            ".",
            "a: &a [*a]",
            "a: !!python/object/apply:os.system ['true']",
            "kind: Secret\napiVersion: v1\nmetadata: {name: s}\nstringData: {k: v}\n",
        ]
    ),
)


@HOSTILE
@given(text=_yaml_text)
def test_admin_put_config_never_5xx(hostile_stack: Stack, text: str) -> None:
    with hostile_stack.admin() as admin:
        response = admin.put("/config", content=text.encode("utf-8", "surrogatepass"))
    assert response.status_code < 500, (response.status_code, response.text[:300], text[:200])
    assert response.status_code != 200 or "generation" in response.json()
    if response.status_code == 200:  # a valid bundle replaced the routes: put them back
        hostile_stack.reload(
            *provider("claude", "Anthropic", hostile_stack.sim_port),
            *provider("gpt", "OpenAI", hostile_stack.sim_port),
            route(
                "r",
                [
                    rule("claude-sonnet-4-5", ["claude"]),
                    rule("gpt-4o-mini", ["gpt"]),
                    rule(".*", ["claude"], regex=True),
                ],
            ),
        )
