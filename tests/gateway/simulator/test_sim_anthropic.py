"""The simulator's Anthropic Messages API, driven by the official `anthropic` SDK over loopback."""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
from typing import Any

import anthropic
import httpx
import pytest

from tests.gateway.simulator.support import API_KEY, CLAUDE

FILLER = (
    "this reply is generated deterministically by the aigw sdk simulator so that notebooks "
    "and tests can assert on every word"
)
USER: Any = [{"role": "user", "content": "Hello there"}]

WEATHER_TOOL: Any = {
    "name": "get_weather",
    "description": "Weather for a place",
    "input_schema": {
        "type": "object",
        "properties": {
            "location": {
                "type": "object",
                "properties": {
                    "city": {"type": "string"},
                    "country": {"type": "string", "enum": ["FR", "DE"]},
                },
                "required": ["city", "country"],
            },
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "days": {"type": "integer", "minimum": 3, "maximum": 7},
            "hours": {"type": "array", "items": {"type": "integer"}, "minItems": 2},
            "detailed": {"type": "boolean", "default": False},
        },
        "required": ["location", "unit"],
    },
}
WEATHER_INPUT = {
    "location": {"city": "sample city", "country": "FR"},
    "unit": "celsius",
    "days": 3,
    "hours": [1, 1],
    "detailed": False,
}


def tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


def test_text_reply_is_deterministic(claude: anthropic.Anthropic) -> None:
    raw = claude.messages.with_raw_response.create(model=CLAUDE, max_tokens=500, messages=USER)
    message = raw.parse()
    expected = f"Simulated reply to: Hello there. {FILLER}"
    assert raw.headers["x-sim-model"] == CLAUDE
    assert raw.headers["request-id"].startswith("req_01")
    assert message.id.startswith("msg_01") and len(message.id) == 28
    assert message.model == CLAUDE
    assert [b.type for b in message.content] == ["text"]
    assert message.content[0].text == expected  # type: ignore[union-attr]
    assert message.stop_reason == "end_turn" and message.stop_sequence is None
    assert message.usage.input_tokens == tokens("Hello there")
    assert message.usage.output_tokens == tokens(expected)
    assert message.usage.cache_read_input_tokens == 0
    again = claude.messages.create(model=CLAUDE, max_tokens=500, messages=USER)
    assert again.content == message.content and again.id != message.id


def test_system_prompt_prefixes_the_reply(claude: anthropic.Anthropic) -> None:
    message = claude.messages.create(
        model=CLAUDE, max_tokens=500, system="You are a pirate", messages=USER
    )
    text = message.content[0].text  # type: ignore[union-attr]
    assert text.startswith("[system: You are a pirate] Simulated reply to: Hello there.")
    assert message.usage.input_tokens == tokens("You are a pirate") + tokens("Hello there")


def test_max_tokens_cuts_the_reply(claude: anthropic.Anthropic) -> None:
    message = claude.messages.create(model=CLAUDE, max_tokens=5, messages=USER)
    assert message.content[0].text == "Simulated reply to: "  # type: ignore[union-attr]
    assert message.stop_reason == "max_tokens"
    assert message.usage.output_tokens == 5


def test_stop_sequence_stops_the_reply(claude: anthropic.Anthropic) -> None:
    message = claude.messages.create(
        model=CLAUDE,
        max_tokens=500,
        stop_sequences=["never", "STOP"],
        messages=[{"role": "user", "content": "say one STOP two"}],
    )
    assert message.content[0].text == "Simulated reply to: say one "  # type: ignore[union-attr]
    assert message.stop_reason == "stop_sequence"
    assert message.stop_sequence == "STOP"


def _tool_turns(result: dict[str, Any]) -> list[dict[str, Any]]:
    """A user turn, a tool call and a tool_result with `result`'s fields overriding."""
    call = {"type": "tool_use", "id": "t1", "name": "f", "input": {}}
    answer = {"type": "tool_result", "tool_use_id": "t1", "content": "ok", **result}
    return [*USER, {"role": "assistant", "content": [call]}, {"role": "user", "content": [answer]}]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"messages": USER}, "max_tokens: Field required"),
        (
            {"max_tokens": 0, "messages": USER},
            "max_tokens: Value must be greater than or equal to 1",
        ),
        ({"max_tokens": 10}, "messages: Field required"),
        ({"max_tokens": 10, "messages": []}, "messages: at least one message is required"),
        (
            {"max_tokens": 10, "messages": [{"role": "system", "content": "x"}]},
            "messages.0.role: Input should be 'user' or 'assistant'",
        ),
        (
            {"max_tokens": 10, "messages": [{"role": "user", "content": ""}]},
            "messages: text content blocks must be non-empty",
        ),
        (
            {
                "max_tokens": 2000,
                "messages": USER,
                "thinking": {"type": "enabled", "budget_tokens": 5},
            },
            "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
        ),
        (
            {
                "max_tokens": 1024,
                "messages": USER,
                "thinking": {"type": "enabled", "budget_tokens": 1024},
            },
            "`max_tokens` must be greater than `thinking.budget_tokens`",
        ),
        (
            {"max_tokens": 10, "messages": USER, "tools": [{"name": "t"}]},
            "tools.0.custom.input_schema: Field required",
        ),
        (
            {"max_tokens": 10, "messages": _tool_turns({"content": [{"type": "text"}]})},
            "messages.2.content.0.content.0.text: Field required",
        ),
        (
            {"max_tokens": 10, "messages": _tool_turns({"content": 7})},
            "messages.2.content.0.content: Input should be a valid list",
        ),
        (
            {"max_tokens": 10, "messages": _tool_turns({"tool_use_id": ["t1"]})},
            "messages.2.content.0.tool_use_id: Input should be a valid string",
        ),
    ],
)
def test_request_validation(http: httpx.Client, body: dict[str, Any], message: str) -> None:
    response = http.post("/v1/messages", json={"model": CLAUDE, **body})
    assert response.status_code == 400
    payload = response.json()
    assert payload["type"] == "error"
    assert payload["error"] == {"type": "invalid_request_error", "message": message}
    assert payload["request_id"] == response.headers["request-id"]


def test_sdk_surfaces_validation_error(claude: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.BadRequestError) as info:
        claude.messages.create(model=CLAUDE, max_tokens=0, messages=USER)
    assert info.value.status_code == 400
    assert "greater than or equal to 1" in info.value.message


def test_wrong_key_is_401_in_anthropic_shape(sim_url: str) -> None:
    client = anthropic.Anthropic(api_key="wrong", base_url=sim_url, max_retries=0)
    with client, pytest.raises(anthropic.AuthenticationError) as info:
        client.messages.create(model=CLAUDE, max_tokens=10, messages=USER)
    body = info.value.body
    assert isinstance(body, dict)
    assert body["type"] == "error"
    assert body["error"] == {"type": "authentication_error", "message": "invalid x-api-key"}
    assert body["request_id"].startswith("req_01")
    assert "wrong" not in info.value.response.text


def test_x_api_key_header_and_anthropic_version(http: httpx.Client, sim_url: str) -> None:
    body = {"model": CLAUDE, "max_tokens": 10, "messages": USER}
    assert http.post("/v1/messages", json=body).status_code == 200
    bad = http.post("/v1/messages", json=body, headers={"x-api-key": "nope"})
    assert bad.status_code == 401
    assert bad.json()["error"]["type"] == "authentication_error"
    no_version = httpx.post(f"{sim_url}/v1/messages", json=body, headers={"x-api-key": API_KEY})
    assert no_version.status_code == 400
    assert no_version.json()["error"]["message"] == "anthropic-version: header is required"


def test_forced_tool_input_satisfies_schema(claude: anthropic.Anthropic) -> None:
    message = claude.messages.create(
        model=CLAUDE,
        max_tokens=500,
        tools=[WEATHER_TOOL],
        tool_choice={"type": "any"},
        messages=USER,
    )
    assert message.stop_reason == "tool_use"
    assert [b.type for b in message.content] == ["tool_use"]
    block = message.content[0]
    assert block.type == "tool_use"
    assert block.name == "get_weather"
    assert block.id.startswith("toolu_01")
    assert block.input == WEATHER_INPUT


def test_tool_named_in_text_is_called_with_preamble(claude: anthropic.Anthropic) -> None:
    other: Any = {"name": "get_time", "input_schema": {"type": "object", "properties": {}}}
    message = claude.messages.create(
        model=CLAUDE,
        max_tokens=500,
        tools=[other, WEATHER_TOOL],
        messages=[{"role": "user", "content": "please use get_weather for Paris"}],
    )
    assert message.stop_reason == "tool_use"
    assert message.content[0].type == "text"
    assert message.content[0].text == "Calling get_weather."
    assert message.content[1].type == "tool_use" and message.content[1].name == "get_weather"


def test_named_tool_choice_and_unknown_tool(claude: anthropic.Anthropic) -> None:
    other: Any = {"name": "get_time", "input_schema": {"type": "object", "properties": {}}}
    tools: Any = [WEATHER_TOOL, other]
    message = claude.messages.create(
        model=CLAUDE,
        max_tokens=500,
        tools=tools,
        tool_choice={"type": "tool", "name": "get_time"},
        messages=USER,
    )
    assert message.content[0].type == "tool_use" and message.content[0].name == "get_time"
    assert message.content[0].input == {}
    with pytest.raises(anthropic.BadRequestError, match="Tool 'nope' not found"):
        claude.messages.create(
            model=CLAUDE,
            max_tokens=500,
            tools=tools,
            tool_choice={"type": "tool", "name": "nope"},
            messages=USER,
        )


def test_tool_result_round_trip(claude: anthropic.Anthropic) -> None:
    first = claude.messages.create(
        model=CLAUDE,
        max_tokens=500,
        tools=[WEATHER_TOOL],
        messages=[{"role": "user", "content": "get_weather in Paris"}],
    )
    tool_use = first.content[1]
    assert tool_use.type == "tool_use"
    history: Any = [
        {"role": "user", "content": "get_weather in Paris"},
        {"role": "assistant", "content": [b.model_dump() for b in first.content]},
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": tool_use.id, "content": '{"temp": 21}'}
            ],
        },
    ]
    second = claude.messages.create(
        model=CLAUDE,
        max_tokens=500,
        tools=[WEATHER_TOOL],
        messages=history,
    )
    assert second.stop_reason == "end_turn"
    text = second.content[0].text  # type: ignore[union-attr]
    assert text.startswith('Simulated reply to tool result: {"temp": 21}.')


def test_tool_use_without_tool_result_is_rejected(claude: anthropic.Anthropic) -> None:
    history: Any = [
        {"role": "user", "content": "hi"},
        {
            "role": "assistant",
            "content": [{"type": "tool_use", "id": "toolu_x", "name": "t", "input": {}}],
        },
        {"role": "user", "content": "ignored the tool"},
    ]
    with pytest.raises(anthropic.BadRequestError, match="without `tool_result` blocks"):
        claude.messages.create(model=CLAUDE, max_tokens=50, messages=history)


def _signature(thinking: str) -> str:
    mac = hmac.new(b"aigw-sdk-simulator", thinking.encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def test_thinking_block_with_verifiable_signature(claude: anthropic.Anthropic) -> None:
    thinking: Any = {"type": "enabled", "budget_tokens": 1024}
    message = claude.messages.create(
        model=CLAUDE, max_tokens=2000, thinking=thinking, messages=USER
    )
    assert [b.type for b in message.content] == ["thinking", "text"]
    block = message.content[0]
    assert block.type == "thinking"
    assert block.thinking.startswith("Thinking about: Hello there.")
    assert block.signature == _signature(block.thinking)
    text = message.content[1].text  # type: ignore[union-attr]
    assert message.usage.output_tokens == tokens(block.thinking) + tokens(text)
    replay: Any = [
        *USER,
        {"role": "assistant", "content": [b.model_dump() for b in message.content]},
        {"role": "user", "content": "and then?"},
    ]
    ok = claude.messages.create(model=CLAUDE, max_tokens=2000, thinking=thinking, messages=replay)
    assert ok.stop_reason == "end_turn"
    replay[1]["content"][0]["signature"] = _signature("something else")
    with pytest.raises(anthropic.BadRequestError, match="Invalid `signature`"):
        claude.messages.create(model=CLAUDE, max_tokens=2000, thinking=thinking, messages=replay)


def _events(http: httpx.Client, body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    import json

    events = []
    with http.stream("POST", "/v1/messages", json={**body, "stream": True}) as response:
        assert response.headers["content-type"] == "text/event-stream"
        raw = response.read().decode()
    for frame in raw.strip().split("\n\n"):
        name_line, data_line = frame.split("\n")
        events.append((name_line.removeprefix("event: "), json.loads(data_line[len("data: ") :])))
    return events


def test_stream_event_sequence(http: httpx.Client, claude: anthropic.Anthropic) -> None:
    body = {"model": CLAUDE, "max_tokens": 500, "messages": USER}
    events = _events(http, body)
    names = [name for name, _ in events]
    deltas = [data["delta"]["text"] for name, data in events if name == "content_block_delta"]
    assert names == [
        "message_start",
        "content_block_start",
        "ping",
        *["content_block_delta"] * len(deltas),
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    assert len(deltas) > 3
    assert all(name == data["type"] for name, data in events)
    full = f"Simulated reply to: Hello there. {FILLER}"
    assert "".join(deltas) == full
    start = events[0][1]["message"]
    assert start["id"].startswith("msg_01") and start["usage"]["input_tokens"] == 3
    final = events[-2][1]
    assert final["delta"] == {"stop_reason": "end_turn", "stop_sequence": None}
    assert final["usage"]["output_tokens"] == tokens(full)
    with claude.messages.stream(model=CLAUDE, max_tokens=500, messages=USER) as stream:
        text = "".join(stream.text_stream)
    assert text == full


def test_stream_thinking_and_tool_use(http: httpx.Client, claude: anthropic.Anthropic) -> None:
    body: Any = {
        "model": CLAUDE,
        "max_tokens": 2000,
        "thinking": {"type": "enabled", "budget_tokens": 1024},
        "tools": [WEATHER_TOOL],
        "tool_choice": {"type": "any"},
        "messages": USER,
    }
    events = _events(http, body)
    delta_types = [d["delta"]["type"] for n, d in events if n == "content_block_delta"]
    assert delta_types[0] == "thinking_delta"
    assert delta_types.index("signature_delta") == delta_types.count("thinking_delta")
    assert delta_types[-1] == "input_json_delta"
    with claude.messages.stream(**body) as stream:
        final = stream.get_final_message()
    assert [b.type for b in final.content] == ["thinking", "tool_use"]
    assert final.content[0].signature == _signature(final.content[0].thinking)  # type: ignore[union-attr]
    assert final.content[1].input == WEATHER_INPUT  # type: ignore[union-attr]
    assert final.stop_reason == "tool_use"


def test_count_tokens_matches_usage(claude: anthropic.Anthropic) -> None:
    kwargs: Any = {
        "model": CLAUDE,
        "system": "Be brief",
        "tools": [WEATHER_TOOL],
        "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi there, friend"}]}],
    }
    counted = claude.messages.count_tokens(**kwargs)
    message = claude.messages.create(max_tokens=500, tool_choice={"type": "none"}, **kwargs)
    assert counted.input_tokens == message.usage.input_tokens
    assert counted.input_tokens > tokens("Be brief") + tokens("Hi there, friend")


def test_models_in_anthropic_shape(claude: anthropic.Anthropic) -> None:
    models = claude.models.list()
    assert CLAUDE in [m.id for m in models.data]
    assert all(m.type == "model" for m in models.data)
