"""The translator interface: one `Translator` per (endpoint, backend schema), passthrough included.

The data plane never branches on schemas. For every attempt of a request it asks the registry
(`gateway.translation.registry`) for the factory registered under the endpoint's operation and
the chosen backend's schema, and creates one `Translator` for that attempt:

1. `upstream()` — the upstream request: path under the backend's base URL (query included),
   body bytes, content type and any extra headers (e.g. `anthropic-version`). The server adds the
   forwarded client headers, header mutations, the `x-ai-eg-model` header and the credential.
   Raise `TranslationError` for a request the backend cannot take (never retried).
2. `response(body, content_type)` — a complete 2xx upstream body to the client's bytes, with
   the token usage and response model it reports (`ClientBody`).
3. `stream(max_event)` — a `StreamRelay` for a 2xx `text/event-stream` response whose SSE
   parser refuses events over `max_event` bytes (`SSEEventTooLarge`): `feed(chunk)` returns
   the client frames, `finish(failure)` the closing frames (an error event when the stream did
   not complete), and `usage` / `model` / `complete` describe what was seen.
4. `error(status, body, content_type)` — a non-2xx upstream body in the client API's error
   shape (`ClientBody` without usage).

A translator instance holds the state of one attempt only (e.g. the original request needed to
translate the response); a retry creates a new one. To add a backend schema, write translators
for the endpoints it serves and `register(operation, schema, factory)` them — see
`gateway/translation/registry.py`. Everything here is pure: no I/O.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, Protocol

from gateway.runtime import BackendRef
from gateway.translation._json import dumps
from gateway.translation.usage import TokenUsage

__all__ = [
    "JSON",
    "ClientAPI",
    "ClientBody",
    "ClientRequest",
    "Endpoint",
    "Operation",
    "StreamRelay",
    "Translator",
    "UpstreamRequest",
]

JSON: Final = "application/json"
ClientAPI = Literal["OpenAI", "Anthropic", "Cohere"]
Operation = Literal[
    "chat",
    "completion",
    "embeddings",
    "responses",
    "responses_input_tokens",
    "image_generation",
    "speech",
    "transcription",
    "translation",
    "rerank",
    "tokenize",
    "messages",
    "count_tokens",
    "models",
]
BodyFormat = Literal["json", "multipart", "none"]


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A served path: its client API, operation (`gen_ai.operation.name`) and body format."""

    path: str
    api: ClientAPI
    operation: Operation
    body: BodyFormat = "json"


# The per-request types below are plain (not frozen) slotted dataclasses: a frozen dataclass's
# __init__ costs several times more, and they are built on every request. Treat them as read-only.


@dataclass(slots=True, repr=False)
class ClientRequest:
    """One parsed client request, shared by all of its attempts (read-only).

    `body` is the JSON object, or for multipart endpoints the text form fields. `raw` is the
    request body as received; `content_type` its content type (multipart boundary included).
    `force_usage` is set when the route has costs: streams must report usage.
    """

    endpoint: Endpoint
    raw: bytes
    body: Mapping[str, Any]
    model: str
    stream: bool
    content_type: str
    force_usage: bool = False
    headers: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"ClientRequest({self.endpoint.path!r}, model={self.model!r}, {len(self.raw)} B)"


@dataclass(slots=True)
class UpstreamRequest:
    """What a translator sends upstream; the server adds headers and the credential."""

    path: str
    body: bytes
    content_type: str = JSON
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ClientBody:
    """A complete response body for the client and what it reports.

    `content_type` None keeps the upstream content type.
    """

    body: bytes
    content_type: str | None = None
    usage: TokenUsage | None = None
    model: str | None = None


class StreamRelay(Protocol):
    """Turns upstream stream chunks into client frames and tracks usage."""

    def feed(self, chunk: bytes) -> list[bytes]:
        """The client frames for one upstream chunk."""

    def finish(self, failure: str | None) -> list[bytes]:
        """The frames that end the client stream; `failure` says why the upstream broke off."""

    @property
    def usage(self) -> TokenUsage | None:
        """The usage reported so far."""

    @property
    def model(self) -> str | None:
        """The response model reported by the upstream, if any."""

    @property
    def complete(self) -> bool:
        """Whether the stream reached its successful end."""


class Translator(ABC):
    """One attempt's translation for an (endpoint, backend schema) pair (see the module doc)."""

    __slots__ = ("ref", "request", "upstream_model")

    def __init__(self, request: ClientRequest, ref: BackendRef) -> None:
        self.request = request
        self.ref = ref
        self.upstream_model = ref.model_name_override or request.model

    @abstractmethod
    def upstream(self) -> UpstreamRequest:
        """The upstream request (raise `TranslationError` when it cannot be translated)."""

    @abstractmethod
    def response(self, body: bytes, content_type: str | None) -> ClientBody:
        """A 2xx upstream body for the client (raise `TranslationError` when malformed)."""

    @abstractmethod
    def stream(self, max_event: int) -> StreamRelay:
        """The relay of a 2xx event stream (events of at most `max_event` bytes)."""

    @abstractmethod
    def error(self, status: int, body: bytes, content_type: str | None) -> ClientBody:
        """A non-2xx upstream body in the client API's error shape."""

    # -- helpers for subclasses --------------------------------------------------------------

    @property
    def _rewrites_body(self) -> bool:
        """Whether the JSON body must be re-encoded (model override or body mutation)."""
        return self.ref.model_name_override is not None or bool(self.ref.body_mutation)

    def _encode(self, body: dict[str, Any]) -> bytes:
        """Apply the backendRef's body mutation (§1.7) and encode."""
        self.ref.body_mutation.apply(body)
        return dumps(body)
