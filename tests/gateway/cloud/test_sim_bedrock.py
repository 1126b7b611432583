"""The simulator's Bedrock runtime, held to the wire by botocore and anthropic[bedrock]."""

from __future__ import annotations

import json
from typing import Any

import anthropic
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.gateway.cloud.conftest import AUTH

CLAUDE = "anthropic.claude-3-5-sonnet-20241022-v2:0"


def _client(url: str, secret: str = AUTH.aws_secret_access_key, **extra: Any) -> Any:
    session = botocore.session.get_session()
    return session.create_client(
        "bedrock-runtime",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id=AUTH.aws_access_key_id,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}),
        **extra,
    )


def test_converse_with_botocore(sim_url: str) -> None:
    client = _client(sim_url)
    answer = client.converse(
        modelId=CLAUDE,
        messages=[{"role": "user", "content": [{"text": "Hello there"}]}],
        system=[{"text": "Be kind."}],
        inferenceConfig={"maxTokens": 200},
    )
    text = answer["output"]["message"]["content"][0]["text"]
    assert text.startswith("[system: Be kind.] Simulated reply to: Hello there.")
    assert answer["stopReason"] == "end_turn"
    assert (
        answer["usage"]["inputTokens"] > 0 and answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    )


def test_converse_stream_is_read_by_botocores_event_stream_parser(sim_url: str) -> None:
    client = _client(sim_url)
    tools = {
        "tools": [
            {
                "toolSpec": {
                    "name": "get_weather",
                    "inputSchema": {
                        "json": {"type": "object", "properties": {"city": {"type": "string"}}}
                    },
                }
            }
        ]
    }
    answer = client.converse_stream(
        modelId=CLAUDE,
        messages=[{"role": "user", "content": [{"text": "use get_weather please"}]}],
        toolConfig=tools,
    )
    events = list(answer["stream"])
    kinds = [next(iter(e)) for e in events]
    assert kinds[0] == "messageStart" and kinds[-2:] == ["messageStop", "metadata"]
    text = "".join(
        e["contentBlockDelta"]["delta"].get("text", "") for e in events if "contentBlockDelta" in e
    )
    assert text == "Calling get_weather."
    start = next(e["contentBlockStart"] for e in events if "contentBlockStart" in e)
    assert start["start"]["toolUse"]["name"] == "get_weather"
    args = "".join(
        e["contentBlockDelta"]["delta"]["toolUse"]["input"]
        for e in events
        if "toolUse" in e.get("contentBlockDelta", {}).get("delta", {})
    )
    assert json.loads(args) == {"city": "sample city"}
    assert events[-2]["messageStop"]["stopReason"] == "tool_use"


def test_invoke_model_and_stream(sim_url: str) -> None:
    client = _client(sim_url)
    body = {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 50,
        "messages": [{"role": "user", "content": "Hi"}],
    }
    answer = json.loads(client.invoke_model(modelId=CLAUDE, body=json.dumps(body))["body"].read())
    assert answer["content"][0]["text"].startswith("Simulated reply to: Hi.")
    stream = client.invoke_model_with_response_stream(modelId=CLAUDE, body=json.dumps(body))["body"]
    events = [json.loads(e["chunk"]["bytes"]) for e in stream]
    assert events[0]["type"] == "message_start" and events[-1]["type"] == "message_stop"
    assert "amazon-bedrock-invocationMetrics" in events[-1]


def test_titan_embeddings(sim_url: str) -> None:
    client = _client(sim_url)
    raw = client.invoke_model(
        modelId="amazon.titan-embed-text-v2:0",
        body=json.dumps({"inputText": "hi", "dimensions": 256}),
    )
    answer = json.loads(raw["body"].read())
    assert len(answer["embedding"]) == 256 and answer["inputTextTokenCount"] == 1


def test_wrong_secret_gets_bedrocks_signature_error(sim_url: str) -> None:
    with pytest.raises(ClientError) as info:
        _client(sim_url, secret="not-the-secret").converse(
            modelId=CLAUDE, messages=[{"role": "user", "content": [{"text": "x"}]}]
        )
    error = info.value.response["Error"]
    assert error["Code"] == "InvalidSignatureException"
    assert error["Message"].startswith("The request signature we calculated does not match")
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_injected_throttling_and_midstream_exception(sim_url: str) -> None:
    client = _client(sim_url)
    client.meta.events.register(
        "before-send.*", lambda request, **_: request.headers.__setitem__("x-sim-status", "429")
    )
    with pytest.raises(ClientError) as info:
        client.converse(modelId=CLAUDE, messages=[{"role": "user", "content": [{"text": "x"}]}])
    assert info.value.response["Error"]["Code"] == "ThrottlingException"
    failing = _client(sim_url)
    failing.meta.events.register(
        "before-send.*",
        lambda request, **_: request.headers.__setitem__("x-sim-fail-after-events", "2"),
    )
    stream = failing.converse_stream(
        modelId=CLAUDE, messages=[{"role": "user", "content": [{"text": "x"}]}]
    )["stream"]
    with pytest.raises(Exception, match=r"(?i)internalServerException"):
        list(stream)


def test_anthropic_bedrock_client(sim_url: str) -> None:
    with anthropic.AnthropicBedrock(
        aws_access_key=AUTH.aws_access_key_id,
        aws_secret_key=AUTH.aws_secret_access_key,
        aws_region="us-east-1",
        base_url=sim_url,
        max_retries=0,
    ) as client:
        message = client.messages.create(
            model=CLAUDE, max_tokens=64, messages=[{"role": "user", "content": "Hello"}]
        )
        assert message.content[0].type == "text" and message.content[0].text.startswith(
            "Simulated reply to: Hello."
        )
        with client.messages.stream(
            model=CLAUDE, max_tokens=64, messages=[{"role": "user", "content": "Hello"}]
        ) as stream:
            text = "".join(stream.text_stream)
        assert text == message.content[0].text
