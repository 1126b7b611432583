"""Passthrough translators: the client API is the backend's (OpenAI, Azure, Anthropic, Cohere).

The body goes upstream as it came unless the backendRef overrides the model, mutates the body
or the route's costs need stream usage; responses and streams are passed on byte for byte
while a parsed copy yields the usage. Only the upstream path differs between schemas
(upstream's `openai_openai.go`, `openai_azureopenai.go`, `anthropic_anthropic.go`,
`cohere_rerank_v2.go`, `openai_embeddings.go`, `openai_responses.go`, …).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Final
from urllib.parse import quote

from gateway.translation._json import dumps, loads
from gateway.translation.errors import TranslationError, anthropic_error_body
from gateway.translation.errors import anthropic_error_type_for_status as _anthropic_type
from gateway.translation.multipart import (
    MultipartError,
    boundary_of,
    parse_multipart,
    replace_field,
)
from gateway.translation.openai_to_anthropic.request import ANTHROPIC_VERSION
from gateway.translation.streams import PassthroughRelay, StreamFormat
from gateway.translation.translator import (
    JSON,
    ClientBody,
    StreamRelay,
    Translator,
    UpstreamRequest,
)
from gateway.translation.usage import TokenUsage

__all__ = [
    "OPENAI_PATHS",
    "AnthropicPassthrough",
    "AzureOpenAIPassthrough",
    "CoherePassthrough",
    "OpenAIPassthrough",
    "UsageReader",
    "usage_reader",
]

UsageReader = Callable[[dict[str, Any]], TokenUsage | None]

# Upstream paths under the OpenAI schema's prefix, by operation.
OPENAI_PATHS: Final[dict[str, str]] = {
    "chat": "/chat/completions",
    "completion": "/completions",
    "embeddings": "/embeddings",
    "responses": "/responses",
    "responses_input_tokens": "/responses/input_tokens",
    "image_generation": "/images/generations",
    "speech": "/audio/speech",
    "transcription": "/audio/transcriptions",
    "translation": "/audio/translations",
}
# Stream formats by operation (operations absent here never stream).
_STREAMS: Final[dict[str, StreamFormat]] = {
    "chat": "openai",
    "completion": "openai",
    "responses": "typed",
    "speech": "typed",
    "transcription": "typed",
    "translation": "typed",
    "messages": "anthropic",
}


def _member(data: dict[str, Any], *path: str) -> dict[str, Any] | None:
    node: Any = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def _openai(data: dict[str, Any]) -> TokenUsage | None:
    usage = _member(data, "usage")
    return None if usage is None else TokenUsage.from_openai(usage)


def _typed(data: dict[str, Any]) -> TokenUsage | None:
    usage = _member(data, "usage")
    return None if usage is None else TokenUsage.from_responses(usage)


def _anthropic(data: dict[str, Any]) -> TokenUsage | None:
    usage = _member(data, "usage")
    return None if usage is None else TokenUsage.from_anthropic(usage)


def _counted(data: dict[str, Any]) -> TokenUsage | None:
    return TokenUsage.from_responses(data) if "input_tokens" in data else None


def _rerank(data: dict[str, Any]) -> TokenUsage | None:
    tokens = _member(data, "meta", "tokens")
    return None if tokens is None else TokenUsage.from_responses(tokens)


_USAGE: Final[dict[str, UsageReader]] = {
    "chat": _openai,
    "completion": _openai,
    "embeddings": _openai,
    "responses": _typed,
    "responses_input_tokens": _counted,
    "image_generation": _typed,
    "transcription": _typed,
    "translation": _typed,
    "messages": _anthropic,
    "count_tokens": _counted,
    "rerank": _rerank,
}


def usage_reader(operation: str) -> UsageReader | None:
    """How to read the usage of a JSON response of `operation` (None: it reports none)."""
    return _USAGE.get(operation)


class _Passthrough(Translator):
    """The shared passthrough behaviour; subclasses give the upstream path."""

    __slots__ = ()
    backend_error: ClassVar[str] = "OpenAIBackendError"

    def path(self) -> str:
        """The upstream path (query included) under the backend's base URL."""
        raise NotImplementedError

    def _model_in_body(self) -> bool:
        """Whether a model override is written into the body (not so for Azure deployments)."""
        return True

    def upstream(self) -> UpstreamRequest:
        request = self.request
        if request.endpoint.body == "multipart":
            return UpstreamRequest(self.path(), self._multipart_body(), request.content_type)
        return UpstreamRequest(self.path(), self._json_body())

    def _json_body(self) -> bytes:
        request = self.request
        force = self._force_usage()
        if not (self._rewrites_body or force):
            return request.raw
        body = dict(request.body)
        if self.ref.model_name_override is not None and self._model_in_body():
            body["model"] = self.upstream_model
        if force:
            options = body.get("stream_options")
            options = options if isinstance(options, dict) else {}
            body["stream_options"] = {**options, "include_usage": True}
        return self._encode(body)

    def _force_usage(self) -> bool:
        """Chat/legacy completion streams report usage only when asked to; costs need it."""
        request = self.request
        if not (request.force_usage and request.stream):
            return False
        if request.endpoint.operation not in ("chat", "completion"):
            return False
        options = request.body.get("stream_options")
        return not (isinstance(options, dict) and options.get("include_usage") is True)

    def _multipart_body(self) -> bytes:
        request = self.request
        if self.ref.model_name_override is None:
            return request.raw
        try:
            boundary = boundary_of(request.content_type)
            parts = parse_multipart(request.raw, boundary)
        except MultipartError as exc:  # already parsed once when the request came in
            raise TranslationError(400, str(exc)) from exc
        return replace_field(parts, boundary, "model", self.upstream_model)

    def response(self, body: bytes, content_type: str | None) -> ClientBody:
        reader = _USAGE.get(self.request.endpoint.operation)
        if reader is None or content_type is None or "json" not in content_type.lower():
            return ClientBody(body)
        try:
            parsed = loads(body)
        except ValueError:
            return ClientBody(body)  # passed on as it came
        if not isinstance(parsed, dict):
            return ClientBody(body)
        model = parsed.get("model")
        return ClientBody(body, None, reader(parsed), model if isinstance(model, str) else None)

    def stream(self, max_event: int) -> StreamRelay:
        operation = self.request.endpoint.operation
        stream_format = _STREAMS.get(operation, "openai")
        return PassthroughRelay(self.request.endpoint.api, stream_format, max_event)

    def error(self, status: int, body: bytes, content_type: str | None) -> ClientBody:
        """JSON errors pass unchanged; others are wrapped in the client API's envelope (§6)."""
        if content_type is not None and "json" in content_type.lower():
            return ClientBody(body)
        return ClientBody(self._wrap_error(status, body.decode("utf-8", "replace")), JSON)

    def _wrap_error(self, status: int, text: str) -> bytes:
        return dumps(
            {
                "type": "error",
                "error": {"type": self.backend_error, "code": str(status), "message": text},
            }
        )


class OpenAIPassthrough(_Passthrough):
    """OpenAI clients to an OpenAI-schema backend: `{prefix}/<endpoint>`; `/tokenize` as is."""

    __slots__ = ()

    def path(self) -> str:
        operation = self.request.endpoint.operation
        if operation == "tokenize":
            return "/tokenize"
        return self.ref.target.prefix + OPENAI_PATHS[operation]


class AzureOpenAIPassthrough(_Passthrough):
    """OpenAI clients to Azure OpenAI: the model is the deployment, `api-version` the version.

    Chat and embeddings go to `/openai/deployments/{model}/…` (the body's model is left as it
    is); the Responses API to `/openai/responses` with the model in the body.
    """

    __slots__ = ()

    def path(self) -> str:
        operation = self.request.endpoint.operation
        version = quote(self.ref.target.version or "", safe="")
        if operation in ("responses", "responses_input_tokens"):
            return f"/openai{OPENAI_PATHS[operation]}?api-version={version}"
        deployment = quote(self.upstream_model, safe="")
        return f"/openai/deployments/{deployment}{OPENAI_PATHS[operation]}?api-version={version}"

    def _model_in_body(self) -> bool:
        return self.request.endpoint.operation.startswith("responses")


class AnthropicPassthrough(_Passthrough):
    """Anthropic clients to an Anthropic-schema backend: `{prefix}/messages[/count_tokens]`.

    A request without `anthropic-version` gets the default one — a deliberate divergence from
    Envoy AI Gateway, which forwards it without: Anthropic requires the header and upstream's own
    guide's curl commands omit it. A header mutation still has the last word.
    """

    __slots__ = ()

    def upstream(self) -> UpstreamRequest:
        upstream = super().upstream()
        if "anthropic-version" in self.request.headers:
            return upstream
        return UpstreamRequest(
            upstream.path,
            upstream.body,
            upstream.content_type,
            {**upstream.headers, "anthropic-version": ANTHROPIC_VERSION},
        )

    def path(self) -> str:
        prefix = self.ref.target.prefix
        if self.request.endpoint.operation == "count_tokens":
            return prefix + "/messages/count_tokens"
        return prefix + "/messages"

    def _wrap_error(self, status: int, text: str) -> bytes:
        return dumps(anthropic_error_body(_anthropic_type(status), text))


class CoherePassthrough(_Passthrough):
    """Cohere clients to a Cohere-schema backend: `/{version}/rerank` (upstream's path.Join)."""

    __slots__ = ()

    def path(self) -> str:
        version = (self.ref.target.version or "").strip("/")
        return f"/{version}/rerank" if version else "/rerank"

    def _wrap_error(self, status: int, text: str) -> bytes:
        return dumps({"message": text})
