"""OpenAI chat and Anthropic messages <-> AWS Bedrock Converse, AWSAnthropic InvokeModel."""

from __future__ import annotations

import base64
import json
import random
from typing import Any

import pytest

from gateway.translation.cloud import cloud_translator
from gateway.translation.errors import TranslationError
from gateway.translation.eventstream import event, exception

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()
TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


def _prepare(endpoint: str, schema: str, body: dict[str, Any], model: str = "m") -> Any:
    upstream = cloud_translator(endpoint, schema, body, model).prepare()  # type: ignore[arg-type]
    return upstream.path, json.loads(upstream.body), upstream.stream


def test_openai_chat_to_converse_request() -> None:
    body = {
        "model": "x",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is this?"},
                    {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}},
                ],
            },
            {
                "role": "assistant",
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
        ],
        "tools": [TOOL],
        "tool_choice": "required",
        "stop": ["END"],
        "temperature": 0.5,
        "max_tokens": 100,
    }
    path, out, stream = _prepare("chat", "AWSBedrock", body, "anthropic.claude-3-5-sonnet:0")
    assert path == "/model/anthropic.claude-3-5-sonnet%3A0/converse" and stream is False
    assert out["system"] == [{"text": "Be brief."}]
    assert out["inferenceConfig"] == {
        "maxTokens": 100,
        "temperature": 0.5,
        "stopSequences": ["END"],
    }
    user, assistant, result = out["messages"]
    assert user["content"][1] == {"image": {"format": "png", "source": {"bytes": PNG}}}
    assert assistant["content"] == [
        {"toolUse": {"toolUseId": "call_1", "name": "get_weather", "input": {"city": "Paris"}}}
    ]
    assert result["content"][0]["toolResult"]["toolUseId"] == "call_1"
    assert result["content"][0]["toolResult"]["content"] == [{"text": "sunny"}]
    assert out["toolConfig"]["toolChoice"] == {"any": {}}
    assert out["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"]["json"]["type"] == "object"


def test_openai_without_max_tokens_leaves_the_model_default() -> None:
    body = {"model": "x", "messages": [{"role": "user", "content": "hi"}], "stream": True}
    path, out, stream = _prepare("chat", "AWSBedrock", body, "amazon.nova-lite-v1:0")
    assert path.endswith("/converse-stream") and stream is True
    assert "inferenceConfig" not in out


def test_anthropic_cache_control_becomes_cache_points() -> None:
    body = {
        "model": "c",
        "max_tokens": 10,
        "system": [{"type": "text", "text": "sys", "cache_control": {"type": "ephemeral"}}],
        "messages": [
            {
                "role": "user",
                "content": [{"type": "text", "text": "q", "cache_control": {"type": "ephemeral"}}],
            }
        ],
        "thinking": {"type": "enabled", "budget_tokens": 1024},
        "top_k": 5,
    }
    _, out, _ = _prepare("messages", "AWSBedrock", body)
    assert out["system"] == [{"text": "sys"}, {"cachePoint": {"type": "default"}}]
    assert out["messages"][0]["content"][1] == {"cachePoint": {"type": "default"}}
    assert out["additionalModelRequestFields"] == {
        "top_k": 5,
        "thinking": {"type": "enabled", "budget_tokens": 1024},
    }


def test_url_images_are_refused_naming_the_block() -> None:
    body = {
        "model": "c",
        "max_tokens": 10,
        "messages": [
            {
                "role": "user",
                "content": [{"type": "image", "source": {"type": "url", "url": "https://x/a.png"}}],
            }
        ],
    }
    with pytest.raises(TranslationError) as info:
        _prepare("messages", "AWSBedrock", body)
    assert info.value.status == 400 and info.value.param == "messages.0.content.0"


CONVERSE_RESPONSE = {
    "output": {
        "message": {
            "role": "assistant",
            "content": [
                {"reasoningContent": {"reasoningText": {"text": "hmm", "signature": "sig"}}},
                {"text": "Calling."},
                {"toolUse": {"toolUseId": "tu1", "name": "get_weather", "input": {"city": "Oslo"}}},
            ],
        }
    },
    "stopReason": "tool_use",
    "usage": {
        "inputTokens": 10,
        "outputTokens": 5,
        "totalTokens": 45,
        "cacheReadInputTokens": 20,
        "cacheWriteInputTokens": 10,
    },
}


def test_converse_response_to_openai() -> None:
    body = {"model": "x", "messages": [{"role": "user", "content": "hi"}], "tools": [TOOL]}
    translator = cloud_translator("chat", "AWSBedrock", body, "m")
    translator.prepare()
    raw, usage = translator.response(json.dumps(CONVERSE_RESPONSE).encode())
    resp = json.loads(raw)
    choice = resp["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    assert choice["message"]["content"] == "Calling."
    assert choice["message"]["reasoning_content"] == "hmm"
    assert choice["message"]["tool_calls"][0]["function"] == {
        "name": "get_weather",
        "arguments": '{"city":"Oslo"}',
    }
    assert resp["usage"]["prompt_tokens"] == 40
    assert resp["usage"]["prompt_tokens_details"]["cached_tokens"] == 20
    assert (usage.input_tokens, usage.cached_input_tokens, usage.cache_creation_input_tokens) == (
        40,
        20,
        10,
    )


def test_converse_response_to_anthropic() -> None:
    body = {"model": "c", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}
    translator = cloud_translator("messages", "AWSBedrock", body, "m")
    translator.prepare()
    message = json.loads(translator.response(json.dumps(CONVERSE_RESPONSE).encode())[0])
    assert [b["type"] for b in message["content"]] == ["thinking", "text", "tool_use"]
    assert message["stop_reason"] == "tool_use"
    assert message["usage"] == {
        "input_tokens": 10,
        "cache_creation_input_tokens": 10,
        "cache_read_input_tokens": 20,
        "output_tokens": 5,
    }


def _converse_stream() -> bytes:
    def ev(name: str, payload: dict[str, Any]) -> bytes:
        return event(name, json.dumps(payload).encode())

    return b"".join(
        [
            ev("messageStart", {"role": "assistant"}),
            ev("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Hello "}}),
            ev("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "world"}}),
            ev("contentBlockStop", {"contentBlockIndex": 0}),
            ev(
                "contentBlockStart",
                {
                    "contentBlockIndex": 1,
                    "start": {"toolUse": {"toolUseId": "t1", "name": "get_weather"}},
                },
            ),
            ev(
                "contentBlockDelta",
                {"contentBlockIndex": 1, "delta": {"toolUse": {"input": '{"ci'}}},
            ),
            ev(
                "contentBlockDelta",
                {"contentBlockIndex": 1, "delta": {"toolUse": {"input": 'ty":"A"}'}}},
            ),
            ev("contentBlockStop", {"contentBlockIndex": 1}),
            ev("messageStop", {"stopReason": "tool_use"}),
            ev(
                "metadata",
                {"usage": {"inputTokens": 3, "outputTokens": 7, "cacheReadInputTokens": 2}},
            ),
        ]
    )


def _feed_randomly(stream: Any, data: bytes) -> list[bytes]:
    rng = random.Random(7)
    frames: list[bytes] = []
    i = 0
    while i < len(data):
        step = rng.randint(1, 40)
        frames += stream.feed(data[i : i + step])
        i += step
    return frames + stream.finish()


def _data_frames(frames: list[bytes]) -> list[Any]:
    out = []
    for frame in b"".join(frames).split(b"\n\n"):
        for line in frame.split(b"\n"):
            if line.startswith(b"data: ") and line != b"data: [DONE]":
                out.append(json.loads(line[6:]))
    return out


def test_converse_stream_to_openai_chunks() -> None:
    body = {
        "model": "x",
        "messages": [{"role": "user", "content": "hi"}],
        "tools": [TOOL],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    translator = cloud_translator("chat", "AWSBedrock", body, "m")
    translator.prepare()
    relay = translator.stream()
    frames = _feed_randomly(relay, _converse_stream())
    chunks = _data_frames(frames)
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == "Hello world"
    args = "".join(
        call["function"].get("arguments", "")
        for c in chunks
        if c["choices"]
        for call in c["choices"][0]["delta"].get("tool_calls", [])
    )
    assert args == '{"city":"A"}'
    assert [c["choices"][0]["finish_reason"] for c in chunks if c["choices"]][-1] == "tool_calls"
    assert chunks[-1]["usage"]["prompt_tokens"] == 5
    assert frames[-1] == b"data: [DONE]\n\n"
    assert relay.complete and relay.usage.output_tokens == 7


def test_converse_stream_to_anthropic_events() -> None:
    body = {
        "model": "c",
        "max_tokens": 9,
        "messages": [{"role": "user", "content": "hi"}],
        "stream": True,
    }
    translator = cloud_translator("messages", "AWSBedrock", body, "m")
    translator.prepare()
    relay = translator.stream()
    frames = _feed_randomly(relay, _converse_stream())
    names = [f.split(b"\n", 1)[0].decode() for f in frames]
    assert names == [
        "event: message_start",
        "event: content_block_start",
        "event: content_block_delta",
        "event: content_block_delta",
        "event: content_block_stop",
        "event: content_block_start",
        "event: content_block_delta",
        "event: content_block_delta",
        "event: content_block_stop",
        "event: message_delta",
        "event: message_stop",
    ]
    assert relay.usage.cached_input_tokens == 2 and relay.complete


def test_midstream_exception_becomes_an_error_event() -> None:
    body = {
        "model": "c",
        "max_tokens": 9,
        "messages": [{"role": "user", "content": "hi"}],
        "stream": True,
    }
    translator = cloud_translator("messages", "AWSBedrock", body, "m")
    translator.prepare()
    relay = translator.stream()
    data = event("messageStart", b'{"role":"assistant"}') + exception(
        "throttlingException", b'{"message":"Too many requests"}'
    )
    frames = relay.feed(data) + relay.finish()
    assert frames[-1].startswith(b"event: error\n")
    assert json.loads(frames[-1].split(b"data: ", 1)[1])["error"] == {
        "type": "rate_limit_error",
        "message": "Too many requests",
    }
    assert not relay.complete


def test_aws_anthropic_request_and_stream() -> None:
    body = {
        "model": "claude",
        "max_tokens": 5,
        "messages": [{"role": "user", "content": "hi"}],
        "stream": True,
    }
    translator = cloud_translator(
        "messages",
        "AWSAnthropic",
        body,
        "anthropic.claude-3:0",
        beta_header="pdfs-2024-09-25, bogus",
    )
    upstream = translator.prepare()
    sent = json.loads(upstream.body)
    assert upstream.path == "/model/anthropic.claude-3%3A0/invoke-with-response-stream"
    assert sent["anthropic_version"] == "bedrock-2023-05-31" and sent["anthropic_beta"] == [
        "pdfs-2024-09-25"
    ]
    assert "model" not in sent and "stream" not in sent
    inner = [
        {
            "type": "message_start",
            "message": {
                "id": "m",
                "type": "message",
                "role": "assistant",
                "model": "c",
                "content": [],
                "usage": {"input_tokens": 4, "output_tokens": 1},
            },
        },
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}},
        {"type": "content_block_stop", "index": 0},
        {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn"},
            "usage": {"output_tokens": 2},
        },
        {"type": "message_stop", "amazon-bedrock-invocationMetrics": {"inputTokenCount": 4}},
    ]
    data = b"".join(
        event(
            "chunk",
            json.dumps({"bytes": base64.b64encode(json.dumps(e).encode()).decode()}).encode(),
        )
        for e in inner
    )
    relay = translator.stream()
    frames = _feed_randomly(relay, data)
    assert len(frames) == 6 and b"invocationMetrics" not in b"".join(frames)
    assert relay.usage.input_tokens == 4 and relay.usage.output_tokens == 2 and relay.complete


def test_bedrock_errors_in_both_client_shapes() -> None:
    body = {"model": "x", "messages": [{"role": "user", "content": "hi"}]}
    err = b'{"message":"The security token included in the request is invalid."}'
    kind = "UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/"
    openai = cloud_translator("chat", "AWSBedrock", body, "m")
    assert json.loads(openai.error(403, err, "application/json", kind))["error"] == {
        "type": "UnrecognizedClientException",
        "code": "403",
        "message": "The security token included in the request is invalid.",
        "param": None,
    }
    anthropic = cloud_translator(
        "messages", "AWSAnthropic", {"model": "c", "max_tokens": 1, "messages": []}, "m"
    )
    assert json.loads(
        anthropic.error(429, b'{"message":"slow"}', "application/json", "ThrottlingException")
    )["error"] == {"type": "rate_limit_error", "message": "slow"}


def test_titan_embeddings() -> None:
    translator = cloud_translator(
        "embeddings",
        "AWSBedrock",
        {"input": "hello", "dimensions": 256},
        "amazon.titan-embed-text-v2:0",
    )
    upstream = translator.prepare()
    assert upstream.path == "/model/amazon.titan-embed-text-v2%3A0/invoke"
    assert json.loads(upstream.body) == {"inputText": "hello", "dimensions": 256}
    raw, usage = translator.response(b'{"embedding":[0.5,-1.0],"inputTextTokenCount":2}')
    assert json.loads(raw)["data"] == [
        {"object": "embedding", "index": 0, "embedding": [0.5, -1.0]}
    ]
    assert usage.input_tokens == 2
    with pytest.raises(TranslationError, match="batch"):
        cloud_translator("embeddings", "AWSBedrock", {"input": ["a", "b"]}, "t").prepare()
