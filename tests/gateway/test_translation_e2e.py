"""Translated traffic end to end: the official SDKs through the local gateway to the simulator."""

from __future__ import annotations

import base64
import json
import struct
import zlib
from typing import Any

import anthropic
import openai
import pytest
from openai.types.chat import (
    ChatCompletionFunctionToolParam,
    ChatCompletionMessageParam,
    ChatCompletionNamedToolChoiceParam,
)

from tests.gateway.gw_helpers import Stack, provider, route, rule
from tests.gateway.gw_helpers import sdk_anthropic as _anthropic
from tests.gateway.gw_helpers import sdk_openai as _openai

# The seed's model id is on the anthropic SDK's deprecation list.
pytestmark = pytest.mark.filterwarnings("ignore:The model .* is deprecated:DeprecationWarning")

CLAUDE = "claude-sonnet-4-5"
GPT = "gpt-4o-mini"

WEATHER_TOOL: ChatCompletionFunctionToolParam = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "days": {"type": "integer", "minimum": 1, "maximum": 7},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["city", "days", "unit"],
        },
    },
}
WEATHER_CHOICE: ChatCompletionNamedToolChoiceParam = {
    "type": "function",
    "function": {"name": "get_weather"},
}


def _tiny_png() -> bytes:
    """A valid 1x1 RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _serve_both(stack: Stack) -> Stack:
    return stack.serve(
        provider("claude", "Anthropic", stack.sim_port),
        provider("gpt", "OpenAI", stack.sim_port),
        route("models", [rule(CLAUDE, ["claude"]), rule(GPT, ["gpt"])]),
    )


def _check_weather_args(arguments: str) -> None:
    args = json.loads(arguments)
    assert isinstance(args["city"], str) and args["city"]
    assert isinstance(args["days"], int) and 1 <= args["days"] <= 7
    assert args["unit"] in ("celsius", "fahrenheit")


def test_openai_tool_call_round_trip(stack: Stack) -> None:
    client = _openai(_serve_both(stack))
    question: ChatCompletionMessageParam = {
        "role": "user",
        "content": "What is the weather in Paris?",
    }
    first = client.chat.completions.create(
        model=CLAUDE, messages=[question], tools=[WEATHER_TOOL], tool_choice=WEATHER_CHOICE
    )
    choice = first.choices[0]
    assert choice.finish_reason == "tool_calls"
    calls = choice.message.tool_calls
    assert calls is not None and len(calls) == 1
    call = calls[0]
    assert call.type == "function" and call.function.name == "get_weather"
    _check_weather_args(call.function.arguments)
    # The backend saw an Anthropic request forcing that tool.
    sent = stack.sim_stats()["last_request"]
    assert sent["path"] == "/v1/messages"

    second = client.chat.completions.create(
        model=CLAUDE,
        messages=[
            question,
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": call.id,
                        "type": "function",
                        "function": {
                            "name": call.function.name,
                            "arguments": call.function.arguments,
                        },
                    }
                ],
            },
            {"role": "tool", "tool_call_id": call.id, "content": "Sunny, 21 degrees"},
        ],
        tools=[WEATHER_TOOL],
    )
    answer = second.choices[0]
    assert answer.finish_reason == "stop"
    assert not answer.message.tool_calls
    assert "Simulated reply to tool result: Sunny, 21 degrees" in (answer.message.content or "")


def test_openai_tool_call_stream(stack: Stack) -> None:
    client = _openai(_serve_both(stack))
    chunks = list(
        client.chat.completions.create(
            model=CLAUDE,
            messages=[{"role": "user", "content": "Weather in Oslo, please"}],
            tools=[WEATHER_TOOL],
            tool_choice=WEATHER_CHOICE,
            stream=True,
        )
    )
    deltas = [tc for c in chunks if c.choices for tc in (c.choices[0].delta.tool_calls or [])]
    assert deltas, "no tool-call deltas were streamed"
    assert {d.index for d in deltas} == {0}
    assert [d.function.name for d in deltas if d.function and d.function.name] == ["get_weather"]
    assert deltas[0].id
    arguments = "".join(d.function.arguments or "" for d in deltas if d.function)
    _check_weather_args(arguments)
    assert len(deltas) > 2  # the arguments really arrived in pieces
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "tool_calls"


def test_openai_image_data_url(stack: Stack) -> None:
    client = _openai(_serve_both(stack))
    data_url = "data:image/png;base64," + base64.b64encode(_tiny_png()).decode()
    completion = client.chat.completions.create(
        model=CLAUDE,
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "Describe this picture"},
                    {"type": "image_url", "image_url": {"url": data_url}},
                ],
            }
        ],
    )
    assert "Simulated reply to: Describe this picture" in (
        completion.choices[0].message.content or ""
    )
    body = stack.sim_stats()["last_request"]["body"]
    image = body["messages"][0]["content"][1]
    assert image["type"] == "image"
    assert image["source"]["media_type"] == "image/png"


def test_openai_unsupported_image_type_is_400(stack: Stack) -> None:
    client = _openai(_serve_both(stack))
    bmp = "data:image/bmp;base64," + base64.b64encode(b"BM" + bytes(60)).decode()
    with pytest.raises(openai.BadRequestError) as info:
        client.chat.completions.create(
            model=CLAUDE,
            messages=[
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "What is this?"},
                        {"type": "image_url", "image_url": {"url": bmp}},
                    ],
                }
            ],
        )
    assert info.value.status_code == 400
    assert "image/bmp" in str(info.value)
    assert stack.sim_stats()["total"] == 0


def test_openai_prompt_cache_control(stack: Stack) -> None:
    client = _openai(_serve_both(stack))
    long_system = "You are a meticulous assistant. " * 200  # ~1600 tokens, above the minimum
    messages: list[Any] = [
        {
            "role": "system",
            "content": [
                {"type": "text", "text": long_system, "cache_control": {"type": "ephemeral"}}
            ],
        },
        {"role": "user", "content": "cache me"},
    ]
    first = client.chat.completions.create(model=CLAUDE, messages=messages)
    second = client.chat.completions.create(model=CLAUDE, messages=messages)
    assert first.usage is not None and second.usage is not None
    sent = stack.sim_stats()["last_request"]["body"]
    assert sent["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert second.usage.prompt_tokens_details is not None
    cached = second.usage.prompt_tokens_details.cached_tokens or 0
    assert cached >= len(long_system) // 4
    assert second.usage.prompt_tokens == first.usage.prompt_tokens
    assert second.usage.prompt_tokens > cached
    first_cached = (
        first.usage.prompt_tokens_details.cached_tokens if first.usage.prompt_tokens_details else 0
    )
    assert not first_cached


def test_openai_reasoning_effort_thinking(stack: Stack) -> None:
    client = _openai(_serve_both(stack))
    completion = client.chat.completions.create(
        model=CLAUDE,
        messages=[{"role": "user", "content": "think it through"}],
        reasoning_effort="low",
        max_completion_tokens=4096,
    )
    sent = stack.sim_stats()["last_request"]["body"]
    assert sent["thinking"]["type"] in ("enabled", "adaptive")
    raw = completion.choices[0].message.to_dict()
    assert (
        raw["reasoning_content"]
        == "Thinking about: think it through. The answer follows the rules."
    )
    assert "Simulated reply to: think it through" in (completion.choices[0].message.content or "")


def test_openai_rate_limit_from_anthropic_backend(stack: Stack) -> None:
    client = _openai(_serve_both(stack))
    with pytest.raises(openai.RateLimitError) as info:
        client.chat.completions.create(
            model=CLAUDE,
            messages=[{"role": "user", "content": "too many"}],
            extra_headers={"x-sim-status": "429"},
        )
    assert info.value.status_code == 429
    assert stack.sim_stats()["last_request"]["path"] == "/v1/messages"


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, anthropic.BadRequestError),
        (404, anthropic.NotFoundError),
        (429, anthropic.RateLimitError),
        (500, anthropic.InternalServerError),
    ],
)
def test_anthropic_errors_from_openai_backend(
    stack: Stack, status: int, error_type: type[anthropic.APIStatusError]
) -> None:
    client = _anthropic(_serve_both(stack))
    with pytest.raises(error_type) as info:
        client.messages.create(
            model=GPT,
            max_tokens=64,
            messages=[{"role": "user", "content": "fail please"}],
            extra_headers={"x-sim-status": str(status)},
        )
    assert info.value.status_code == status
    body = info.value.body
    assert isinstance(body, dict) and body.get("type") == "error"
    assert stack.sim_stats()["last_request"]["path"] == "/v1/chat/completions"
