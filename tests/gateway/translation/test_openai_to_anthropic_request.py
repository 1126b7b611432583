"""OpenAI -> Anthropic request translation: translation.md §1 rows and §5 request cases."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.translation import TranslationError, openai_to_anthropic_request
from gateway.translation.openai_to_anthropic.messages import LATE_SYSTEM_PREFIX
from gateway.translation.openai_to_anthropic.tools import STUB_TOOL_DESCRIPTION

MODEL = "claude-sonnet-4-5-20250929"
PNG = "iVBORw0KGgo="
PDF = "JVBERi0xLjQ="
EPH = {"type": "ephemeral"}
EMPTY_SCHEMA = {"type": "object", "properties": {}}


def user(content: Any, **extra: Any) -> dict[str, Any]:
    return {"role": "user", "content": content, **extra}


def text(value: str, **extra: Any) -> dict[str, Any]:
    return {"type": "text", "text": value, **extra}


def a_user(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {"role": "user", "content": list(blocks)}


def a_assistant(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {"role": "assistant", "content": list(blocks)}


def call(call_id: str, name: str, arguments: str = "{}") -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def fn_tool(name: str, **function: Any) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, **function}}


def expected(*messages: dict[str, Any], **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"model": MODEL, "max_tokens": fields.pop("max_tokens", 8192)}
    if "system" in fields:
        out["system"] = fields.pop("system")
    out["messages"] = list(messages)
    out.update(fields)
    return out


HI = [user("hi")]
A_HI = a_user(text("hi"))
TOOL = fn_tool("get_weather", description="Weather", parameters={"type": "object"})
A_TOOL = {"name": "get_weather", "description": "Weather", "input_schema": {"type": "object"}}

OK_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("model from the route, not the body", {"model": "gpt-4o", "messages": HI}, expected(A_HI)),
    # §5.1 / §1 max_tokens
    ("1 default max_tokens per model", {"messages": HI}, expected(A_HI)),
    (
        "2 max_completion_tokens wins",
        {"messages": HI, "max_tokens": 100, "max_completion_tokens": 200},
        expected(A_HI, max_tokens=200),
    ),
    ("max_tokens alone", {"messages": HI, "max_tokens": 100}, expected(A_HI, max_tokens=100)),
    # sampling
    (
        "temperature within 0..1",
        {"messages": HI, "temperature": 0.5},
        expected(A_HI, temperature=0.5),
    ),
    ("top_p passes", {"messages": HI, "top_p": 0.9}, expected(A_HI, top_p=0.9)),
    ("5 stop string", {"messages": HI, "stop": "END"}, expected(A_HI, stop_sequences=["END"])),
    (
        "stop list",
        {"messages": HI, "stop": ["\nEND", "X"]},
        expected(A_HI, stop_sequences=["\nEND", "X"]),
    ),
    (
        "no-op unsupported params",
        {
            "messages": HI,
            "n": 1,
            "logprobs": False,
            "presence_penalty": 0,
            "frequency_penalty": 0.0,
            "logit_bias": {},
        },
        expected(A_HI),
    ),
    # system
    (
        "6 system + developer -> blocks",
        {
            "messages": [
                {"role": "system", "content": "A"},
                {"role": "developer", "content": "B"},
                *HI,
            ]
        },
        expected(A_HI, system=[text("A"), text("B")]),
    ),
    (
        "7 system parts keep their own cache_control",
        {
            "messages": [
                {"role": "system", "content": [text("A"), text("B", cache_control=EPH)]},
                *HI,
            ]
        },
        expected(A_HI, system=[text("A"), text("B", cache_control=EPH)]),
    ),
    (
        "message-level cache_control on a string system",
        {"messages": [{"role": "system", "content": "A", "cache_control": EPH}, *HI]},
        expected(A_HI, system=[text("A", cache_control=EPH)]),
    ),
    (
        "8 empty system skipped",
        {"messages": [{"role": "system", "content": ""}, *HI]},
        expected(A_HI),
    ),
    (
        "later system message -> operator note in the user turn",
        {"messages": [*HI, {"role": "system", "content": "be brief"}]},
        expected(a_user(text("hi"), text(LATE_SYSTEM_PREFIX + "be brief"))),
    ),
    # user content
    (
        "consecutive user messages merged",
        {"messages": [user("a"), user("b")]},
        expected(a_user(text("a"), text("b"))),
    ),
    (
        "empty text parts dropped",
        {"messages": [user([text(""), text("x")])]},
        expected(a_user(text("x"))),
    ),
    (
        "image data URL",
        {
            "messages": [
                user([{"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}}])
            ]
        },
        expected(
            a_user(
                {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/png", "data": PNG},
                }
            )
        ),
    ),
    (
        "22 pdf data URL -> document",
        {
            "messages": [
                user(
                    [
                        {
                            "type": "image_url",
                            "image_url": {"url": f"data:application/pdf;base64,{PDF}"},
                        }
                    ]
                )
            ]
        },
        expected(
            a_user(
                {
                    "type": "document",
                    "source": {"type": "base64", "media_type": "application/pdf", "data": PDF},
                }
            )
        ),
    ),
    (
        "23 https URL -> url source",
        {
            "messages": [
                user(
                    [
                        {
                            "type": "image_url",
                            "image_url": {"url": "https://x/cat.jpg"},
                            "cache_control": EPH,
                        }
                    ]
                )
            ]
        },
        expected(
            a_user(
                {
                    "type": "image",
                    "source": {"type": "url", "url": "https://x/cat.jpg"},
                    "cache_control": EPH,
                }
            )
        ),
    ),
    (
        "https .pdf URL -> document",
        {"messages": [user([{"type": "image_url", "image_url": {"url": "https://x/a.PDF?v=1"}}])]},
        expected(
            a_user({"type": "document", "source": {"type": "url", "url": "https://x/a.PDF?v=1"}})
        ),
    ),
    (
        "file part with pdf data",
        {
            "messages": [
                user(
                    [{"type": "file", "file": {"file_data": f"data:application/pdf;base64,{PDF}"}}]
                )
            ]
        },
        expected(
            a_user(
                {
                    "type": "document",
                    "source": {"type": "base64", "media_type": "application/pdf", "data": PDF},
                }
            )
        ),
    ),
    # assistant + tools history
    (
        "12/13 empty content + tool call with empty arguments",
        {
            "messages": [
                *HI,
                {"role": "assistant", "content": "", "tool_calls": [call("call_1", "f", "")]},
            ],
            "tools": [fn_tool("f")],
        },
        expected(
            A_HI,
            a_assistant({"type": "tool_use", "id": "call_1", "name": "f", "input": {}}),
            tools=[{"name": "f", "input_schema": EMPTY_SCHEMA}],
        ),
    ),
    (
        "assistant text + tool call, thinking replayed first",
        {
            "messages": [
                *HI,
                {
                    "role": "assistant",
                    "content": "Let me check",
                    "thinking_blocks": [
                        {"type": "thinking", "thinking": "t", "signature": "s"},
                        {"type": "redacted_thinking", "data": "r"},
                    ],
                    "tool_calls": [call("call_1", "f", '{"city":"Paris"}')],
                },
            ],
            "tools": [fn_tool("f")],
        },
        expected(
            A_HI,
            a_assistant(
                {"type": "thinking", "thinking": "t", "signature": "s"},
                {"type": "redacted_thinking", "data": "r"},
                text("Let me check"),
                {"type": "tool_use", "id": "call_1", "name": "f", "input": {"city": "Paris"}},
            ),
            tools=[{"name": "f", "input_schema": EMPTY_SCHEMA}],
        ),
    ),
    (
        "16/18 tool messages merged, following user text after them, no is_error guess",
        {
            "messages": [
                *HI,
                {"role": "assistant", "tool_calls": [call("c1", "f"), call("c2", "f")]},
                {"role": "tool", "tool_call_id": "c1", "content": '{"error":"boom"}'},
                {
                    "role": "tool",
                    "tool_call_id": "c2",
                    "content": [text("ok")],
                    "cache_control": EPH,
                },
                user("thanks"),
            ],
            "tools": [fn_tool("f")],
        },
        expected(
            A_HI,
            a_assistant(
                {"type": "tool_use", "id": "c1", "name": "f", "input": {}},
                {"type": "tool_use", "id": "c2", "name": "f", "input": {}},
            ),
            a_user(
                {"type": "tool_result", "tool_use_id": "c1", "content": '{"error":"boom"}'},
                {
                    "type": "tool_result",
                    "tool_use_id": "c2",
                    "content": [text("ok")],
                    "cache_control": EPH,
                },
                text("thanks"),
            ),
            tools=[{"name": "f", "input_schema": EMPTY_SCHEMA}],
        ),
    ),
    (
        "tool ids and names sanitised consistently",
        {
            "messages": [
                *HI,
                {"role": "assistant", "tool_calls": [call("call.1:x", "my.tool")]},
                {"role": "tool", "tool_call_id": "call.1:x", "content": ""},
            ],
            "tools": [fn_tool("my.tool")],
            "tool_choice": {"type": "function", "function": {"name": "my.tool"}},
        },
        expected(
            A_HI,
            a_assistant({"type": "tool_use", "id": "call_1_x", "name": "my_tool", "input": {}}),
            a_user({"type": "tool_result", "tool_use_id": "call_1_x"}),
            tools=[{"name": "my_tool", "input_schema": EMPTY_SCHEMA}],
            tool_choice={"type": "tool", "name": "my_tool"},
        ),
    ),
    (
        "19 history tool calls without tools -> stub tools + tool_choice none",
        {
            "messages": [
                *HI,
                {"role": "assistant", "tool_calls": [call("c1", "lookup")]},
                {"role": "tool", "tool_call_id": "c1", "content": "42"},
            ]
        },
        expected(
            A_HI,
            a_assistant({"type": "tool_use", "id": "c1", "name": "lookup", "input": {}}),
            a_user({"type": "tool_result", "tool_use_id": "c1", "content": "42"}),
            tools=[
                {
                    "name": "lookup",
                    "description": STUB_TOOL_DESCRIPTION,
                    "input_schema": EMPTY_SCHEMA,
                }
            ],
            tool_choice={"type": "none"},
        ),
    ),
    (
        "34 final assistant prefill rstripped",
        {"messages": [*HI, {"role": "assistant", "content": "The answer is "}]},
        expected(A_HI, a_assistant(text("The answer is"))),
    ),
    (
        "whitespace-only prefill dropped",
        {"messages": [*HI, {"role": "assistant", "content": "  "}]},
        expected(A_HI),
    ),
    # tools
    (
        "tool definition: description, schema extras, strict, cache_control",
        {
            "messages": HI,
            "tools": [
                fn_tool(
                    "f",
                    description="d",
                    strict=True,
                    parameters={"properties": {"a": {"type": "string"}}, "$defs": {}},
                    cache_control=EPH,
                )
            ],
        },
        expected(
            A_HI,
            tools=[
                {
                    "name": "f",
                    "description": "d",
                    "input_schema": {
                        "properties": {"a": {"type": "string"}},
                        "$defs": {},
                        "type": "object",
                    },
                    "strict": True,
                    "cache_control": EPH,
                }
            ],
        ),
    ),
    (
        "27 no parameters -> empty object schema",
        {"messages": HI, "tools": [TOOL, fn_tool("g")]},
        expected(A_HI, tools=[A_TOOL, {"name": "g", "input_schema": EMPTY_SCHEMA}]),
    ),
    (
        "24 required -> any",
        {"messages": HI, "tools": [TOOL], "tool_choice": "required"},
        expected(A_HI, tools=[A_TOOL], tool_choice={"type": "any"}),
    ),
    (
        "24 none -> none",
        {"messages": HI, "tools": [TOOL], "tool_choice": "none"},
        expected(A_HI, tools=[A_TOOL], tool_choice={"type": "none"}),
    ),
    (
        "auto -> auto",
        {"messages": HI, "tools": [TOOL], "tool_choice": "auto"},
        expected(A_HI, tools=[A_TOOL], tool_choice={"type": "auto"}),
    ),
    (
        "24 named -> tool",
        {
            "messages": HI,
            "tools": [TOOL],
            "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
        },
        expected(A_HI, tools=[A_TOOL], tool_choice={"type": "tool", "name": "get_weather"}),
    ),
    ("26 auto without tools omitted", {"messages": HI, "tool_choice": "auto"}, expected(A_HI)),
    (
        "parallel false without tool_choice -> auto + disable",
        {"messages": HI, "tools": [TOOL], "parallel_tool_calls": False},
        expected(
            A_HI, tools=[A_TOOL], tool_choice={"type": "auto", "disable_parallel_tool_use": True}
        ),
    ),
    (
        "parallel false with required",
        {"messages": HI, "tools": [TOOL], "tool_choice": "required", "parallel_tool_calls": False},
        expected(
            A_HI, tools=[A_TOOL], tool_choice={"type": "any", "disable_parallel_tool_use": True}
        ),
    ),
    (
        "parallel false never on none",
        {"messages": HI, "tools": [TOOL], "tool_choice": "none", "parallel_tool_calls": False},
        expected(A_HI, tools=[A_TOOL], tool_choice={"type": "none"}),
    ),
    (
        "parallel true is the default",
        {"messages": HI, "tools": [TOOL], "parallel_tool_calls": True},
        expected(A_HI, tools=[A_TOOL]),
    ),
    # response_format / user / reasoning
    (
        "29 json_schema -> output_config.format",
        {
            "messages": HI,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "x", "schema": {"type": "object"}},
            },
        },
        expected(
            A_HI, output_config={"format": {"type": "json_schema", "schema": {"type": "object"}}}
        ),
    ),
    (
        "response_format text is a no-op",
        {"messages": HI, "response_format": {"type": "text"}},
        expected(A_HI),
    ),
    (
        "user -> metadata.user_id",
        {"messages": HI, "user": "user-123"},
        expected(A_HI, metadata={"user_id": "user-123"}),
    ),
    ("30 e-mail user omitted", {"messages": HI, "user": "bob@example.com"}, expected(A_HI)),
    ("phone user omitted", {"messages": HI, "user": "+1 (555) 123-4567"}, expected(A_HI)),
    (
        "32 reasoning low -> budget 1024, default max_tokens grows",
        {"messages": HI, "reasoning_effort": "low"},
        expected(A_HI, max_tokens=8192 + 1024, thinking={"type": "enabled", "budget_tokens": 1024}),
    ),
    (
        "budget capped below max_tokens",
        {"messages": HI, "reasoning_effort": "high", "max_completion_tokens": 2000},
        expected(A_HI, max_tokens=2000, thinking={"type": "enabled", "budget_tokens": 1999}),
    ),
    ("reasoning none -> no thinking", {"messages": HI, "reasoning_effort": "none"}, expected(A_HI)),
    (
        "reasoning with temperature 1 allowed",
        {"messages": HI, "reasoning_effort": "medium", "temperature": 1},
        expected(
            A_HI,
            max_tokens=8192 + 2048,
            temperature=1,
            thinking={"type": "enabled", "budget_tokens": 2048},
        ),
    ),
    (
        "vendor thinking passes through",
        {
            "messages": HI,
            "thinking": {"type": "enabled", "budget_tokens": 3000},
            "max_tokens": 5000,
        },
        expected(A_HI, max_tokens=5000, thinking={"type": "enabled", "budget_tokens": 3000}),
    ),
    (
        "33 thinking replayed on the tool turn is kept",
        {
            "messages": [
                *HI,
                {
                    "role": "assistant",
                    "tool_calls": [call("c1", "f")],
                    "thinking_blocks": [{"type": "thinking", "thinking": "t", "signature": "s"}],
                },
                {"role": "tool", "tool_call_id": "c1", "content": "ok"},
            ],
            "tools": [fn_tool("f")],
            "reasoning_effort": "low",
        },
        expected(
            A_HI,
            a_assistant(
                {"type": "thinking", "thinking": "t", "signature": "s"},
                {"type": "tool_use", "id": "c1", "name": "f", "input": {}},
            ),
            a_user({"type": "tool_result", "tool_use_id": "c1", "content": "ok"}),
            max_tokens=8192 + 1024,
            thinking={"type": "enabled", "budget_tokens": 1024},
            tools=[{"name": "f", "input_schema": EMPTY_SCHEMA}],
        ),
    ),
    ("stream", {"messages": HI, "stream": True}, expected(A_HI, stream=True)),
]


@pytest.mark.parametrize(("name", "body", "want"), OK_CASES, ids=[c[0] for c in OK_CASES])
def test_translates(name: str, body: dict[str, Any], want: dict[str, Any]) -> None:
    result = openai_to_anthropic_request(body, model=MODEL)
    assert result.body == want
    assert result.headers == {"anthropic-version": "2023-06-01"}
    assert result.model == MODEL
    assert result.warnings == ()


ERROR_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("3 temperature > 1", {"messages": HI, "temperature": 1.5}, "temperature"),
    ("temperature not a number", {"messages": HI, "temperature": "hot"}, "temperature"),
    ("31 n=2", {"messages": HI, "n": 2}, "n"),
    ("31 logprobs", {"messages": HI, "logprobs": True}, "logprobs"),
    ("top_logprobs", {"messages": HI, "top_logprobs": 3}, "top_logprobs"),
    ("presence_penalty", {"messages": HI, "presence_penalty": 0.5}, "presence_penalty"),
    ("frequency_penalty", {"messages": HI, "frequency_penalty": 1}, "frequency_penalty"),
    ("seed", {"messages": HI, "seed": 0}, "seed"),
    ("logit_bias", {"messages": HI, "logit_bias": {"1": 2}}, "logit_bias"),
    ("legacy functions", {"messages": HI, "functions": []}, "functions"),
    ("max_tokens 0", {"messages": HI, "max_tokens": 0}, "max_tokens"),
    (
        "max_completion_tokens float",
        {"messages": HI, "max_completion_tokens": 1.5},
        "max_completion_tokens",
    ),
    ("whitespace stop", {"messages": HI, "stop": ["END", "\n"]}, "stop"),
    ("stop not strings", {"messages": HI, "stop": [1]}, "stop"),
    ("no messages", {"messages": []}, "messages"),
    ("10 only system messages", {"messages": [{"role": "system", "content": "A"}]}, "messages"),
    ("11 empty user content", {"messages": [user("")]}, "messages[0].content"),
    ("all-empty user parts", {"messages": [user([text("")])]}, "messages[0].content"),
    ("bad role", {"messages": [{"role": "function", "content": "x"}]}, "messages[0].role"),
    (
        "unsupported media type",
        {
            "messages": [
                user([{"type": "image_url", "image_url": {"url": f"data:image/bmp;base64,{PNG}"}}])
            ]
        },
        "messages[0].content[0].image_url",
    ),
    (
        "bad base64",
        {
            "messages": [
                user([{"type": "image_url", "image_url": {"url": "data:image/png;base64,@@@"}}])
            ]
        },
        "messages[0].content[0].image_url",
    ),
    (
        "data URL without base64",
        {"messages": [user([{"type": "image_url", "image_url": {"url": "data:image/png,abc"}}])]},
        "messages[0].content[0].image_url",
    ),
    (
        "http URL",
        {"messages": [user([{"type": "image_url", "image_url": {"url": "http://x/a.png"}}])]},
        "messages[0].content[0].image_url",
    ),
    (
        "input_audio",
        {"messages": [user([{"type": "input_audio", "input_audio": {}}])]},
        "messages[0].content[0]",
    ),
    (
        "file id",
        {"messages": [user([{"type": "file", "file": {"file_id": "f1"}}])]},
        "messages[0].content[0]",
    ),
    (
        "invalid tool arguments",
        {"messages": [*HI, {"role": "assistant", "tool_calls": [call("c", "f", "{")]}]},
        "messages[1].tool_calls[0].function.arguments",
    ),
    (
        "non-object tool arguments",
        {"messages": [*HI, {"role": "assistant", "tool_calls": [call("c", "f", "[1]")]}]},
        "messages[1].tool_calls[0].function.arguments",
    ),
    (
        "tool call without id",
        {
            "messages": [
                *HI,
                {
                    "role": "assistant",
                    "tool_calls": [{"type": "function", "function": {"name": "f"}}],
                },
            ]
        },
        "messages[1].tool_calls[0].id",
    ),
    (
        "empty assistant",
        {"messages": [*HI, {"role": "assistant", "content": None}]},
        "messages[1].content",
    ),
    (
        "tool message without id",
        {"messages": [*HI, {"role": "tool", "content": "x"}]},
        "messages[1].tool_call_id",
    ),
    ("non-function tool", {"messages": HI, "tools": [{"type": "web_search"}]}, "tools[0].type"),
    (
        "non-object schema",
        {"messages": HI, "tools": [fn_tool("f", parameters={"type": "array"})]},
        "tools[0].function.parameters.type",
    ),
    ("required without tools", {"messages": HI, "tool_choice": "required"}, "tool_choice"),
    (
        "named unknown tool",
        {
            "messages": HI,
            "tools": [TOOL],
            "tool_choice": {"type": "function", "function": {"name": "nope"}},
        },
        "tool_choice.function.name",
    ),
    (
        "bad tool_choice",
        {"messages": HI, "tools": [TOOL], "tool_choice": "sometimes"},
        "tool_choice",
    ),
    (
        "json_object",
        {"messages": HI, "response_format": {"type": "json_object"}},
        "response_format",
    ),
    (
        "json_schema without schema",
        {"messages": HI, "response_format": {"type": "json_schema", "json_schema": {"name": "x"}}},
        "response_format.json_schema",
    ),
    (
        "unknown reasoning_effort",
        {"messages": HI, "reasoning_effort": "extreme"},
        "reasoning_effort",
    ),
    (
        "reasoning with temperature != 1",
        {"messages": HI, "reasoning_effort": "low", "temperature": 0.2},
        "temperature",
    ),
    (
        "reasoning with too few max tokens",
        {"messages": HI, "reasoning_effort": "low", "max_tokens": 1024},
        "reasoning_effort",
    ),
]


@pytest.mark.parametrize(("name", "body", "param"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_rejects(name: str, body: dict[str, Any], param: str) -> None:
    with pytest.raises(TranslationError) as info:
        openai_to_anthropic_request(body, model=MODEL)
    assert (info.value.status, info.value.param) == (400, param)
    assert info.value.message


def test_reasoning_on_a_model_without_thinking() -> None:
    with pytest.raises(TranslationError) as info:
        openai_to_anthropic_request(
            {"messages": HI, "reasoning_effort": "low"}, model="claude-3-5-haiku"
        )
    assert info.value.param == "reasoning_effort"


@pytest.mark.parametrize(
    ("model", "max_tokens"),
    [
        ("claude-3-haiku-20240307", 4096),
        ("claude-3-5-sonnet-latest", 8192),
        ("us.anthropic.claude-opus-4-1-20250805-v1:0", 8192),
        ("my-local-model", 4096),
    ],
)
def test_default_max_tokens_table(model: str, max_tokens: int) -> None:
    assert (
        openai_to_anthropic_request({"messages": HI}, model=model).body["max_tokens"] == max_tokens
    )


def test_adaptive_model_uses_effort() -> None:
    body = {
        "messages": HI,
        "reasoning_effort": "xhigh",
        "response_format": {"type": "json_schema", "json_schema": {"schema": {"type": "object"}}},
    }
    result = openai_to_anthropic_request(body, model="claude-opus-4-6")
    assert result.body == {
        "model": "claude-opus-4-6",
        "max_tokens": 8192,
        "messages": [A_HI],
        "thinking": {"type": "adaptive"},
        "output_config": {
            "effort": "max",
            "format": {"type": "json_schema", "schema": {"type": "object"}},
        },
    }


def test_33_missing_thinking_replay_drops_thinking_with_warning() -> None:
    body = {
        "messages": [
            *HI,
            {"role": "assistant", "tool_calls": [call("c1", "f")]},
            {"role": "tool", "tool_call_id": "c1", "content": "ok"},
        ],
        "tools": [fn_tool("f")],
        "reasoning_effort": "low",
    }
    result = openai_to_anthropic_request(body, model=MODEL)
    assert "thinking" not in result.body
    assert result.body["max_tokens"] == 8192 + 1024
    assert result.warnings == ("thinking disabled: the last tool-use turn has no thinking_blocks",)


def test_cache_breakpoints_capped_at_four_keeping_the_latest() -> None:
    body = {
        "tools": [fn_tool("f", cache_control=EPH)],
        "messages": [
            {"role": "system", "content": [text("s", cache_control=EPH)]},
            *[user(str(i), cache_control=EPH) for i in range(4)],
        ],
    }
    result = openai_to_anthropic_request(body, model=MODEL)
    assert result.body["tools"] == [{"name": "f", "input_schema": EMPTY_SCHEMA}]
    assert result.body["system"] == [text("s")]
    assert result.body["messages"] == [a_user(*[text(str(i), cache_control=EPH) for i in range(4)])]
    assert result.warnings == (
        "removed the 2 earliest cache_control breakpoint(s): Anthropic allows 4",
    )


@pytest.mark.parametrize(
    ("body", "stream", "include_usage"),
    [
        ({}, False, False),
        ({"stream": True}, True, False),
        ({"stream": True, "stream_options": {"include_usage": True}}, True, True),
        ({"stream": False, "stream_options": {"include_usage": True}}, False, False),
    ],
)
def test_stream_flags(body: dict[str, Any], stream: bool, include_usage: bool) -> None:
    result = openai_to_anthropic_request({"messages": HI, **body}, model=MODEL)
    assert (result.stream, result.include_usage) == (stream, include_usage)


def test_name_maps_map_back() -> None:
    body = {
        "messages": [
            *HI,
            {"role": "assistant", "tool_calls": [call("call.1", "a.b")]},
            {"role": "tool", "tool_call_id": "call.1", "content": "x"},
        ],
        "tools": [fn_tool("a.b"), fn_tool("a_b")],
    }
    result = openai_to_anthropic_request(body, model=MODEL)
    assert [t["name"] for t in result.body["tools"]] == ["a_b", "a_b_2"]
    assert result.tool_names.to_client("a_b") == "a.b"
    assert result.tool_names.to_client("a_b_2") == "a_b"
    assert result.tool_ids.to_client("call_1") == "call.1"
    assert result.tool_ids.to_client("toolu_new") == "toolu_new"
