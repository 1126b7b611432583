"""Translators between the OpenAI Chat Completions and Anthropic Messages APIs.

* `OpenAIChatToAnthropic`: `/v1/chat/completions` clients on an Anthropic-schema backend.
* `AnthropicMessagesToOpenAI`: `/anthropic/v1/messages` clients on an OpenAI-schema backend
  (upstream's `anthropic_openai.go`).

Both wrap the pure request / response / stream / error translations of the two packages.
"""

from __future__ import annotations

from gateway.translation._json import dumps, loads
from gateway.translation.anthropic_to_openai import (
    OpenAIRequest,
    OpenAIToAnthropicStream,
    anthropic_to_openai_request,
    openai_error_to_anthropic,
    openai_to_anthropic_response,
)
from gateway.translation.errors import TranslationError
from gateway.translation.openai_to_anthropic import (
    AnthropicRequest,
    AnthropicToOpenAIStream,
    anthropic_error_to_openai,
    anthropic_to_openai_response,
    openai_to_anthropic_request,
)
from gateway.translation.passthrough import OPENAI_PATHS
from gateway.translation.streams import TranslatedRelay
from gateway.translation.translator import (
    JSON,
    ClientBody,
    StreamRelay,
    Translator,
    UpstreamRequest,
)
from gateway.translation.usage import TokenUsage

__all__ = ["AnthropicMessagesToOpenAI", "OpenAIChatToAnthropic"]


def _parse(body: bytes) -> dict[str, object]:
    try:
        parsed = loads(body)
    except ValueError as exc:
        raise TranslationError(502, f"upstream returned invalid JSON: {exc}") from exc
    if not isinstance(parsed, dict):
        raise TranslationError(502, "upstream returned a JSON value that is not an object")
    return parsed


def _model(parsed: dict[str, object]) -> str | None:
    model = parsed.get("model")
    return model if isinstance(model, str) else None


class OpenAIChatToAnthropic(Translator):
    """OpenAI Chat Completions -> Anthropic Messages (`{prefix}/messages`)."""

    __slots__ = ("_context",)
    _context: AnthropicRequest

    def upstream(self) -> UpstreamRequest:
        context = openai_to_anthropic_request(dict(self.request.body), model=self.upstream_model)
        self._context = context
        body = self._encode(dict(context.body))
        return UpstreamRequest(self.ref.target.prefix + "/messages", body, JSON, context.headers)

    def response(self, body: bytes, content_type: str | None) -> ClientBody:
        parsed = _parse(body)
        usage = parsed.get("usage")
        return ClientBody(
            dumps(anthropic_to_openai_response(parsed, self._context)),
            JSON,
            TokenUsage.from_anthropic(usage) if isinstance(usage, dict) else None,
            _model(parsed),
        )

    def stream(self, max_event: int) -> StreamRelay:
        return TranslatedRelay(AnthropicToOpenAIStream(self._context), max_event)

    def error(self, status: int, body: bytes, content_type: str | None) -> ClientBody:
        return ClientBody(anthropic_error_to_openai(status, body, content_type), JSON)


class AnthropicMessagesToOpenAI(Translator):
    """Anthropic Messages -> OpenAI Chat Completions (`{prefix}/chat/completions`)."""

    __slots__ = ("_context",)
    _context: OpenAIRequest

    def upstream(self) -> UpstreamRequest:
        context = anthropic_to_openai_request(dict(self.request.body), model=self.upstream_model)
        self._context = context
        path = self.ref.target.prefix + OPENAI_PATHS["chat"]
        return UpstreamRequest(path, self._encode(dict(context.body)))

    def response(self, body: bytes, content_type: str | None) -> ClientBody:
        parsed = _parse(body)
        usage = parsed.get("usage")
        return ClientBody(
            dumps(openai_to_anthropic_response(parsed, self._context)),
            JSON,
            TokenUsage.from_openai(usage) if isinstance(usage, dict) else None,
            _model(parsed),
        )

    def stream(self, max_event: int) -> StreamRelay:
        return TranslatedRelay(OpenAIToAnthropicStream(self._context), max_event)

    def error(self, status: int, body: bytes, content_type: str | None) -> ClientBody:
        return ClientBody(openai_error_to_anthropic(status, body, content_type), JSON)
