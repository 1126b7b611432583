"""Anthropic -> OpenAI request and response translation (direction 2, non-streaming)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.translation import (
    TokenUsage,
    TranslationError,
    anthropic_to_openai_request,
    openai_to_anthropic_response,
)

MODEL = "gpt-4o"
HI = [{"role": "user", "content": "hi"}]
O_HI = {"role": "user", "content": "hi"}


def expected(*messages: dict[str, Any], max_tokens: int = 100, **fields: Any) -> dict[str, Any]:
    return {
        "model": MODEL,
        "messages": list(messages),
        "max_completion_tokens": max_tokens,
        **fields,
    }


def body(**fields: Any) -> dict[str, Any]:
    return {"model": "claude-x", "max_tokens": 100, "messages": HI, **fields}


TOOL = {"name": "get_weather", "description": "W", "input_schema": {"type": "object"}}
O_TOOL = {
    "type": "function",
    "function": {"name": "get_weather", "description": "W", "parameters": {"type": "object"}},
}

REQUEST_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("minimal", body(), expected(O_HI)),
    (
        "system string",
        body(system="be brief"),
        expected({"role": "system", "content": "be brief"}, O_HI),
    ),
    (
        "system blocks joined, cache_control dropped",
        body(
            system=[
                {"type": "text", "text": "A"},
                {"type": "text", "text": "B", "cache_control": {"type": "ephemeral"}},
            ]
        ),
        expected({"role": "system", "content": "A\nB"}, O_HI),
    ),
    (
        "sampling and stops",
        body(temperature=0.3, top_p=0.9, stop_sequences=["END"]),
        expected(O_HI, temperature=0.3, top_p=0.9, stop=["END"]),
    ),
    (
        "single text block collapses to a string",
        body(
            messages=[
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "x", "cache_control": {"type": "ephemeral"}}
                    ],
                }
            ]
        ),
        expected({"role": "user", "content": "x"}),
    ),
    (
        "images and documents",
        body(
            messages=[
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "see"},
                        {
                            "type": "image",
                            "source": {"type": "base64", "media_type": "image/png", "data": "AAA"},
                        },
                        {"type": "image", "source": {"type": "url", "url": "https://x/a.png"}},
                        {
                            "type": "document",
                            "source": {
                                "type": "base64",
                                "media_type": "application/pdf",
                                "data": "JVB",
                            },
                        },
                        {
                            "type": "document",
                            "source": {"type": "text", "media_type": "text/plain", "data": "plain"},
                        },
                    ],
                }
            ]
        ),
        expected(
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "see"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAA"}},
                    {"type": "image_url", "image_url": {"url": "https://x/a.png"}},
                    {
                        "type": "file",
                        "file": {
                            "filename": "document.pdf",
                            "file_data": "data:application/pdf;base64,JVB",
                        },
                    },
                    {"type": "text", "text": "plain"},
                ],
            }
        ),
    ),
    (
        "tool loop: tool_use -> tool_calls, tool_result -> tool messages before the user text",
        body(
            tools=[TOOL],
            messages=[
                *HI,
                {
                    "role": "assistant",
                    "content": [
                        {"type": "thinking", "thinking": "t", "signature": "s"},
                        {"type": "text", "text": "Checking"},
                        {
                            "type": "tool_use",
                            "id": "toolu_1",
                            "name": "get_weather",
                            "input": {"city": "Paris"},
                        },
                    ],
                },
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "tool_result",
                            "tool_use_id": "toolu_1",
                            "content": [{"type": "text", "text": "sunny"}],
                            "is_error": False,
                        },
                        {"type": "text", "text": "thanks"},
                    ],
                },
            ],
        ),
        expected(
            O_HI,
            {
                "role": "assistant",
                "content": "Checking",
                "tool_calls": [
                    {
                        "id": "toolu_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "toolu_1", "content": "sunny"},
            {"role": "user", "content": "thanks"},
            tools=[O_TOOL],
        ),
    ),
    (
        "assistant with only tool_use -> content null",
        body(
            messages=[
                *HI,
                {
                    "role": "assistant",
                    "content": [{"type": "tool_use", "id": "t", "name": "f", "input": {}}],
                },
            ]
        ),
        expected(
            O_HI,
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {"id": "t", "type": "function", "function": {"name": "f", "arguments": "{}"}}
                ],
            },
        ),
    ),
    (
        "tool without schema, strict kept",
        body(tools=[{"name": "f", "strict": True}]),
        expected(
            O_HI,
            tools=[
                {
                    "type": "function",
                    "function": {
                        "name": "f",
                        "parameters": {"type": "object", "properties": {}},
                        "strict": True,
                    },
                }
            ],
        ),
    ),
    (
        "tool_choice any -> required, parallel disabled",
        body(tools=[TOOL], tool_choice={"type": "any", "disable_parallel_tool_use": True}),
        expected(O_HI, tools=[O_TOOL], tool_choice="required", parallel_tool_calls=False),
    ),
    (
        "tool_choice tool -> function",
        body(tools=[TOOL], tool_choice={"type": "tool", "name": "get_weather"}),
        expected(
            O_HI,
            tools=[O_TOOL],
            tool_choice={"type": "function", "function": {"name": "get_weather"}},
        ),
    ),
    (
        "tool_choice none",
        body(tools=[TOOL], tool_choice={"type": "none", "disable_parallel_tool_use": True}),
        expected(O_HI, tools=[O_TOOL], tool_choice="none"),
    ),
    ("auto tool_choice without tools omitted", body(tool_choice={"type": "auto"}), expected(O_HI)),
    ("metadata.user_id -> user", body(metadata={"user_id": "u1"}), expected(O_HI, user="u1")),
    (
        "thinking budget -> reasoning_effort",
        body(thinking={"type": "enabled", "budget_tokens": 5000}),
        expected(O_HI, reasoning_effort="medium"),
    ),
    (
        "small budget -> low",
        body(thinking={"type": "enabled", "budget_tokens": 1024}),
        expected(O_HI, reasoning_effort="low"),
    ),
    (
        "large budget -> high",
        body(thinking={"type": "enabled", "budget_tokens": 20000}),
        expected(O_HI, reasoning_effort="high"),
    ),
    ("thinking disabled -> nothing", body(thinking={"type": "disabled"}), expected(O_HI)),
    (
        "effort + json schema",
        body(
            output_config={
                "effort": "max",
                "format": {"type": "json_schema", "schema": {"type": "object"}},
            }
        ),
        expected(
            O_HI,
            reasoning_effort="high",
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "output", "schema": {"type": "object"}, "strict": True},
            },
        ),
    ),
    (
        "stream asks for usage",
        body(stream=True),
        expected(O_HI, stream=True, stream_options={"include_usage": True}),
    ),
]


@pytest.mark.parametrize(
    ("name", "request_body", "want"), REQUEST_CASES, ids=[c[0] for c in REQUEST_CASES]
)
def test_request(name: str, request_body: dict[str, Any], want: dict[str, Any]) -> None:
    result = anthropic_to_openai_request(request_body, model=MODEL)
    assert result.body == want
    assert (result.model, result.stream) == (MODEL, request_body.get("stream", False))


@pytest.mark.parametrize(
    ("name", "request_body", "param"),
    [
        ("missing max_tokens", {"messages": HI}, "max_tokens"),
        ("top_k", body(top_k=5), "top_k"),
        ("mcp_servers", body(mcp_servers=[{}]), "mcp_servers"),
        (
            "server tool",
            body(tools=[{"type": "web_search_20250305", "name": "web_search"}]),
            "tools[0].type",
        ),
        ("too many stops", body(stop_sequences=["a", "b", "c", "d", "e"]), "stop_sequences"),
        ("bad role", body(messages=[{"role": "system", "content": "x"}]), "messages[0].role"),
        ("no messages", body(messages=[]), "messages"),
        (
            "image in tool result",
            body(
                messages=[
                    {
                        "role": "user",
                        "content": [
                            {
                                "type": "tool_result",
                                "tool_use_id": "t",
                                "content": [{"type": "image", "source": {}}],
                            }
                        ],
                    }
                ]
            ),
            "messages[0].content[0].content[0]",
        ),
        (
            "url document",
            body(
                messages=[
                    {
                        "role": "user",
                        "content": [
                            {
                                "type": "document",
                                "source": {"type": "url", "url": "https://x/a.pdf"},
                            }
                        ],
                    }
                ]
            ),
            "messages[0].content[0].source",
        ),
        ("unknown effort", body(output_config={"effort": "ludicrous"}), "output_config.effort"),
        ("forced tool without tools", body(tool_choice={"type": "any"}), "tool_choice"),
        ("bad tool_choice", body(tools=[TOOL], tool_choice={"type": "maybe"}), "tool_choice.type"),
    ],
)
def test_request_rejects(name: str, request_body: dict[str, Any], param: str) -> None:
    with pytest.raises(TranslationError) as info:
        anthropic_to_openai_request(request_body, model=MODEL)
    assert (info.value.status, info.value.param) == (400, param)


@pytest.mark.parametrize(
    ("stops", "message"),
    [
        ("END", "stop_sequences must be an array of strings"),
        (["END", 7], "stop_sequences must be an array of strings"),
        (["a", "b", "c", "d", "e"], "OpenAI backends accept at most 4 stop sequences"),
    ],
)
def test_stop_sequences_errors_say_what_is_wrong(stops: object, message: str) -> None:
    with pytest.raises(TranslationError) as info:
        anthropic_to_openai_request(body(stop_sequences=stops), model=MODEL)
    assert (info.value.param, info.value.message) == ("stop_sequences", message)


CTX = anthropic_to_openai_request(body(), model=MODEL)


def completion(
    message: dict[str, Any], finish: str | None = "stop", usage: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o-2024-08-06",
        "choices": [
            {"index": 0, "message": {"role": "assistant", **message}, "finish_reason": finish}
        ],
        "usage": usage or {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def message(
    content: list[dict[str, Any]], stop: str = "end_turn", usage: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "type": "message",
        "role": "assistant",
        "model": "gpt-4o-2024-08-06",
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": usage
        or {
            "input_tokens": 10,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "output_tokens": 5,
        },
    }


RESPONSE_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("text", completion({"content": "hello"}), message([{"type": "text", "text": "hello"}])),
    (
        "tool calls",
        completion(
            {
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "f", "arguments": '{"a": 1}'},
                    },
                    {
                        "id": "call_2",
                        "type": "function",
                        "function": {"name": "g", "arguments": ""},
                    },
                ],
            },
            "tool_calls",
        ),
        message(
            [
                {"type": "tool_use", "id": "call_1", "name": "f", "input": {"a": 1}},
                {"type": "tool_use", "id": "call_2", "name": "g", "input": {}},
            ],
            "tool_use",
        ),
    ),
    (
        "length",
        completion({"content": "abc"}, "length"),
        message([{"type": "text", "text": "abc"}], "max_tokens"),
    ),
    ("content_filter", completion({"content": ""}, "content_filter"), message([], "refusal")),
    (
        "refusal field",
        completion({"content": None, "refusal": "no"}),
        message([{"type": "text", "text": "no"}], "refusal"),
    ),
    (
        "reasoning_content -> thinking",
        completion({"content": "a", "reasoning_content": "r"}),
        message(
            [{"type": "thinking", "thinking": "r", "signature": ""}, {"type": "text", "text": "a"}]
        ),
    ),
    (
        "usage split: input excludes cached",
        completion(
            {"content": "a"},
            usage={
                "prompt_tokens": 420,
                "completion_tokens": 42,
                "total_tokens": 462,
                "prompt_tokens_details": {"cached_tokens": 300},
            },
        ),
        message(
            [{"type": "text", "text": "a"}],
            usage={
                "input_tokens": 120,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 300,
                "output_tokens": 42,
            },
        ),
    ),
    (
        "unknown finish reason",
        completion({"content": "a"}, "weird"),
        message([{"type": "text", "text": "a"}]),
    ),
]


@pytest.mark.parametrize(
    ("name", "upstream", "want"), RESPONSE_CASES, ids=[c[0] for c in RESPONSE_CASES]
)
def test_response(name: str, upstream: dict[str, Any], want: dict[str, Any]) -> None:
    assert openai_to_anthropic_response(upstream, CTX) == want


@pytest.mark.parametrize(
    "upstream",
    [
        {"choices": []},
        {"choices": [{"message": None}]},
        completion({"tool_calls": [{"id": "c", "function": {"name": "f", "arguments": "{oops"}}]}),
        completion({"tool_calls": [{"id": "c", "function": {"name": "f", "arguments": "[1]"}}]}),
        completion({"tool_calls": ["c"]}),
        completion({"tool_calls": {"id": "c"}}),
    ],
)
def test_response_malformed_is_502(upstream: dict[str, Any]) -> None:
    with pytest.raises(TranslationError) as info:
        openai_to_anthropic_response(upstream, CTX)
    assert info.value.status == 502


def test_usage_round_trip() -> None:
    usage = {
        "prompt_tokens": 420,
        "completion_tokens": 42,
        "total_tokens": 462,
        "prompt_tokens_details": {"cached_tokens": 300},
        "completion_tokens_details": {"reasoning_tokens": 12},
    }
    out = openai_to_anthropic_response(completion({"content": "a"}, usage=usage), CTX)
    assert TokenUsage.from_anthropic(out["usage"]) == TokenUsage(420, 300, 0, 42, 0)
    assert TokenUsage.from_openai(usage) == TokenUsage(420, 300, 0, 42, 12)
