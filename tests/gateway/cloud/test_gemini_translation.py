"""OpenAI chat and embeddings <-> Vertex AI Gemini, GCPAnthropic rawPredict."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gateway.translation.cloud import cloud_translator
from gateway.translation.errors import TranslationError
from gateway.translation.gemini.schema import json_schema_to_gemini

TOOL = {
    "type": "function",
    "function": {
        "name": "lookup",
        "parameters": {
            "type": "object",
            "properties": {"q": {"$ref": "#/$defs/Q"}, "n": {"type": ["integer", "null"]}},
            "required": ["q"],
            "$defs": {"Q": {"type": "string", "enum": ["a", "b"]}},
            "additionalProperties": False,
        },
    },
}


def _prepare(body: dict[str, Any], model: str = "gemini-1.5-pro") -> tuple[str, Any]:
    upstream = cloud_translator("chat", "GCPVertexAI", body, model).prepare()
    return upstream.path, json.loads(upstream.body)


def test_chat_to_generate_content() -> None:
    body = {
        "model": "g",
        "messages": [
            {"role": "system", "content": "Be terse."},
            {"role": "user", "content": "look up a"},
            {
                "role": "assistant",
                "content": "ok",
                "tool_calls": [
                    {
                        "id": "c1",
                        "type": "function",
                        "function": {"name": "lookup", "arguments": '{"q":"a"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "c1", "content": "found"},
            {
                "role": "user",
                "content": [{"type": "image_url", "image_url": {"url": "gs://b/x.png"}}],
            },
        ],
        "tools": [TOOL],
        "tool_choice": {"type": "function", "function": {"name": "lookup"}},
        "max_completion_tokens": 50,
        "stop": "END",
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "r", "schema": {"type": "object"}},
        },
    }
    path, out = _prepare(body)
    assert path == "publishers/google/models/gemini-1.5-pro:generateContent"
    assert out["systemInstruction"] == {"parts": [{"text": "Be terse."}]}
    assert [c["role"] for c in out["contents"]] == ["user", "model", "user"]
    assert out["contents"][1]["parts"][1] == {
        "functionCall": {"name": "lookup", "args": {"q": "a"}}
    }
    assert out["contents"][2]["parts"] == [
        {"functionResponse": {"name": "lookup", "response": {"output": "found"}}},
        {"fileData": {"mimeType": "image/png", "fileUri": "gs://b/x.png"}},
    ]
    params = out["tools"][0]["functionDeclarations"][0]["parameters"]
    assert params["properties"]["q"] == {"type": "STRING", "enum": ["a", "b"]}
    assert params["properties"]["n"] == {"type": "INTEGER", "nullable": True}
    assert "additionalProperties" not in params
    assert out["toolConfig"] == {
        "functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["lookup"]}
    }
    config = out["generationConfig"]
    assert config["maxOutputTokens"] == 50 and config["stopSequences"] == ["END"]
    assert config["responseSchema"] == {"type": "OBJECT"}


def test_gemini_25_takes_json_schema_natively_and_streams_over_sse() -> None:
    body = {
        "model": "g",
        "messages": [{"role": "user", "content": "hi"}],
        "tools": [TOOL],
        "stream": True,
    }
    path, out = _prepare(body, "gemini-2.5-flash")
    assert path == "publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
    assert (
        out["tools"][0]["functionDeclarations"][0]["parametersJsonSchema"]
        == TOOL["function"]["parameters"]
    )


def test_schema_mapping_rules() -> None:
    schema = {
        "anyOf": [{"type": "string"}, {"type": "null"}],
        "description": "d",
    }
    assert json_schema_to_gemini(schema, "p") == {
        "description": "d",
        "type": "STRING",
        "nullable": True,
    }
    recursive = {
        "$ref": "#/$defs/N",
        "$defs": {"N": {"type": "object", "properties": {"c": {"$ref": "#/$defs/N"}}}},
    }
    with pytest.raises(TranslationError, match="recursive"):
        json_schema_to_gemini(recursive, "p")


def test_tool_result_without_a_call_is_refused() -> None:
    body = {"model": "g", "messages": [{"role": "tool", "tool_call_id": "nope", "content": "x"}]}
    with pytest.raises(TranslationError) as info:
        _prepare(body)
    assert info.value.param == "messages[0]"


GEMINI_RESPONSE = {
    "candidates": [
        {
            "content": {
                "role": "model",
                "parts": [
                    {"text": "thinking...", "thought": True},
                    {"text": "Here."},
                    {"functionCall": {"name": "lookup", "args": {"q": "b"}}},
                ],
            },
            "finishReason": "STOP",
        }
    ],
    "usageMetadata": {
        "promptTokenCount": 12,
        "candidatesTokenCount": 4,
        "thoughtsTokenCount": 3,
        "cachedContentTokenCount": 8,
        "totalTokenCount": 19,
    },
    "modelVersion": "gemini-1.5-pro-002",
    "responseId": "resp1",
    "createTime": "2025-01-01T00:00:00Z",
}


def test_generate_content_response_to_openai() -> None:
    translator = cloud_translator(
        "chat", "GCPVertexAI", {"messages": [{"role": "user", "content": "x"}]}, "g"
    )
    raw, usage = translator.response(json.dumps(GEMINI_RESPONSE).encode())
    resp = json.loads(raw)
    assert (
        resp["id"] == "resp1"
        and resp["created"] == 1735689600
        and resp["model"] == "gemini-1.5-pro-002"
    )
    choice = resp["choices"][0]
    assert choice["finish_reason"] == "tool_calls" and choice["native_finish_reason"] == "STOP"
    assert (
        choice["message"]["content"] == "Here."
        and choice["message"]["reasoning_content"] == "thinking..."
    )
    assert choice["message"]["tool_calls"][0]["function"] == {
        "name": "lookup",
        "arguments": '{"q":"b"}',
    }
    assert resp["usage"]["completion_tokens"] == 7
    assert resp["usage"]["prompt_tokens_details"]["cached_tokens"] == 8
    assert (usage.input_tokens, usage.output_tokens, usage.reasoning_tokens) == (12, 7, 3)


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("MAX_TOKENS", "length"),
        ("SAFETY", "content_filter"),
        ("RECITATION", "content_filter"),
        ("OTHER", "stop"),
    ],
)
def test_finish_reasons(reason: str, expected: str) -> None:
    resp = {"candidates": [{"content": {"parts": [{"text": "x"}]}, "finishReason": reason}]}
    translator = cloud_translator(
        "chat", "GCPVertexAI", {"messages": [{"role": "user", "content": "x"}]}, "g"
    )
    assert (
        json.loads(translator.response(json.dumps(resp).encode())[0])["choices"][0]["finish_reason"]
        == expected
    )


def test_stream_generate_content_to_openai_chunks() -> None:
    body = {
        "messages": [{"role": "user", "content": "x"}],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    translator = cloud_translator("chat", "GCPVertexAI", body, "g")
    events = [
        {
            "candidates": [{"content": {"role": "model", "parts": [{"text": "Hel"}]}}],
            "responseId": "r",
        },
        {
            "candidates": [
                {"content": {"role": "model", "parts": [{"text": "lo"}]}, "finishReason": "STOP"}
            ],
            "usageMetadata": {
                "promptTokenCount": 2,
                "candidatesTokenCount": 1,
                "totalTokenCount": 3,
            },
        },
    ]
    data = b"".join(b"data: " + json.dumps(e).encode() + b"\r\n\r\n" for e in events)
    relay = translator.stream()
    frames = [
        f for i in range(0, len(data), 7) for f in relay.feed(data[i : i + 7])
    ] + relay.finish()
    chunks = [json.loads(f[6:]) for f in frames if f != b"data: [DONE]\n\n"]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": "Hel"}
    assert chunks[1]["choices"][0]["delta"] == {"content": "lo"}
    assert chunks[2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[3]["choices"] == [] and chunks[3]["usage"]["total_tokens"] == 3
    assert all(c["id"] == "r" for c in chunks)
    assert frames[-1] == b"data: [DONE]\n\n" and relay.complete


def test_stream_without_finish_is_an_error() -> None:
    translator = cloud_translator(
        "chat", "GCPVertexAI", {"messages": [{"role": "user", "content": "x"}], "stream": True}, "g"
    )
    relay = translator.stream()
    frames = (
        relay.feed(b'data: {"candidates":[{"content":{"parts":[{"text":"a"}]}}]}\n\n')
        + relay.finish()
    )
    assert b"ended before a finishReason" in frames[-2] and not relay.complete


def test_vertex_errors_map_to_openai() -> None:
    translator = cloud_translator(
        "chat", "GCPVertexAI", {"messages": [{"role": "user", "content": "x"}]}, "g"
    )
    body = b'{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}'
    assert (
        json.loads(translator.error(429, body, "application/json", None))["error"]["type"]
        == "RESOURCE_EXHAUSTED"
    )


def test_gcp_anthropic_request_keeps_stream_and_sets_version() -> None:
    body = {
        "model": "claude",
        "max_tokens": 5,
        "messages": [{"role": "user", "content": "hi"}],
        "stream": True,
    }
    upstream = cloud_translator(
        "messages", "GCPAnthropic", body, "claude-3-5-sonnet@20240620"
    ).prepare()
    assert (
        upstream.path == "publishers/anthropic/models/claude-3-5-sonnet%4020240620:streamRawPredict"
    )
    sent = json.loads(upstream.body)
    assert (
        sent["anthropic_version"] == "vertex-2023-10-16"
        and sent["stream"] is True
        and "model" not in sent
    )


def test_openai_chat_to_gcp_anthropic() -> None:
    body = {"model": "x", "messages": [{"role": "user", "content": "hi"}]}
    translator = cloud_translator("chat", "GCPAnthropic", body, "claude-sonnet-4")
    upstream = translator.prepare()
    assert upstream.path.endswith(":rawPredict")
    assert json.loads(upstream.body)["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "hi"}]}
    ]
    message = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude",
        "content": [{"type": "text", "text": "yo"}],
        "stop_reason": "end_turn",
        "usage": {"input_tokens": 1, "output_tokens": 1},
    }
    resp = json.loads(translator.response(json.dumps(message).encode())[0])
    assert resp["choices"][0]["message"]["content"] == "yo"


def test_vertex_embeddings() -> None:
    body = {
        "input": ["a", "b"],
        "dimensions": 2,
        "encoding_format": "base64",
        "task_type": "RETRIEVAL_QUERY",
    }
    translator = cloud_translator("embeddings", "GCPVertexAI", body, "text-embedding-005")
    upstream = translator.prepare()
    assert upstream.path == "publishers/google/models/text-embedding-005:predict"
    assert json.loads(upstream.body) == {
        "instances": [
            {"content": "a", "task_type": "RETRIEVAL_QUERY"},
            {"content": "b", "task_type": "RETRIEVAL_QUERY"},
        ],
        "parameters": {"outputDimensionality": 2},
    }
    answer = {
        "predictions": [{"embeddings": {"values": [1.0, 0.0], "statistics": {"token_count": 1}}}]
        * 2
    }
    raw, usage = translator.response(json.dumps(answer).encode())
    data = json.loads(raw)["data"]
    assert data[1]["embedding"] == "AACAPwAAAAA=" and usage.input_tokens == 2
