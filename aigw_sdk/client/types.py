"""Typed responses of the gateway client: messages, chat, responses, embeddings, rerank, usage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


@dataclass(frozen=True, slots=True)
class Usage:
    """Token usage in Anthropic's terms: ``input_tokens`` is the uncached remainder.

    OpenAI-style usage (``prompt_tokens`` includes cached tokens) is converted on the way in, so
    both API styles report the same numbers for the same request.
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0

    @property
    def total_input_tokens(self) -> int:
        """Every prompt token: uncached + written to the cache + read from it."""
        return self.input_tokens + self.cache_creation_input_tokens + self.cache_read_input_tokens

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.total_input_tokens + self.output_tokens

    @classmethod
    def from_anthropic(cls, usage: Any) -> Usage:
        """From a Messages API ``usage`` object."""
        if not isinstance(usage, dict):
            return cls()
        return cls(
            input_tokens=_int(usage.get("input_tokens")),
            output_tokens=_int(usage.get("output_tokens")),
            cache_creation_input_tokens=_int(usage.get("cache_creation_input_tokens")),
            cache_read_input_tokens=_int(usage.get("cache_read_input_tokens")),
        )

    @classmethod
    def from_openai(cls, usage: Any) -> Usage:
        """From a chat completion ``usage`` (``prompt_tokens`` is the sum of all input)."""
        if not isinstance(usage, dict):
            return cls()
        details = usage.get("prompt_tokens_details")
        details = details if isinstance(details, dict) else {}
        read = _int(details.get("cached_tokens"))
        creation = _int(details.get("cache_creation_input_tokens")) or _int(
            usage.get("cache_creation_input_tokens")
        )
        prompt = _int(usage.get("prompt_tokens"))
        return cls(
            input_tokens=max(prompt - read - creation, 0),
            output_tokens=_int(usage.get("completion_tokens")),
            cache_creation_input_tokens=creation,
            cache_read_input_tokens=read,
        )

    @classmethod
    def from_responses(cls, usage: Any) -> Usage:
        """From a Responses API / embeddings / rerank ``usage`` (``input_tokens`` is all input).

        Embeddings count ``prompt_tokens``; Cohere's ``meta.tokens`` uses the Responses names.
        """
        if not isinstance(usage, dict):
            return cls()
        details = usage.get("input_tokens_details")
        read = _int(details.get("cached_tokens")) if isinstance(details, dict) else 0
        total_input = _int(usage.get("input_tokens")) or _int(usage.get("prompt_tokens"))
        return cls(
            input_tokens=max(total_input - read, 0),
            output_tokens=_int(usage.get("output_tokens")),
            cache_read_input_tokens=read,
        )

    def merged(self, update: Usage) -> Usage:
        """This usage with the non-zero counts of ``update`` taking over."""
        return Usage(
            input_tokens=update.input_tokens or self.input_tokens,
            output_tokens=update.output_tokens or self.output_tokens,
            cache_creation_input_tokens=update.cache_creation_input_tokens
            or self.cache_creation_input_tokens,
            cache_read_input_tokens=update.cache_read_input_tokens or self.cache_read_input_tokens,
        )

    def __str__(self) -> str:
        parts = [f"input={self.input_tokens}", f"output={self.output_tokens}"]
        if self.cache_creation_input_tokens:
            parts.append(f"cache_write={self.cache_creation_input_tokens}")
        if self.cache_read_input_tokens:
            parts.append(f"cache_read={self.cache_read_input_tokens}")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Timings:
    """Client-side timings in seconds: time to first token (streams only), total, throughput."""

    total: float
    ttft: float | None = None
    output_tokens: int = 0

    @property
    def tokens_per_second(self) -> float | None:
        """Output tokens per second of generation (after the first token for streams)."""
        span = self.total - (self.ttft or 0.0)
        if self.output_tokens <= 0 or span <= 0:
            return None
        return self.output_tokens / span

    def __str__(self) -> str:
        parts = []
        if self.ttft is not None:
            parts.append(f"ttft={self.ttft * 1000:.1f}ms")
        parts.append(f"total={self.total * 1000:.1f}ms")
        rate = self.tokens_per_second
        if rate is not None:
            parts.append(f"{rate:.1f} tok/s")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Message:
    """A Messages API response (``POST /anthropic/v1/messages``)."""

    id: str
    model: str
    content: list[dict[str, Any]]
    stop_reason: str | None
    usage: Usage
    raw: dict[str, Any] = field(repr=False)
    timings: Timings | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        """The concatenated text blocks."""
        return "".join(b.get("text", "") for b in self.content if b.get("type") == "text")

    @classmethod
    def from_dict(cls, data: dict[str, Any], timings: Timings | None = None) -> Message:
        """Parse a response body."""
        content = data.get("content")
        return cls(
            id=str(data.get("id", "")),
            model=str(data.get("model", "")),
            content=[b for b in content if isinstance(b, dict)]
            if isinstance(content, list)
            else [],
            stop_reason=data.get("stop_reason"),
            usage=Usage.from_anthropic(data.get("usage")),
            raw=data,
            timings=timings,
        )


@dataclass(frozen=True, slots=True)
class ChatCompletion:
    """A chat completion (``POST /v1/chat/completions``); ``text`` is the first choice's."""

    id: str
    model: str
    text: str
    finish_reason: str | None
    usage: Usage
    raw: dict[str, Any] = field(repr=False)
    timings: Timings | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any], timings: Timings | None = None) -> ChatCompletion:
        """Parse a response body."""
        choices = data.get("choices")
        first = choices[0] if isinstance(choices, list) and choices else {}
        message = first.get("message") if isinstance(first, dict) else None
        content = message.get("content") if isinstance(message, dict) else None
        return cls(
            id=str(data.get("id", "")),
            model=str(data.get("model", "")),
            text=content if isinstance(content, str) else "",
            finish_reason=first.get("finish_reason") if isinstance(first, dict) else None,
            usage=Usage.from_openai(data.get("usage")),
            raw=data,
            timings=timings,
        )


@dataclass(frozen=True, slots=True)
class Model:
    """One entry of ``GET /v1/models``."""

    id: str
    owned_by: str = ""
    created: int = 0


@dataclass(frozen=True, slots=True)
class MessageEvent:
    """One Messages stream event; ``type`` is ``message_start``, ``content_block_delta``, …"""

    type: str
    data: dict[str, Any] = field(repr=False)

    @property
    def text(self) -> str:
        """The text of a ``text_delta`` ('' for every other event)."""
        if self.type != "content_block_delta":
            return ""
        delta = self.data.get("delta")
        if isinstance(delta, dict) and delta.get("type") == "text_delta":
            text = delta.get("text")
            return text if isinstance(text, str) else ""
        return ""


@dataclass(frozen=True, slots=True)
class ChatChunk:
    """One ``chat.completion.chunk`` of a chat stream."""

    data: dict[str, Any] = field(repr=False)

    @property
    def text(self) -> str:
        """The first choice's content delta ('' when there is none)."""
        delta = self._first().get("delta")
        content = delta.get("content") if isinstance(delta, dict) else None
        return content if isinstance(content, str) else ""

    @property
    def finish_reason(self) -> str | None:
        """The first choice's finish reason, once it is known."""
        reason = self._first().get("finish_reason")
        return reason if isinstance(reason, str) else None

    @property
    def usage(self) -> Usage | None:
        """The usage of a usage chunk, else None."""
        usage = self.data.get("usage")
        return Usage.from_openai(usage) if isinstance(usage, dict) else None

    def _first(self) -> dict[str, Any]:
        choices = self.data.get("choices")
        first = choices[0] if isinstance(choices, list) and choices else None
        return first if isinstance(first, dict) else {}


@dataclass(frozen=True, slots=True)
class Embeddings:
    """``/v1/embeddings``: one vector per input, in input order."""

    model: str
    vectors: list[list[float]] = field(repr=False)
    usage: Usage
    raw: dict[str, Any] = field(repr=False)

    @property
    def dimensions(self) -> int:
        """The length of each vector (0 when there are none)."""
        return len(self.vectors[0]) if self.vectors else 0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Embeddings:
        """From the API's list object (float encoding)."""
        items = data.get("data")
        rows = sorted(
            (item for item in items if isinstance(item, dict)) if isinstance(items, list) else [],
            key=lambda item: _int(item.get("index")),
        )
        vectors = [
            [float(v) for v in row["embedding"]]
            for row in rows
            if isinstance(row.get("embedding"), list)
        ]
        return cls(
            str(data.get("model", "")), vectors, Usage.from_responses(data.get("usage")), data
        )


@dataclass(frozen=True, slots=True)
class Response:
    """A Responses API response: ``text`` joins the output text of its message items."""

    id: str
    model: str
    status: str
    text: str
    usage: Usage
    raw: dict[str, Any] = field(repr=False)
    timings: Timings | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any], timings: Timings | None = None) -> Response:
        """From the API's ``response`` object."""
        parts: list[str] = []
        output = data.get("output")
        for item in output if isinstance(output, list) else []:
            content = item.get("content") if isinstance(item, dict) else None
            for part in content if isinstance(content, list) else []:
                if isinstance(part, dict) and part.get("type") == "output_text":
                    parts.append(str(part.get("text", "")))
        return cls(
            id=str(data.get("id", "")),
            model=str(data.get("model", "")),
            status=str(data.get("status", "")),
            text="".join(parts),
            usage=Usage.from_responses(data.get("usage")),
            raw=data,
            timings=timings,
        )


@dataclass(frozen=True, slots=True)
class ResponseEvent:
    """One Responses API stream event (``type`` such as ``response.output_text.delta``)."""

    type: str
    data: dict[str, Any] = field(repr=False)

    @property
    def text(self) -> str:
        """The text delta of an ``response.output_text.delta`` event, else ``""``."""
        delta = self.data.get("delta")
        return delta if self.type == "response.output_text.delta" and isinstance(delta, str) else ""


@dataclass(frozen=True, slots=True)
class RerankResult:
    """One reranked document: its index in the request and its relevance score."""

    index: int
    relevance_score: float


@dataclass(frozen=True, slots=True)
class Rerank:
    """Cohere ``/v2/rerank``: results by descending relevance."""

    id: str
    results: list[RerankResult]
    usage: Usage
    raw: dict[str, Any] = field(repr=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rerank:
        """From the API's response (usage from ``meta.tokens``)."""
        results = data.get("results")
        meta = data.get("meta")
        tokens = meta.get("tokens") if isinstance(meta, dict) else None
        return cls(
            id=str(data.get("id", "")),
            results=[
                RerankResult(_int(r.get("index")), float(r.get("relevance_score", 0.0)))
                for r in (results if isinstance(results, list) else [])
                if isinstance(r, dict)
            ],
            usage=Usage.from_responses(tokens),
            raw=data,
        )
