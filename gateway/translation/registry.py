"""The served endpoints and the translator registry keyed by (operation, backend schema).

`ENDPOINTS` lists every path Envoy AI Gateway v1.1 serves (default endpoint prefixes
`openai:/`, `cohere:/cohere`, `anthropic:/anthropic`). `translator_factory(operation, schema)`
returns the factory of the `Translator` for a pair, or None when the pair is not served —
which the data plane turns into a 400 naming the endpoint and the backend.

Backend schemas plug in by registering factories, one per operation they serve::

    from gateway.translation.registry import register
    register("chat", "AWSBedrock", OpenAIChatToBedrock)

`served_schemas()` is what the configuration compiler accepts; a bundle naming any other schema
is refused with an error that names it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from gateway.runtime import BackendRef
from gateway.translation.cloud_registry import CLOUD_PAIRS, CloudTranslator
from gateway.translation.cross import AnthropicMessagesToOpenAI, OpenAIChatToAnthropic
from gateway.translation.passthrough import (
    AnthropicPassthrough,
    AzureOpenAIPassthrough,
    CoherePassthrough,
    OpenAIPassthrough,
)
from gateway.translation.translator import ClientRequest, Endpoint, Operation, Translator

__all__ = [
    "ENDPOINTS",
    "TranslatorFactory",
    "register",
    "served_schemas",
    "translator_factory",
]

TranslatorFactory = Callable[[ClientRequest, BackendRef], Translator]

ENDPOINTS: Final[dict[str, Endpoint]] = {
    e.path: e
    for e in (
        Endpoint("/v1/chat/completions", "OpenAI", "chat"),
        Endpoint("/v1/completions", "OpenAI", "completion"),
        Endpoint("/v1/embeddings", "OpenAI", "embeddings"),
        Endpoint("/v1/responses", "OpenAI", "responses"),
        Endpoint("/v1/responses/input_tokens", "OpenAI", "responses_input_tokens"),
        Endpoint("/v1/images/generations", "OpenAI", "image_generation"),
        Endpoint("/v1/audio/speech", "OpenAI", "speech"),
        Endpoint("/v1/audio/transcriptions", "OpenAI", "transcription", "multipart"),
        Endpoint("/v1/audio/translations", "OpenAI", "translation", "multipart"),
        Endpoint("/tokenize", "OpenAI", "tokenize"),
        Endpoint("/cohere/v2/rerank", "Cohere", "rerank"),
        Endpoint("/anthropic/v1/messages", "Anthropic", "messages"),
        Endpoint("/anthropic/v1/messages/count_tokens", "Anthropic", "count_tokens"),
        Endpoint("/v1/models", "OpenAI", "models", "none"),
        Endpoint("/anthropic/v1/models", "Anthropic", "models", "none"),
    )
}

_REGISTRY: dict[tuple[str, str], TranslatorFactory] = {}


def register(operation: Operation, schema: str, factory: TranslatorFactory) -> None:
    """Serve `operation` on backends of `schema` with translators made by `factory`."""
    _REGISTRY[(operation, schema)] = factory


def translator_factory(operation: str, schema: str) -> TranslatorFactory | None:
    """The factory for an (operation, schema) pair; None when the pair is not served."""
    return _REGISTRY.get((operation, schema))


def served_schemas() -> frozenset[str]:
    """Every backend schema at least one endpoint is served on."""
    return frozenset(schema for _, schema in _REGISTRY)


def _builtin() -> None:
    openai_ops: tuple[Operation, ...] = (
        "chat",
        "completion",
        "embeddings",
        "responses",
        "responses_input_tokens",
        "image_generation",
        "speech",
        "transcription",
        "translation",
        "tokenize",
    )
    for operation in openai_ops:
        register(operation, "OpenAI", OpenAIPassthrough)
    for operation in ("chat", "embeddings", "responses", "responses_input_tokens"):
        register(operation, "AzureOpenAI", AzureOpenAIPassthrough)
    register("chat", "Anthropic", OpenAIChatToAnthropic)
    register("messages", "Anthropic", AnthropicPassthrough)
    register("count_tokens", "Anthropic", AnthropicPassthrough)
    register("messages", "OpenAI", AnthropicMessagesToOpenAI)
    register("rerank", "Cohere", CoherePassthrough)
    for operation, schema in CLOUD_PAIRS:
        register(operation, schema, CloudTranslator)


_builtin()
