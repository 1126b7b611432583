"""The simulator's OpenAI Chat Completions API, driven by the official `openai` SDK."""

from __future__ import annotations

import json
import math
from typing import Any

import httpx
import openai
import pytest

from tests.gateway.simulator.support import API_KEY, GPT

FILLER = (
    "this reply is generated deterministically by the aigw sdk simulator so that notebooks "
    "and tests can assert on every word"
)
USER: Any = [{"role": "user", "content": "Hello there"}]
TOOL: Any = {
    "type": "function",
    "function": {
        "name": "lookup",
        "parameters": {
            "type": "object",
            "properties": {
                "query": {"type": "string", "minLength": 20},
                "mode": {"enum": ["fast", "slow"]},
                "filters": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"field": {"type": "string"}, "value": {"type": "number"}},
                    },
                },
            },
            "required": ["query", "mode"],
        },
    },
}
TOOL_ARGS = {
    "query": "sample queryxxxxxxxx",
    "mode": "fast",
    "filters": [{"field": "sample field", "value": 1.5}],
}


def tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


def test_text_reply_and_usage(gpt: openai.OpenAI) -> None:
    raw = gpt.chat.completions.with_raw_response.create(model=GPT, messages=USER)
    completion = raw.parse()
    expected = f"Simulated reply to: Hello there. {FILLER}"
    assert raw.headers["x-sim-model"] == GPT
    assert completion.id.startswith("chatcmpl-") and completion.model == GPT
    choice = completion.choices[0]
    assert choice.message.content == expected and choice.finish_reason == "stop"
    assert completion.usage is not None
    assert completion.usage.prompt_tokens == tokens("Hello there")
    assert completion.usage.completion_tokens == tokens(expected)
    assert completion.usage.total_tokens == tokens("Hello there") + tokens(expected)


def test_system_max_tokens_and_stop(gpt: openai.OpenAI) -> None:
    messages: Any = [{"role": "system", "content": "Be brief"}, *USER]
    cut = gpt.chat.completions.create(model=GPT, messages=messages, max_completion_tokens=6)
    assert cut.choices[0].message.content == "[system: Be brief] Simul"
    assert cut.choices[0].finish_reason == "length"
    stopped = gpt.chat.completions.create(model=GPT, messages=USER, stop="there")
    assert stopped.choices[0].message.content == "Simulated reply to: Hello "
    assert stopped.choices[0].finish_reason == "stop"


def test_wrong_key_is_401_in_openai_shape(sim_url: str) -> None:
    client = openai.OpenAI(api_key="wrong", base_url=f"{sim_url}/v1", max_retries=0)
    with client, pytest.raises(openai.AuthenticationError) as info:
        client.chat.completions.create(model=GPT, messages=USER)
    assert info.value.response.json() == {
        "error": {
            "message": "Incorrect API key provided.",
            "type": "invalid_request_error",
            "param": None,
            "code": "invalid_api_key",
        }
    }
    missing = httpx.post(f"{sim_url}/v1/chat/completions", json={"model": GPT, "messages": USER})
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "invalid_api_key"


def test_stream_with_usage(gpt: openai.OpenAI, sim_url: str) -> None:
    chunks = list(
        gpt.chat.completions.create(
            model=GPT, messages=USER, stream=True, stream_options={"include_usage": True}
        )
    )
    assert chunks[0].choices[0].delta.role == "assistant"
    content = [c.choices[0].delta.content for c in chunks[1:-2]]
    assert len(content) > 3
    assert "".join(c or "" for c in content) == f"Simulated reply to: Hello there. {FILLER}"
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.prompt_tokens == 3
    assert len({c.id for c in chunks}) == 1
    body = {"model": GPT, "messages": USER, "stream": True}
    headers = {"authorization": f"Bearer {API_KEY}"}
    raw = httpx.post(f"{sim_url}/v1/chat/completions", json=body, headers=headers).text
    frames = raw.strip().split("\n\n")
    assert frames[-1] == "data: [DONE]"
    assert all(f.startswith("data: {") for f in frames[:-1])
    assert "usage" not in json.loads(frames[-2][len("data: ") :])


def test_required_tool_call(gpt: openai.OpenAI) -> None:
    completion = gpt.chat.completions.create(
        model=GPT, messages=USER, tools=[TOOL], tool_choice="required"
    )
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    assert choice.message.tool_calls is not None
    call = choice.message.tool_calls[0]
    assert call.id.startswith("call_") and call.type == "function"
    assert call.function.name == "lookup"
    assert json.loads(call.function.arguments) == TOOL_ARGS


def test_streamed_tool_call_and_named_choice(gpt: openai.OpenAI) -> None:
    other: Any = {"type": "function", "function": {"name": "noop"}}
    stream = gpt.chat.completions.create(
        model=GPT,
        messages=USER,
        tools=[other, TOOL],
        tool_choice={"type": "function", "function": {"name": "lookup"}},
        stream=True,
    )
    arguments = ""
    names = []
    finish = None
    for chunk in stream:
        delta = chunk.choices[0].delta
        for call in delta.tool_calls or []:
            if call.function and call.function.name:
                names.append(call.function.name)
            arguments += (call.function.arguments or "") if call.function else ""
        finish = chunk.choices[0].finish_reason or finish
    assert names == ["lookup"]
    assert json.loads(arguments) == TOOL_ARGS
    assert finish == "tool_calls"


def test_tool_message_round_trip(gpt: openai.OpenAI) -> None:
    messages: Any = [
        {"role": "user", "content": "use lookup please"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "lookup", "arguments": "{}"},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "42 results"},
    ]
    completion = gpt.chat.completions.create(model=GPT, messages=messages, tools=[TOOL])
    text = completion.choices[0].message.content or ""
    assert text.startswith("Simulated reply to tool result: 42 results.")
    assert completion.choices[0].finish_reason == "stop"


@pytest.mark.parametrize(
    ("body", "param", "code"),
    [
        ({}, "messages", "missing_required_parameter"),
        ({"messages": []}, "messages", "empty_array"),
        ({"messages": [{"role": "bot", "content": "x"}]}, "messages[0].role", "invalid_value"),
        ({"messages": USER, "max_tokens": 0}, "max_tokens", "integer_below_min_value"),
        (
            {"messages": [{"role": "tool", "tool_call_id": "x", "content": "y"}]},
            "messages.[0].role",
            None,
        ),
        (
            {"messages": [*USER, {"role": "tool", "tool_call_id": ["x"], "content": "y"}]},
            "messages.[1].role",
            None,
        ),
        (
            {"messages": [*USER, {"role": "assistant", "content": "a", "tool_calls": 5}]},
            "messages[1].tool_calls",
            "invalid_type",
        ),
    ],
)
def test_request_validation(
    sim_url: str, body: dict[str, Any], param: str, code: str | None
) -> None:
    response = httpx.post(
        f"{sim_url}/v1/chat/completions",
        json={"model": GPT, **body},
        headers={"authorization": f"Bearer {API_KEY}"},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert (error["param"], error["code"]) == (param, code)
    assert error["message"]


def test_models_in_openai_shape(gpt: openai.OpenAI) -> None:
    models = gpt.models.list()
    assert GPT in [m.id for m in models.data]
    assert all(m.object == "model" for m in models.data)
