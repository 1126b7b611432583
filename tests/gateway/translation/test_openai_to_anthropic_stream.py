"""OpenAI chunks -> Anthropic SSE events (direction 2 streaming)."""

from __future__ import annotations

from typing import Any

import pytest

from aigw_sdk.sse import SSEEvent
from gateway.translation import OpenAIToAnthropicStream, TokenUsage, anthropic_to_openai_request

from .translation_sse_helpers import decode, run, sse

CTX = anthropic_to_openai_request(
    {"max_tokens": 10, "messages": [{"role": "user", "content": "hi"}], "stream": True},
    model="gpt-4o",
)


def chunk(
    delta: dict[str, Any] | None = None, finish: str | None = None
) -> tuple[None, dict[str, Any]]:
    return (
        None,
        {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "gpt-4o-x",
            "choices": [{"index": 0, "delta": delta or {}, "finish_reason": finish}],
        },
    )


def call(
    index: int, arguments: str, call_id: str | None = None, name: str | None = None
) -> dict[str, Any]:
    tool: dict[str, Any] = {"index": index, "function": {"arguments": arguments}}
    if call_id:
        tool.update(id=call_id, type="function")
        tool["function"]["name"] = name
    return {"tool_calls": [tool]}


USAGE = (
    None,
    {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "gpt-4o-x",
        "choices": [],
        "usage": {
            "prompt_tokens": 420,
            "completion_tokens": 42,
            "total_tokens": 462,
            "prompt_tokens_details": {"cached_tokens": 300},
        },
    },
)
DONE = (None, "[DONE]")

FULL = sse(
    [
        chunk({"role": "assistant", "content": ""}),
        chunk({"reasoning_content": "hmm"}),
        chunk({"content": "Let me check"}),
        chunk({"content": " the weather."}),
        chunk(call(0, "", "call_1", "get_weather")),
        chunk(call(0, '{"city": "Par')),
        chunk(call(0, 'is"}')),
        chunk(call(1, '{"x":1}', "call_2", "other")),
        chunk(finish="tool_calls"),
        USAGE,
        DONE,
    ]
)


def ev(name: str, **payload: Any) -> tuple[str, dict[str, Any]]:
    return (name, {"type": name, **payload})


def start_block(index: int, block: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return ev("content_block_start", index=index, content_block=block)


def delta(index: int, value: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return ev("content_block_delta", index=index, delta=value)


def stop_block(index: int) -> tuple[str, dict[str, Any]]:
    return ev("content_block_stop", index=index)


MESSAGE_START = ev(
    "message_start",
    message={
        "id": "chatcmpl-1",
        "type": "message",
        "role": "assistant",
        "model": "gpt-4o-x",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 0, "output_tokens": 0},
    },
)


def message_end(stop: str, usage: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        ev("message_delta", delta={"stop_reason": stop, "stop_sequence": None}, usage=usage),
        ev("message_stop"),
    ]


FULL_OUTPUT = [
    MESSAGE_START,
    start_block(0, {"type": "thinking", "thinking": "", "signature": ""}),
    delta(0, {"type": "thinking_delta", "thinking": "hmm"}),
    stop_block(0),
    start_block(1, {"type": "text", "text": ""}),
    delta(1, {"type": "text_delta", "text": "Let me check"}),
    delta(1, {"type": "text_delta", "text": " the weather."}),
    stop_block(1),
    start_block(2, {"type": "tool_use", "id": "call_1", "name": "get_weather", "input": {}}),
    delta(2, {"type": "input_json_delta", "partial_json": '{"city": "Par'}),
    delta(2, {"type": "input_json_delta", "partial_json": 'is"}'}),
    stop_block(2),
    start_block(3, {"type": "tool_use", "id": "call_2", "name": "other", "input": {}}),
    delta(3, {"type": "input_json_delta", "partial_json": '{"x":1}'}),
    stop_block(3),
    *message_end(
        "tool_use",
        {
            "input_tokens": 120,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 300,
            "output_tokens": 42,
        },
    ),
]


def test_full_stream() -> None:
    stream = OpenAIToAnthropicStream(CTX)
    assert decode(run(stream, [FULL])) == FULL_OUTPUT
    assert stream.usage == TokenUsage(420, 300, 0, 42, 0)
    assert stream.stop_reason == "tool_use"


def test_full_stream_split_at_every_byte_boundary() -> None:
    whole = run(OpenAIToAnthropicStream(CTX), [FULL])
    for cut in range(len(FULL) + 1):
        assert run(OpenAIToAnthropicStream(CTX), [FULL[:cut], FULL[cut:]]) == whole, cut


NO_USAGE = {
    "input_tokens": 0,
    "cache_creation_input_tokens": 0,
    "cache_read_input_tokens": 0,
    "output_tokens": 0,
}
CASES: list[tuple[str, list[Any], list[Any]]] = [
    (
        "text then stop, no [DONE] but finish_reason seen",
        [chunk({"content": "hi"}), chunk(finish="stop")],
        [
            MESSAGE_START,
            start_block(0, {"type": "text", "text": ""}),
            delta(0, {"type": "text_delta", "text": "hi"}),
            stop_block(0),
            *message_end("end_turn", NO_USAGE),
        ],
    ),
    (
        "length -> max_tokens",
        [chunk({"content": "a"}), chunk(finish="length"), DONE],
        [
            MESSAGE_START,
            start_block(0, {"type": "text", "text": ""}),
            delta(0, {"type": "text_delta", "text": "a"}),
            stop_block(0),
            *message_end("max_tokens", NO_USAGE),
        ],
    ),
    (
        "upstream error chunk -> error event",
        [
            chunk({"content": "a"}),
            (None, {"error": {"message": "Rate limit", "type": "requests", "code": "429"}}),
            chunk({"content": "b"}),
        ],
        [
            MESSAGE_START,
            start_block(0, {"type": "text", "text": ""}),
            delta(0, {"type": "text_delta", "text": "a"}),
            (
                "error",
                {"type": "error", "error": {"type": "rate_limit_error", "message": "Rate limit"}},
            ),
        ],
    ),
    (
        "EOF before finish -> error event",
        [chunk({"content": "a"})],
        [
            MESSAGE_START,
            start_block(0, {"type": "text", "text": ""}),
            delta(0, {"type": "text_delta", "text": "a"}),
            (
                "error",
                {
                    "type": "error",
                    "error": {
                        "type": "api_error",
                        "message": "upstream stream ended before the response completed",
                    },
                },
            ),
        ],
    ),
    (
        "[DONE] without any chunk -> error event",
        [DONE],
        [
            (
                "error",
                {
                    "type": "error",
                    "error": {
                        "type": "api_error",
                        "message": "upstream stream ended without any response",
                    },
                },
            )
        ],
    ),
    (
        "malformed chunk -> error event",
        [(None, "{nope")],
        [
            (
                "error",
                {
                    "type": "error",
                    "error": {
                        "type": "api_error",
                        "message": "upstream sent a malformed stream chunk",
                    },
                },
            )
        ],
    ),
]


@pytest.mark.parametrize(("name", "events", "want"), CASES, ids=[c[0] for c in CASES])
def test_stream(name: str, events: list[Any], want: list[Any]) -> None:
    assert decode(run(OpenAIToAnthropicStream(CTX), [sse(events)])) == want


def test_finish_is_idempotent_after_completion() -> None:
    stream = OpenAIToAnthropicStream(CTX)
    frames = run(stream, [sse([chunk({"content": "hi"}), chunk(finish="stop")])])
    assert decode(frames)[-1] == ("message_stop", {"type": "message_stop"})
    assert stream.finish() == []
    assert stream.feed(SSEEvent(data="[DONE]")) == []


def test_json_that_is_not_an_object_is_malformed() -> None:
    (frame,) = OpenAIToAnthropicStream(CTX).feed(SSEEvent(data="[1, 2]"))
    assert b"upstream sent a malformed stream chunk" in frame
