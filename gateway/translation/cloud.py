"""One translator per (client API, cloud backend schema): request, response, stream, errors.

| client API | schema | upstream call |
|---|---|---|
| OpenAI chat | AWSBedrock | Converse / ConverseStream (via the OpenAI -> Anthropic step) |
| Anthropic messages | AWSBedrock | Converse / ConverseStream |
| OpenAI chat | AWSAnthropic | InvokeModel / InvokeModelWithResponseStream |
| Anthropic messages | AWSAnthropic | InvokeModel / InvokeModelWithResponseStream |
| OpenAI chat | GCPAnthropic | rawPredict / streamRawPredict |
| Anthropic messages | GCPAnthropic | rawPredict / streamRawPredict |
| OpenAI chat | GCPVertexAI | generateContent / streamGenerateContent?alt=sse |
| OpenAI embeddings | AWSBedrock | InvokeModel (Titan) |
| OpenAI embeddings | GCPVertexAI | predict |
| Anthropic count_tokens | AWSAnthropic | CountTokens (`/model/{id}/count-tokens`) |
| Anthropic count_tokens | GCPAnthropic | `count-tokens:rawPredict` |

Every class is pure: `prepare()` gives the upstream path (GCP paths are relative to the
location prefix the credential adds), body and headers; `response()` translates a success
body; `error()` an error body; `stream()` a relay that takes raw upstream bytes (SSE or AWS
event-stream) and returns client frames. Request errors are `TranslationError`s.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol
from urllib.parse import quote

from aigw_sdk.sse import SSEEvent, SSEParser
from gateway.translation._json import dumps, loads
from gateway.translation._stream import named_frame
from gateway.translation.bedrock import (
    ConverseEvents,
    InvokeEvents,
    anthropic_to_converse_request,
    converse_to_anthropic_response,
)
from gateway.translation.cloud_anthropic import (
    AWS_ANTHROPIC_DEFAULT_VERSION,
    GCP_ANTHROPIC_DEFAULT_VERSION,
    aws_anthropic_request,
    gcp_anthropic_request,
    gcp_model_path,
)
from gateway.translation.cloud_embeddings import (
    EmbeddingsRequest,
    openai_to_titan_request,
    openai_to_vertex_embeddings_request,
    titan_to_openai_response,
    vertex_to_openai_embeddings_response,
)
from gateway.translation.cloud_errors import parse_bedrock_error, parse_vertex_error
from gateway.translation.errors import TranslationError, anthropic_error_body, openai_error_body
from gateway.translation.gemini import (
    GeminiToOpenAIStream,
    gemini_to_openai_response,
    openai_to_gemini_request,
)
from gateway.translation.openai_to_anthropic import (
    AnthropicRequest,
    AnthropicToOpenAIStream,
    anthropic_to_openai_response,
    openai_to_anthropic_request,
)
from gateway.translation.usage import TokenUsage

__all__ = [
    "CLOUD_SCHEMAS",
    "CloudRelay",
    "CloudStream",
    "CloudTranslator",
    "Upstream",
    "cloud_translator",
]

Client = Literal["openai", "anthropic"]
Event = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Upstream:
    """The upstream request: path (relative for GCP), JSON body bytes, extra headers."""

    path: str
    body: bytes
    stream: bool
    headers: tuple[tuple[str, str], ...] = ()


class CloudStream(Protocol):
    """Raw upstream stream bytes in, client frames out."""

    def feed(self, chunk: bytes) -> list[bytes]: ...
    def finish(self) -> list[bytes]: ...
    @property
    def usage(self) -> TokenUsage: ...
    @property
    def complete(self) -> bool: ...


class CloudRelay:
    """A `CloudStream` behind the data plane's relay protocol (`finish(failure)`, `model`)."""

    __slots__ = ("_stream",)

    def __init__(self, stream: CloudStream) -> None:
        self._stream = stream

    def feed(self, chunk: bytes) -> list[bytes]:
        return self._stream.feed(chunk)

    def finish(self, failure: str | None) -> list[bytes]:
        """The closing frames (an error event when the upstream stream did not complete)."""
        return self._stream.finish()

    @property
    def usage(self) -> TokenUsage | None:
        return self._stream.usage

    @property
    def model(self) -> str | None:
        return None

    @property
    def complete(self) -> bool:
        return self._stream.complete


class CloudTranslator(Protocol):
    """The translator of one request to one cloud backend."""

    def prepare(self) -> Upstream: ...
    def response(self, body: bytes) -> tuple[bytes, TokenUsage]: ...
    def error(
        self, status: int, body: bytes, content_type: str | None, error_type: str | None
    ) -> bytes: ...
    def stream(self) -> CloudStream: ...


def _json(body: bytes, what: str) -> Any:
    try:
        return loads(body)
    except ValueError:
        raise TranslationError(502, f"upstream returned a non-JSON {what} response") from None


def _message_id() -> str:
    return "msg_bdrk_" + secrets.token_hex(12)


# --- Anthropic events -> client frames ---------------------------------------------------


class _AnthropicSink:
    """Anthropic stream events -> Anthropic SSE frames (Anthropic clients)."""

    def __init__(self) -> None:
        self.usage_raw: dict[str, Any] = {}
        self.complete = False
        self.failed = False

    @property
    def usage(self) -> TokenUsage:
        return TokenUsage.from_anthropic(self.usage_raw)

    def feed(self, event: Event) -> list[bytes]:
        kind = str(event.get("type", ""))
        message = event.get("message")
        usage = message.get("usage") if isinstance(message, dict) else event.get("usage")
        if isinstance(usage, dict):
            self.usage_raw.update({k: v for k, v in usage.items() if isinstance(v, int)})
        if kind == "message_stop":
            self.complete = True
        if kind == "error":
            self.failed = True
        return [named_frame(kind, event)]

    def finish(self) -> list[bytes]:
        if self.complete or self.failed:
            return []
        error = anthropic_error_body("api_error", "upstream stream ended before message_stop")
        return [named_frame("error", error)]


class _OpenAISink:
    """Anthropic stream events -> OpenAI chunks, through the existing stream translator."""

    def __init__(self, ctx: AnthropicRequest) -> None:
        self._translator = AnthropicToOpenAIStream(ctx)

    @property
    def usage(self) -> TokenUsage:
        return self._translator.usage

    @property
    def complete(self) -> bool:
        return self._translator.stop_reason is not None

    def feed(self, event: Event) -> list[bytes]:
        return self._translator.feed_event(event)

    def finish(self) -> list[bytes]:
        return self._translator.finish()


_Sink = _AnthropicSink | _OpenAISink


class _SinkRelay:
    """A relay whose usage and completeness are those of the sink its events go to."""

    def __init__(self, sink: _Sink) -> None:
        self._sink = sink

    @property
    def usage(self) -> TokenUsage:
        return self._sink.usage

    @property
    def complete(self) -> bool:
        return self._sink.complete


class _EventStreamRelay(_SinkRelay):
    """Bedrock event-stream bytes -> Anthropic events -> client frames."""

    def __init__(self, events: ConverseEvents | InvokeEvents, sink: _Sink) -> None:
        super().__init__(sink)
        self._events = events

    def feed(self, chunk: bytes) -> list[bytes]:
        frames: list[bytes] = []
        for event in self._events.feed(chunk):
            frames += self._sink.feed(event)
        return frames

    def finish(self) -> list[bytes]:
        frames: list[bytes] = []
        if isinstance(self._events, ConverseEvents):
            for event in self._events.finish():
                frames += self._sink.feed(event)
        return frames + self._sink.finish()


class _SSERelay(_SinkRelay):
    """Anthropic SSE bytes (Vertex streamRawPredict) -> client frames."""

    def __init__(self, sink: _Sink) -> None:
        super().__init__(sink)
        self._parser = SSEParser()

    def _events(self, events: list[SSEEvent]) -> list[bytes]:
        frames: list[bytes] = []
        for event in events:
            try:
                payload = loads(event.data)
            except ValueError:
                payload = None
            if not isinstance(payload, dict):
                payload = {
                    "type": "error",
                    "error": {"type": "api_error", "message": "malformed upstream event"},
                }
            frames += self._sink.feed(payload)
        return frames

    def feed(self, chunk: bytes) -> list[bytes]:
        return self._events(self._parser.feed(chunk))

    def finish(self) -> list[bytes]:
        return self._events(self._parser.flush()) + self._sink.finish()


class _GeminiRelay:
    """Gemini SSE bytes -> OpenAI chunks."""

    def __init__(self, translator: GeminiToOpenAIStream) -> None:
        self._parser = SSEParser()
        self._translator = translator

    def feed(self, chunk: bytes) -> list[bytes]:
        frames: list[bytes] = []
        for event in self._parser.feed(chunk):
            frames += self._translator.feed(event)
        return frames

    def finish(self) -> list[bytes]:
        frames: list[bytes] = []
        for event in self._parser.flush():
            frames += self._translator.feed(event)
        return frames + self._translator.finish()

    @property
    def usage(self) -> TokenUsage:
        return self._translator.usage

    @property
    def complete(self) -> bool:
        return self._translator.stop_reason is not None


# --- Claude-shaped backends (Converse, InvokeModel, rawPredict) --------------------------


@dataclass
class _ClaudeBackend:
    """Shared client-side logic: OpenAI clients go through the OpenAI -> Anthropic step."""

    client: Client
    body: dict[str, Any]
    model: str
    ctx: AnthropicRequest | None = field(default=None, init=False)

    def anthropic_body(self) -> dict[str, Any]:
        if self.client == "anthropic":
            return self.body
        self.ctx = openai_to_anthropic_request(self.body, model=self.model)
        return dict(self.ctx.body)

    def client_response(self, message: dict[str, Any]) -> bytes:
        if self.ctx is None:
            return dumps(message)
        return dumps(anthropic_to_openai_response(message, self.ctx))

    def message_response(self, body: bytes, operation: str) -> tuple[bytes, TokenUsage]:
        """An Anthropic message body from `operation` -> the client's body and its usage."""
        message = _json(body, operation)
        if not isinstance(message, dict):
            raise TranslationError(502, "upstream returned a malformed Anthropic message")
        return self.client_response(message), TokenUsage.from_anthropic(message.get("usage"))

    def sink(self) -> _Sink:
        return _AnthropicSink() if self.ctx is None else _OpenAISink(self.ctx)

    def client_error(self, status: int, provider_type: str, message: str, anthropic: str) -> bytes:
        if self.client == "anthropic":
            return dumps(anthropic_error_body(anthropic, message))
        return dumps(openai_error_body(message, provider_type, str(status)))


class ConverseTranslator(_ClaudeBackend):
    """OpenAI chat or Anthropic messages -> AWS Bedrock Converse."""

    def prepare(self) -> Upstream:
        body = self.anthropic_body()
        max_set = (
            self.client == "anthropic"
            or "thinking" in body
            or any(self.body.get(k) is not None for k in ("max_tokens", "max_completion_tokens"))
        )
        request = anthropic_to_converse_request(body, model=self.model, max_tokens_set=max_set)
        return Upstream(request.path, dumps(request.body), request.stream)

    def response(self, body: bytes) -> tuple[bytes, TokenUsage]:
        message = converse_to_anthropic_response(
            _json(body, "Converse"), model=self.model, message_id=_message_id()
        )
        return self.client_response(message), TokenUsage.from_anthropic(message["usage"])

    def error(
        self, status: int, body: bytes, content_type: str | None, error_type: str | None
    ) -> bytes:
        err = parse_bedrock_error(status, body, content_type, error_type)
        return self.client_error(status, err.provider_type, err.message, err.anthropic_type)

    def stream(self) -> CloudStream:
        return _EventStreamRelay(
            ConverseEvents(model=self.model, message_id=_message_id()), self.sink()
        )


@dataclass
class AWSAnthropicTranslator(_ClaudeBackend):
    """OpenAI chat or Anthropic messages -> Claude on Bedrock InvokeModel."""

    version: str | None = None
    beta_header: str | None = None

    def prepare(self) -> Upstream:
        path, body, stream = aws_anthropic_request(
            self.anthropic_body(),
            model=self.model,
            version=self.version,
            beta_header=self.beta_header,
        )
        return Upstream(path, dumps(body), stream)

    def response(self, body: bytes) -> tuple[bytes, TokenUsage]:
        return self.message_response(body, "InvokeModel")

    def error(
        self, status: int, body: bytes, content_type: str | None, error_type: str | None
    ) -> bytes:
        err = parse_bedrock_error(status, body, content_type, error_type)
        return self.client_error(status, err.provider_type, err.message, err.anthropic_type)

    def stream(self) -> CloudStream:
        return _EventStreamRelay(InvokeEvents(), self.sink())


@dataclass
class GCPAnthropicTranslator(_ClaudeBackend):
    """OpenAI chat or Anthropic messages -> Claude on Vertex rawPredict."""

    version: str | None = None

    def prepare(self) -> Upstream:
        path, body, stream = gcp_anthropic_request(
            self.anthropic_body(), model=self.model, version=self.version
        )
        return Upstream(path, dumps(body), stream)

    def response(self, body: bytes) -> tuple[bytes, TokenUsage]:
        return self.message_response(body, "rawPredict")

    def error(
        self, status: int, body: bytes, content_type: str | None, error_type: str | None
    ) -> bytes:
        err = parse_vertex_error(status, body, content_type)
        return self.client_error(status, err.provider_type, err.message, err.anthropic_type)

    def stream(self) -> CloudStream:
        return _SSERelay(self.sink())


# --- Gemini and embeddings ---------------------------------------------------------------


@dataclass
class GeminiTranslator:
    """OpenAI chat -> Vertex AI Gemini generateContent."""

    body: dict[str, Any]
    model: str

    def __post_init__(self) -> None:
        self.ctx = openai_to_gemini_request(self.body, model=self.model)

    def prepare(self) -> Upstream:
        return Upstream(self.ctx.path, dumps(self.ctx.body), self.ctx.stream)

    def response(self, body: bytes) -> tuple[bytes, TokenUsage]:
        resp = gemini_to_openai_response(_json(body, "generateContent"), self.ctx)
        return dumps(resp), TokenUsage.from_openai(resp["usage"])

    def error(
        self, status: int, body: bytes, content_type: str | None, error_type: str | None
    ) -> bytes:
        err = parse_vertex_error(status, body, content_type)
        return dumps(openai_error_body(err.message, err.provider_type, str(status)))

    def stream(self) -> CloudStream:
        return _GeminiRelay(GeminiToOpenAIStream(self.ctx))


@dataclass
class EmbeddingsTranslator:
    """OpenAI embeddings -> Bedrock Titan (`aws`) or Vertex predict (`gcp`)."""

    cloud: Literal["aws", "gcp"]
    body: dict[str, Any]
    model: str

    def __post_init__(self) -> None:
        build = (
            openai_to_titan_request if self.cloud == "aws" else openai_to_vertex_embeddings_request
        )
        self.ctx: EmbeddingsRequest = build(self.body, model=self.model)

    def prepare(self) -> Upstream:
        return Upstream(self.ctx.path, dumps(self.ctx.body), False)

    def response(self, body: bytes) -> tuple[bytes, TokenUsage]:
        translate = (
            titan_to_openai_response
            if self.cloud == "aws"
            else vertex_to_openai_embeddings_response
        )
        resp, usage = translate(_json(body, "embeddings"), self.ctx)
        return dumps(resp), usage

    def error(
        self, status: int, body: bytes, content_type: str | None, error_type: str | None
    ) -> bytes:
        err = (
            parse_bedrock_error(status, body, content_type, error_type)
            if self.cloud == "aws"
            else parse_vertex_error(status, body, content_type)
        )
        return dumps(openai_error_body(err.message, err.provider_type, str(status)))

    def stream(self) -> CloudStream:
        raise TranslationError(400, "embeddings do not stream", "stream")


@dataclass
class CountTokensTranslator:
    """Anthropic count_tokens -> Bedrock CountTokens (`aws`) or Vertex count-tokens (`gcp`)."""

    cloud: Literal["aws", "gcp"]
    body: dict[str, Any]
    model: str
    version: str | None = None

    def prepare(self) -> Upstream:
        if self.cloud == "gcp":
            model = self.model.removesuffix("@default").removesuffix("@latest")
            body = {**self.body, "model": model}
            body["anthropic_version"] = self.version or GCP_ANTHROPIC_DEFAULT_VERSION
            path = gcp_model_path("anthropic", "count-tokens", "rawPredict")
            return Upstream(path, dumps(body), False)
        inner = {k: v for k, v in self.body.items() if k not in ("model", "stream")}
        inner["anthropic_version"] = self.version or AWS_ANTHROPIC_DEFAULT_VERSION
        inner.setdefault("max_tokens", 1)
        wrapped = {"input": {"invokeModel": {"body": base64.b64encode(dumps(inner)).decode()}}}
        start = self.model.find("anthropic.")
        model = self.model[start:] if start > 0 else self.model
        return Upstream(f"/model/{quote(model, safe='')}/count-tokens", dumps(wrapped), False)

    def response(self, body: bytes) -> tuple[bytes, TokenUsage]:
        resp = _json(body, "count-tokens")
        key = "inputTokens" if self.cloud == "aws" else "input_tokens"
        count = resp.get(key) if isinstance(resp, dict) else None
        if not isinstance(count, int):
            raise TranslationError(502, "upstream returned a malformed count-tokens response")
        return dumps({"input_tokens": count}), TokenUsage(input_tokens=count)

    def error(
        self, status: int, body: bytes, content_type: str | None, error_type: str | None
    ) -> bytes:
        err = (
            parse_bedrock_error(status, body, content_type, error_type)
            if self.cloud == "aws"
            else parse_vertex_error(status, body, content_type)
        )
        return dumps(anthropic_error_body(err.anthropic_type, err.message))

    def stream(self) -> CloudStream:
        raise TranslationError(400, "count_tokens does not stream", "stream")


Endpoint = Literal["chat", "messages", "embeddings", "count_tokens"]
CLOUD_SCHEMAS = ("AWSBedrock", "AWSAnthropic", "GCPVertexAI", "GCPAnthropic")


def cloud_translator(
    endpoint: Endpoint,
    schema: str,
    body: dict[str, Any],
    model: str,
    *,
    version: str | None = None,
    beta_header: str | None = None,
) -> CloudTranslator:
    """The translator for a request to a cloud schema; a pair upstream does not serve is a 400."""
    client: Client = "anthropic" if endpoint in ("messages", "count_tokens") else "openai"
    if endpoint == "count_tokens":
        if schema in ("AWSAnthropic", "GCPAnthropic"):
            cloud: Literal["aws", "gcp"] = "aws" if schema == "AWSAnthropic" else "gcp"
            return CountTokensTranslator(cloud, body, model, version)
    elif endpoint == "embeddings":
        if schema in ("AWSBedrock", "GCPVertexAI"):
            return EmbeddingsTranslator("aws" if schema == "AWSBedrock" else "gcp", body, model)
    elif schema == "AWSBedrock":
        return ConverseTranslator(client, body, model)
    elif schema == "AWSAnthropic":
        return AWSAnthropicTranslator(client, body, model, version, beta_header)
    elif schema == "GCPAnthropic":
        return GCPAnthropicTranslator(client, body, model, version)
    elif schema == "GCPVertexAI" and endpoint == "chat":
        return GeminiTranslator(body, model)
    raise TranslationError(
        400, f"the {schema} backend schema does not serve this endpoint", "model"
    )
