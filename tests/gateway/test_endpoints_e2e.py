"""Every endpoint through the gateway to the simulator, with the official SDKs as clients.

One bundle serves each backend schema: OpenAI, Azure OpenAI (deployment path, api-version,
`api-key`), Anthropic, Cohere (v2 rerank) and an OpenAI-schema backend behind Anthropic Messages
clients (upstream's anthropic_openai translation).
"""

from __future__ import annotations

import base64
import io
import struct

import cohere
import httpx
import pytest

from tests.gateway.gw_helpers import Stack, access_line, provider, route, rule
from tests.gateway.gw_helpers import sdk_anthropic as _anthropic
from tests.gateway.gw_helpers import sdk_openai as _openai

AZURE_VERSION = "2025-01-01-preview"
OPENAI_MODELS = (
    "gpt-4o-mini",
    "gpt-3.5-turbo-instruct",
    "text-embedding-3-small",
    "gpt-image-1",
    "dall-e-3",
    "tts-1",
    "whisper-1",
    "gpt-4o-transcribe",
    "vllm-llama",
)
COSTS = [
    {"metadataKey": "in", "type": "InputToken"},
    {"metadataKey": "out", "type": "OutputToken"},
    {"metadataKey": "total", "type": "TotalToken"},
]


def _serve(stack: Stack) -> Stack:
    rules = [rule(model, ["gpt"]) for model in OPENAI_MODELS]
    rules += [
        rule("azure-gpt-4o", ["azure"]),
        rule("azure-embedding", ["azure"]),
        rule("claude-sonnet-4-5", ["claude"]),
        rule("rerank-v3.5", ["cohere"]),
        rule("local-llm", ["local"]),
    ]
    return stack.serve(
        provider("gpt", "OpenAI", stack.sim_port),
        provider("azure", "AzureOpenAI", stack.sim_port, version=AZURE_VERSION),
        provider("claude", "Anthropic", stack.sim_port),
        provider("cohere", "Cohere", stack.sim_port, version="v2"),
        provider("local", "OpenAI", stack.sim_port),
        route("all", rules, llmRequestCosts=COSTS),
    )


def _last(stack: Stack) -> dict[str, object]:
    last: dict[str, object] = stack.sim_stats()["last_request"]
    return last


@pytest.fixture
def served(stack: Stack) -> Stack:
    return _serve(stack)


def test_completions(served: Stack) -> None:
    client = _openai(served)
    completion = client.completions.create(
        model="gpt-3.5-turbo-instruct", prompt="complete this", max_tokens=50
    )
    assert completion.object == "text_completion"
    assert "complete this" in completion.choices[0].text
    assert completion.usage is not None and completion.usage.completion_tokens > 0
    line = access_line(served)
    assert line["costs"]["out"] == completion.usage.completion_tokens
    assert _last(served)["path"] == "/v1/completions"


def test_completions_stream_reports_usage_for_costs(served: Stack) -> None:
    client = _openai(served)
    chunks = list(
        client.completions.create(model="gpt-3.5-turbo-instruct", prompt="stream this", stream=True)
    )
    text = "".join(c.choices[0].text for c in chunks if c.choices)
    assert "stream this" in text
    line = access_line(served)
    assert line["costs"]["in"] > 0  # the gateway asked the upstream for the usage chunk
    body = _last(served)["body"]
    assert isinstance(body, dict) and body["stream_options"] == {"include_usage": True}


def test_embeddings_float_and_base64(served: Stack) -> None:
    client = _openai(served)
    result = client.embeddings.create(
        model="text-embedding-3-small", input=["alpha", "beta gamma"], dimensions=64
    )  # the SDK asks for base64 and decodes it
    assert [len(item.embedding) for item in result.data] == [64, 64]
    assert result.usage.prompt_tokens == result.usage.total_tokens > 0
    assert access_line(served)["costs"]["in"] == result.usage.prompt_tokens
    floats = client.embeddings.create(
        model="text-embedding-3-small", input="alpha", dimensions=64, encoding_format="float"
    )
    assert floats.data[0].embedding == pytest.approx(result.data[0].embedding, rel=1e-5)
    norm = sum(v * v for v in floats.data[0].embedding)
    assert norm == pytest.approx(1.0, rel=1e-6)


def test_embeddings_invalid_input_is_the_upstream_400(served: Stack) -> None:
    response = httpx.post(
        f"{served.url}/v1/embeddings", json={"model": "text-embedding-3-small", "input": ""}
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "input"


def test_responses_create_and_stream(served: Stack) -> None:
    client = _openai(served)
    response = client.responses.create(
        model="gpt-4o-mini", input="respond please", instructions="be brief"
    )
    assert response.status == "completed"
    assert "respond please" in response.output_text
    assert response.usage is not None
    assert access_line(served)["costs"]["out"] == response.usage.output_tokens
    with client.responses.stream(model="gpt-4o-mini", input="stream a response") as stream:
        deltas = [e.delta for e in stream if e.type == "response.output_text.delta"]
        final = stream.get_final_response()
    assert "stream a response" in "".join(deltas)
    assert final.output_text == "".join(deltas)
    line = access_line(served)
    assert line["stream"] is True
    assert final.usage is not None and line["costs"]["out"] == final.usage.output_tokens


def test_responses_input_tokens(served: Stack) -> None:
    counted = _openai(served).responses.input_tokens.count(
        model="gpt-4o-mini", input="count my tokens"
    )
    assert counted.input_tokens == 4  # ceil(15 characters / 4)
    assert _last(served)["path"] == "/v1/responses/input_tokens"


def test_images(served: Stack) -> None:
    client = _openai(served)
    image = client.images.generate(model="gpt-image-1", prompt="a gateway", n=2)
    assert image.data is not None and len(image.data) == 2
    assert base64.b64decode(image.data[0].b64_json or "").startswith(b"\x89PNG")
    assert image.usage is not None
    assert access_line(served)["costs"]["in"] == image.usage.input_tokens
    dalle = client.images.generate(model="dall-e-3", prompt="a gateway")
    assert dalle.data is not None and (dalle.data[0].url or "").startswith("https://")


@pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")  # audio.translations
def test_audio_speech_transcription_translation(served: Stack) -> None:
    client = _openai(served)
    speech = client.audio.speech.create(model="tts-1", voice="alloy", input="say this")
    audio = speech.read()
    assert audio.startswith(b"SIMAUDIO")
    file = ("hello.wav", io.BytesIO(b"RIFF" + bytes(4000)), "audio/wav")
    text = client.audio.transcriptions.create(model="gpt-4o-transcribe", file=file)
    assert text.text == "Simulated transcription of hello.wav (4004 bytes)."
    last = _last(served)
    assert last["path"] == "/v1/audio/transcriptions"
    file = ("hola.wav", io.BytesIO(b"RIFF" + bytes(100)), "audio/wav")
    translated = client.audio.translations.create(model="whisper-1", file=file)
    assert translated.text == "Simulated translation of hola.wav (104 bytes)."


def test_transcription_stream(served: Stack) -> None:
    client = _openai(served)
    file = ("clip.wav", io.BytesIO(bytes(800)), "audio/wav")
    events = list(
        client.audio.transcriptions.create(model="gpt-4o-transcribe", file=file, stream=True)
    )
    assert events[-1].type == "transcript.text.done"
    assert access_line(served)["costs"]["in"] == 2  # 800 bytes / 400


def test_transcription_model_override_rewrites_the_form(stack: Stack) -> None:
    stack.serve(
        provider("gpt", "OpenAI", stack.sim_port),
        route(
            "r", [rule("my-whisper", [{"name": "gpt", "modelNameOverride": "gpt-4o-transcribe"}])]
        ),
    )
    file = ("a.wav", io.BytesIO(bytes(400)), "audio/wav")
    text = _openai(stack).audio.transcriptions.create(model="my-whisper", file=file)
    assert text.text.startswith("Simulated transcription of a.wav")
    body = _last(stack)["body"]
    assert isinstance(body, str)
    assert 'name="model"\r\n\r\ngpt-4o-transcribe\r\n' in body
    assert "my-whisper" not in body


def test_tokenize(served: Stack) -> None:
    response = httpx.post(
        f"{served.url}/tokenize", json={"model": "vllm-llama", "prompt": "tokenize me"}
    )
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert _last(served)["path"] == "/tokenize"


def test_cohere_sdk_rerank(served: Stack) -> None:
    documents = ["the gateway routes requests", "bananas are yellow", "envoy gateway routes"]
    with httpx.Client() as http:
        client = cohere.ClientV2(
            api_key="client-key", base_url=f"{served.url}/cohere", httpx_client=http
        )
        reranked = client.rerank(
            model="rerank-v3.5", query="gateway routes", documents=documents, top_n=2
        )
    assert [r.index for r in reranked.results] == [2, 0]
    assert reranked.meta is not None and reranked.meta.tokens is not None
    line = access_line(served)
    assert line["costs"]["in"] == reranked.meta.tokens.input_tokens
    last = _last(served)
    assert last["path"] == "/v2/rerank"
    assert last["headers"]["authorization"] == "[redacted]"  # type: ignore[index]


def test_azure_openai_chat_embeddings_responses(served: Stack) -> None:
    client = _openai(served)
    chat = client.chat.completions.create(
        model="azure-gpt-4o", messages=[{"role": "user", "content": "hi azure"}]
    )
    assert "hi azure" in (chat.choices[0].message.content or "")
    last = _last(served)
    assert last["path"] == (
        f"/openai/deployments/azure-gpt-4o/chat/completions?api-version={AZURE_VERSION}"
    )
    headers = last["headers"]
    assert isinstance(headers, dict)
    assert headers["api-key"] == "[redacted]" and "authorization" not in headers
    vectors = client.embeddings.create(model="azure-embedding", input="vector", dimensions=8)
    assert len(vectors.data[0].embedding) == 8
    assert _last(served)["path"] == (
        f"/openai/deployments/azure-embedding/embeddings?api-version={AZURE_VERSION}"
    )
    response = client.responses.create(model="azure-gpt-4o", input="azure responses")
    assert "azure responses" in response.output_text
    assert _last(served)["path"] == f"/openai/responses?api-version={AZURE_VERSION}"
    counted = client.responses.input_tokens.count(model="azure-gpt-4o", input="count me")
    assert counted.input_tokens == 2
    assert _last(served)["path"] == f"/openai/responses/input_tokens?api-version={AZURE_VERSION}"


def test_azure_refuses_endpoints_it_does_not_serve(served: Stack) -> None:
    response = httpx.post(
        f"{served.url}/v1/images/generations", json={"model": "azure-gpt-4o", "prompt": "x"}
    )
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "/v1/images/generations is not supported by the AzureOpenAI-schema backend" in message


def test_anthropic_sdk_messages_to_openai_backend(served: Stack) -> None:
    client = _anthropic(served)
    message = client.messages.create(
        model="local-llm", max_tokens=64, messages=[{"role": "user", "content": "via openai"}]
    )
    assert "via openai" in message.content[0].text  # type: ignore[union-attr]
    assert _last(served)["path"] == "/v1/chat/completions"
    with client.messages.stream(
        model="local-llm", max_tokens=64, messages=[{"role": "user", "content": "stream it"}]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert "stream it" in text and final.usage.output_tokens > 0


def test_anthropic_count_tokens_is_not_served_by_openai_backends(served: Stack) -> None:
    client = _anthropic(served)
    with pytest.raises(Exception) as raised:
        client.messages.count_tokens(
            model="local-llm", messages=[{"role": "user", "content": "count"}]
        )
    assert "count_tokens is not supported by the OpenAI-schema backend" in str(raised.value)


def test_metrics_name_each_operation(served: Stack) -> None:
    client = _openai(served)
    client.embeddings.create(model="text-embedding-3-small", input="x", encoding_format="float")
    client.responses.create(model="gpt-4o-mini", input="y")
    metrics = served.service.metrics  # type: ignore[union-attr]
    assert metrics.request_duration.count(gen_ai_operation_name="embeddings") == 1
    assert metrics.request_duration.count(gen_ai_operation_name="responses") == 1


def test_base64_embedding_bytes_are_float32(served: Stack) -> None:
    response = httpx.post(
        f"{served.url}/v1/embeddings",
        json={"model": "text-embedding-3-small", "input": "x", "encoding_format": "base64"},
    )
    raw = base64.b64decode(response.json()["data"][0]["embedding"])
    assert len(struct.unpack(f"<{len(raw) // 4}f", raw)) == 1536


def test_speech_stream_is_relayed_with_usage(served: Stack) -> None:
    body = {"model": "tts-1", "voice": "alloy", "input": "say this", "stream_format": "sse"}
    response = httpx.post(f"{served.url}/v1/audio/speech", json=body)
    assert response.headers["content-type"].startswith("text/event-stream")
    assert '"type":"speech.audio.done"' in response.text
    line = access_line(served)
    assert line["stream"] is True and line["costs"]["in"] == 2


def test_azure_model_override_is_the_deployment(stack: Stack) -> None:
    stack.serve(
        provider("azure", "AzureOpenAI", stack.sim_port, version=AZURE_VERSION),
        route("r", [rule("gpt-4o", [{"name": "azure", "modelNameOverride": "prod-gpt-4o"}])]),
    )
    chat = _openai(stack).chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "x"}]
    )
    assert chat.model == "prod-gpt-4o"
    last = _last(stack)
    assert (
        last["path"]
        == f"/openai/deployments/prod-gpt-4o/chat/completions?api-version={AZURE_VERSION}"
    )
    assert isinstance(last["body"], dict) and last["body"]["model"] == "gpt-4o"  # body untouched


def test_malformed_multipart_is_a_400_naming_the_endpoint(served: Stack) -> None:
    response = httpx.post(
        f"{served.url}/v1/audio/transcriptions",
        content=b"--x\r\nnot a part",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "failed to parse multipart body for /v1/audio/transcriptions" in message


def test_native_anthropic_request_without_version_gets_the_default(served: Stack) -> None:
    body = {
        "model": "claude-sonnet-4-5",
        "max_tokens": 16,
        "messages": [{"role": "user", "content": "v"}],
    }
    response = httpx.post(f"{served.url}/anthropic/v1/messages", json=body)
    assert response.status_code == 200, response.text
    headers = _last(served)["headers"]
    assert isinstance(headers, dict) and headers["anthropic-version"] == "2023-06-01"
    pinned = httpx.post(
        f"{served.url}/anthropic/v1/messages/count_tokens",
        json=body,
        headers={"anthropic-version": "2024-01-01"},
    )
    assert pinned.status_code == 200
    headers = _last(served)["headers"]
    assert isinstance(headers, dict) and headers["anthropic-version"] == "2024-01-01"
