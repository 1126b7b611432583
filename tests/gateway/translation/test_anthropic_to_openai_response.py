"""Anthropic response -> OpenAI response (direction 1, non-streaming): translation.md §2."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.translation import (
    TokenUsage,
    TranslationError,
    anthropic_to_openai_response,
    openai_to_anthropic_request,
)

MODEL = "claude-sonnet-4-5"
CTX = openai_to_anthropic_request(
    {
        "messages": [{"role": "user", "content": "hi"}],
        "tools": [{"type": "function", "function": {"name": "get.weather"}}],
    },
    model=MODEL,
)


def resp(
    content: list[dict[str, Any]], stop: str | None = "end_turn", **extra: Any
) -> dict[str, Any]:
    return {
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5-20250929",
        "content": content,
        "stop_reason": stop,
        "usage": {"input_tokens": 10, "output_tokens": 5},
        **extra,
    }


def chat(
    message: dict[str, Any],
    finish: str = "stop",
    native: str | None = "end_turn",
    usage: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "id": "msg_01",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "claude-sonnet-4-5-20250929",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "refusal": None, **message},
                "logprobs": None,
                "finish_reason": finish,
                "native_finish_reason": native,
            }
        ],
        "usage": usage
        or {
            "prompt_tokens": 10,
            "completion_tokens": 5,
            "total_tokens": 15,
            "prompt_tokens_details": {"cached_tokens": 0},
        },
    }


CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "38 text blocks concatenated",
        resp([{"type": "text", "text": "Part one. "}, {"type": "text", "text": "Part two."}]),
        chat({"content": "Part one. Part two."}),
    ),
    ("empty content -> empty string", resp([]), chat({"content": ""})),
    (
        "tool call: JSON-string arguments, name mapped back",
        resp(
            [
                {"type": "text", "text": "Checking"},
                {
                    "type": "tool_use",
                    "id": "toolu_1",
                    "name": "get_weather",
                    "input": {"city": "Paris"},
                },
                {"type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": {}},
            ],
            "tool_use",
        ),
        chat(
            {
                "content": "Checking",
                "tool_calls": [
                    {
                        "id": "toolu_1",
                        "type": "function",
                        "function": {"name": "get.weather", "arguments": '{"city":"Paris"}'},
                    },
                    {
                        "id": "toolu_2",
                        "type": "function",
                        "function": {"name": "get.weather", "arguments": "{}"},
                    },
                ],
            },
            "tool_calls",
            "tool_use",
        ),
    ),
    (
        "only tool calls -> content null",
        resp([{"type": "tool_use", "id": "toolu_1", "name": "x", "input": {"a": 1}}], "tool_use"),
        chat(
            {
                "content": None,
                "tool_calls": [
                    {
                        "id": "toolu_1",
                        "type": "function",
                        "function": {"name": "x", "arguments": '{"a":1}'},
                    }
                ],
            },
            "tool_calls",
            "tool_use",
        ),
    ),
    (
        "45 thinking -> reasoning_content + thinking_blocks",
        resp(
            [
                {"type": "thinking", "thinking": "Hmm. ", "signature": "sig1"},
                {"type": "redacted_thinking", "data": "enc"},
                {"type": "thinking", "thinking": "Ok.", "signature": "sig2"},
                {"type": "text", "text": "42"},
            ]
        ),
        chat(
            {
                "content": "42",
                "reasoning_content": "Hmm. Ok.",
                "thinking_blocks": [
                    {"type": "thinking", "thinking": "Hmm. ", "signature": "sig1"},
                    {"type": "redacted_thinking", "data": "enc"},
                    {"type": "thinking", "thinking": "Ok.", "signature": "sig2"},
                ],
            }
        ),
    ),
    (
        "server tool blocks are not client tool calls",
        resp(
            [
                {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {}},
                {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": []},
                {"type": "text", "text": "Found"},
            ]
        ),
        chat({"content": "Found"}),
    ),
    (
        "refusal -> content_filter + message.refusal",
        resp(
            [{"type": "text", "text": "I can't"}], "refusal", stop_details={"explanation": "policy"}
        ),
        chat({"content": "I can't", "refusal": "policy"}, "content_filter", "refusal"),
    ),
    (
        "usage sums cache reads and writes",
        {
            **resp([{"type": "text", "text": "x"}]),
            "usage": {
                "input_tokens": 20,
                "cache_creation_input_tokens": 100,
                "cache_read_input_tokens": 300,
                "output_tokens": 42,
                "output_tokens_details": {"thinking_tokens": 7},
            },
        },
        chat(
            {"content": "x"},
            usage={
                "prompt_tokens": 420,
                "completion_tokens": 42,
                "total_tokens": 462,
                "prompt_tokens_details": {"cached_tokens": 300, "cache_creation_input_tokens": 100},
                "completion_tokens_details": {"reasoning_tokens": 7},
            },
        ),
    ),
]


@pytest.mark.parametrize(("name", "upstream", "want"), CASES, ids=[c[0] for c in CASES])
def test_response(name: str, upstream: dict[str, Any], want: dict[str, Any]) -> None:
    assert anthropic_to_openai_response(upstream, CTX, created=1700000000) == want


@pytest.mark.parametrize(
    ("stop", "finish"),
    [
        ("end_turn", "stop"),
        ("stop_sequence", "stop"),
        ("max_tokens", "length"),
        ("tool_use", "tool_calls"),
        ("pause_turn", "stop"),
        ("refusal", "content_filter"),
        ("model_context_window_exceeded", "length"),
        ("brand_new_reason", "stop"),
        (None, "stop"),
    ],
)
def test_46_finish_reasons(stop: str | None, finish: str) -> None:
    out = anthropic_to_openai_response(resp([{"type": "text", "text": "x"}], stop), CTX, created=1)
    assert (out["choices"][0]["finish_reason"], out["choices"][0]["native_finish_reason"]) == (
        finish,
        stop,
    )


def test_model_falls_back_to_the_request_model() -> None:
    upstream = {"id": "m", "content": [], "stop_reason": "end_turn"}
    out = anthropic_to_openai_response(upstream, CTX, created=5)
    assert out["model"] == MODEL
    assert out["usage"] == {
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "total_tokens": 0,
        "prompt_tokens_details": {"cached_tokens": 0},
    }


def test_malformed_upstream_is_502() -> None:
    with pytest.raises(TranslationError) as info:
        anthropic_to_openai_response({"id": "m"}, CTX)
    assert (info.value.status, info.value.param) == (502, "content")


def test_usage_matches_token_usage() -> None:
    usage = {
        "input_tokens": 1,
        "cache_read_input_tokens": 2,
        "cache_creation_input_tokens": 3,
        "output_tokens": 4,
    }
    out = anthropic_to_openai_response({**resp([]), "usage": usage}, CTX, created=0)
    assert (
        TokenUsage.from_openai(out["usage"])
        == TokenUsage.from_anthropic(usage)
        == TokenUsage(6, 2, 3, 4, 0)
    )
