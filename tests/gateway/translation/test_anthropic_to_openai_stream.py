"""Anthropic SSE -> OpenAI chunks (direction 1 streaming): translation.md §3 and §5."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aigw_sdk.sse import SSEEvent
from gateway.translation import (
    AnthropicRequest,
    AnthropicToOpenAIStream,
    openai_to_anthropic_request,
)
from gateway.translation.usage import TokenUsage

from .translation_sse_helpers import decode, run, sse

MODEL = "claude-sonnet-4-5"
SERVED = "claude-sonnet-4-5-20250929"
T = 1795537846


def ctx(include_usage: bool = True, tools: list[str] | None = None) -> AnthropicRequest:
    body: dict[str, Any] = {"messages": [{"role": "user", "content": "hi"}], "stream": True}
    if include_usage:
        body["stream_options"] = {"include_usage": True}
    if tools:
        body["tools"] = [{"type": "function", "function": {"name": n}} for n in tools]
    return openai_to_anthropic_request(body, model=MODEL)


def start(usage: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
    default = {
        "input_tokens": 20,
        "cache_creation_input_tokens": 100,
        "cache_read_input_tokens": 300,
        "output_tokens": 1,
    }
    message: dict[str, Any] = {
        "id": "msg_01ABC",
        "type": "message",
        "role": "assistant",
        "model": SERVED,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": default if usage is None else usage,
    }
    return ("message_start", {"type": "message_start", "message": message})


def block_start(index: int, block: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return (
        "content_block_start",
        {"type": "content_block_start", "index": index, "content_block": block},
    )


def delta(index: int, value: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return ("content_block_delta", {"type": "content_block_delta", "index": index, "delta": value})


def block_stop(index: int) -> tuple[str, dict[str, Any]]:
    return ("content_block_stop", {"type": "content_block_stop", "index": index})


def message_delta(
    stop: str | None, usage: dict[str, Any] | None = None
) -> tuple[str, dict[str, Any]]:
    payload: dict[str, Any] = {
        "type": "message_delta",
        "delta": {"stop_reason": stop, "stop_sequence": None},
    }
    if usage is not None:
        payload["usage"] = usage
    return ("message_delta", payload)


STOP = ("message_stop", {"type": "message_stop"})
PING = ("ping", {"type": "ping"})

# translation.md §3.2, byte for byte.
WORKED_EXAMPLE = sse(
    [
        start(),
        block_start(0, {"type": "text", "text": ""}),
        PING,
        delta(0, {"type": "text_delta", "text": "Let me check"}),
        delta(0, {"type": "text_delta", "text": " the weather."}),
        block_stop(0),
        block_start(
            1, {"type": "tool_use", "id": "toolu_01XYZ", "name": "get_weather", "input": {}}
        ),
        delta(1, {"type": "input_json_delta", "partial_json": ""}),
        delta(1, {"type": "input_json_delta", "partial_json": '{"city": "Par'}),
        delta(1, {"type": "input_json_delta", "partial_json": 'is"}'}),
        block_stop(1),
        message_delta("tool_use", {"output_tokens": 42}),
        STOP,
    ]
)


def chunk(
    delta: dict[str, Any] | None = None,
    finish: str | None = None,
    native: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    choice: dict[str, Any] = {"index": 0, "delta": delta or {}, "finish_reason": finish}
    if finish is not None:
        choice["native_finish_reason"] = native
    return {
        "id": "msg_01ABC",
        "object": "chat.completion.chunk",
        "created": T,
        "model": SERVED,
        "choices": [choice],
        **extra,
    }


def tool_args(index: int, arguments: str) -> dict[str, Any]:
    return {"tool_calls": [{"index": index, "function": {"arguments": arguments}}]}


USAGE_CHUNK = {
    "id": "msg_01ABC",
    "object": "chat.completion.chunk",
    "created": T,
    "model": SERVED,
    "choices": [],
    "usage": {
        "prompt_tokens": 420,
        "completion_tokens": 42,
        "total_tokens": 462,
        "prompt_tokens_details": {"cached_tokens": 300, "cache_creation_input_tokens": 100},
    },
}
WORKED_OUTPUT = [
    ": ping",
    chunk({"role": "assistant", "content": "Let me check"}),
    chunk({"content": " the weather."}),
    chunk(
        {
            "tool_calls": [
                {
                    "index": 0,
                    "id": "toolu_01XYZ",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": ""},
                }
            ]
        }
    ),
    chunk(tool_args(0, '{"city": "Par')),
    chunk(tool_args(0, 'is"}')),
    chunk(finish="tool_calls", native="tool_use"),
    USAGE_CHUNK,
    "[DONE]",
]


def translate(
    raw: bytes, context: AnthropicRequest | None = None, chunks: list[bytes] | None = None
) -> list[Any]:
    stream = AnthropicToOpenAIStream(context or ctx(), created=T)
    frames: list[Any] = decode(run(stream, chunks or [raw]))
    return frames


def test_worked_example() -> None:
    stream = AnthropicToOpenAIStream(ctx(), created=T)
    assert decode(run(stream, [WORKED_EXAMPLE])) == WORKED_OUTPUT
    assert stream.usage == TokenUsage(420, 300, 100, 42, 0)
    assert stream.stop_reason == "tool_use"


def test_worked_example_split_at_every_byte_boundary() -> None:
    whole = run(AnthropicToOpenAIStream(ctx(), created=T), [WORKED_EXAMPLE])
    for cut in range(len(WORKED_EXAMPLE) + 1):
        pieces = [WORKED_EXAMPLE[:cut], WORKED_EXAMPLE[cut:]]
        assert run(AnthropicToOpenAIStream(ctx(), created=T), pieces) == whole, cut


def test_worked_example_one_byte_at_a_time_with_crlf() -> None:
    crlf = WORKED_EXAMPLE.replace(b"\n", b"\r\n")
    pieces = [crlf[i : i + 1] for i in range(len(crlf))]
    assert translate(crlf, chunks=pieces) == WORKED_OUTPUT


def test_without_include_usage_no_usage_chunk() -> None:
    assert translate(WORKED_EXAMPLE, ctx(include_usage=False)) == [
        f for f in WORKED_OUTPUT if f is not USAGE_CHUNK
    ]


THINKING = [
    start(),
    block_start(0, {"type": "thinking", "thinking": ""}),
    delta(0, {"type": "thinking_delta", "thinking": "Let me "}),
    delta(0, {"type": "thinking_delta", "thinking": "think."}),
    delta(0, {"type": "signature_delta", "signature": "EqQB"}),
    delta(0, {"type": "signature_delta", "signature": "Cg=="}),
    block_stop(0),
    block_start(1, {"type": "redacted_thinking", "data": "enc"}),
    block_stop(1),
    block_start(2, {"type": "text", "text": "Hi"}),
    block_stop(2),
    message_delta("end_turn", {"output_tokens": 9}),
    STOP,
]

CASES: list[tuple[str, list[Any], list[Any]]] = [
    (
        "45 thinking -> reasoning_content; block with signature for replay",
        THINKING,
        [
            chunk({"role": "assistant", "reasoning_content": "Let me "}),
            chunk({"reasoning_content": "think."}),
            chunk(
                {
                    "thinking_blocks": [
                        {"type": "thinking", "thinking": "Let me think.", "signature": "EqQBCg=="}
                    ]
                }
            ),
            chunk({"thinking_blocks": [{"type": "redacted_thinking", "data": "enc"}]}),
            chunk({"content": "Hi"}),
            chunk(finish="stop", native="end_turn"),
            "[DONE]",
        ],
    ),
    (
        "36 tool with no argument deltas gets {}; index counts tool blocks only",
        [
            start(),
            block_start(0, {"type": "text", "text": ""}),
            delta(0, {"type": "text_delta", "text": "x"}),
            block_stop(0),
            block_start(
                1,
                {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {}},
            ),
            delta(1, {"type": "input_json_delta", "partial_json": '{"q":1}'}),
            block_stop(1),
            block_start(2, {"type": "tool_use", "id": "toolu_a", "name": "my_tool", "input": {}}),
            delta(2, {"type": "input_json_delta", "partial_json": ""}),
            block_stop(2),
            block_start(3, {"type": "tool_use", "id": "toolu_b", "name": "f", "input": {"a": 1}}),
            block_stop(3),
            message_delta("tool_use"),
            STOP,
        ],
        [
            chunk({"role": "assistant", "content": "x"}),
            chunk(
                {
                    "tool_calls": [
                        {
                            "index": 0,
                            "id": "toolu_a",
                            "type": "function",
                            "function": {"name": "my.tool", "arguments": ""},
                        }
                    ]
                }
            ),
            chunk(tool_args(0, "{}")),
            chunk(
                {
                    "tool_calls": [
                        {
                            "index": 1,
                            "id": "toolu_b",
                            "type": "function",
                            "function": {"name": "f", "arguments": ""},
                        }
                    ]
                }
            ),
            chunk(tool_args(1, '{"a":1}')),
            chunk(finish="tool_calls", native="tool_use"),
            "[DONE]",
        ],
    ),
    (
        "46 unknown stop reason -> stop, unknown events ignored",
        [
            start(),
            ("brand_new_event", {"type": "brand_new_event"}),
            message_delta("something_new"),
            STOP,
        ],
        [chunk(finish="stop", native="something_new"), "[DONE]"],
    ),
    (
        "no stop reason at all -> stop",
        [start(), STOP],
        [chunk(finish="stop", native=None), "[DONE]"],
    ),
    (
        "mid-stream error -> one error frame, rest ignored, then [DONE]",
        [
            start(),
            block_start(0, {"type": "text", "text": ""}),
            delta(0, {"type": "text_delta", "text": "Hel"}),
            (
                "error",
                {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
            ),
            delta(0, {"type": "text_delta", "text": "lo"}),
            STOP,
        ],
        [
            chunk({"role": "assistant", "content": "Hel"}),
            {
                "type": "error",
                "error": {
                    "type": "overloaded_error",
                    "code": "529",
                    "message": "Overloaded",
                    "param": None,
                },
            },
            "[DONE]",
        ],
    ),
    (
        "EOF before message_stop -> one error frame then [DONE]",
        [
            start(),
            block_start(0, {"type": "text", "text": ""}),
            delta(0, {"type": "text_delta", "text": "a"}),
        ],
        [
            chunk({"role": "assistant", "content": "a"}),
            {
                "type": "error",
                "error": {
                    "type": "server_error",
                    "code": "502",
                    "message": "upstream stream ended before message_stop",
                    "param": None,
                },
            },
            "[DONE]",
        ],
    ),
    (
        "malformed event data -> error frame",
        [start(), ("content_block_delta", "{not json")],
        [
            {
                "type": "error",
                "error": {
                    "type": "server_error",
                    "code": "502",
                    "message": "upstream sent a malformed stream event",
                    "param": None,
                },
            },
            "[DONE]",
        ],
    ),
]


@pytest.mark.parametrize(("name", "events", "want"), CASES, ids=[c[0] for c in CASES])
def test_stream(name: str, events: list[Any], want: list[Any]) -> None:
    assert translate(sse(events), ctx(include_usage=False, tools=["my.tool", "f"])) == want


@pytest.mark.parametrize(
    ("name", "events", "usage"),
    [
        (
            "42 usage only in message_delta",
            [
                start({}),
                message_delta(
                    "end_turn",
                    {"input_tokens": 7, "cache_read_input_tokens": 3, "output_tokens": 5},
                ),
                STOP,
            ],
            TokenUsage(10, 3, 0, 5, 0),
        ),
        (
            "43 message_delta without usage keeps earlier output tokens",
            [
                start({"input_tokens": 4, "output_tokens": 1}),
                message_delta(None, {"output_tokens": 30}),
                message_delta("end_turn"),
                STOP,
            ],
            TokenUsage(4, 0, 0, 30, 0),
        ),
        (
            "cumulative usage is set, not added",
            [
                start({"input_tokens": 4, "output_tokens": 1}),
                message_delta(None, {"output_tokens": 10}),
                message_delta("end_turn", {"output_tokens": 12}),
                STOP,
            ],
            TokenUsage(4, 0, 0, 12, 0),
        ),
    ],
)
def test_usage_accounting(name: str, events: list[Any], usage: TokenUsage) -> None:
    stream = AnthropicToOpenAIStream(ctx(), created=T)
    frames = decode(run(stream, [sse(events)]))
    assert stream.usage == usage
    assert frames[-2]["usage"] == usage.to_openai()


def test_finish_is_idempotent_and_feed_after_stop_is_ignored() -> None:
    stream = AnthropicToOpenAIStream(ctx(include_usage=False), created=T)
    run(stream, [sse([start(), STOP])])
    assert stream.finish() == []
    assert stream.feed(SSEEvent(data=json.dumps({"type": "ping"}))) == []
