"""The life cycle both stream translators share, and their SSE frame encoders."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from aigw_sdk.sse import SSEEvent, encode_event
from gateway.translation._json import dumps, loads
from gateway.translation.usage import TokenUsage

__all__ = ["StreamTranslator", "data_frame", "json_object", "named_frame"]


def named_frame(name: str, payload: dict[str, Any]) -> bytes:
    """`event: <name>` and one `data:` line of compact JSON (Anthropic, Responses API)."""
    return encode_event(name, dumps(payload))


def data_frame(payload: dict[str, Any]) -> bytes:
    """A single `data:` line of compact JSON (OpenAI chunks)."""
    return encode_event(None, dumps(payload))


def json_object(data: str) -> dict[str, Any] | None:
    """The JSON object in an event's data, or None when it is malformed or not an object."""
    try:
        payload = loads(data)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


class StreamTranslator(ABC):
    """Feed upstream events until the translated message is done; `finish()` once at EOF.

    After the message is done (completed or failed) `feed()` returns nothing; a second
    `finish()` returns nothing either.
    """

    def __init__(self) -> None:
        self._stop_reason: str | None = None
        self._done = False
        self._finished = False

    @property
    def stop_reason(self) -> str | None:
        """The Anthropic `stop_reason` of the message, once the upstream has reported it."""
        return self._stop_reason

    @property
    @abstractmethod
    def usage(self) -> TokenUsage:
        """The usage reported by the upstream so far."""

    def feed(self, event: SSEEvent) -> list[bytes]:
        """Translate one upstream event into encoded frames."""
        return [] if self._done else self._translate(event.data)

    def finish(self) -> list[bytes]:
        """Upstream EOF: the frames that close the translated stream."""
        if self._finished:
            return []
        self._finished = True
        return self._at_eof()

    @abstractmethod
    def _translate(self, data: str) -> list[bytes]:
        """The frames for one upstream event's data (called until the message is done)."""

    @abstractmethod
    def _at_eof(self) -> list[bytes]:
        """The frames that end the stream at upstream EOF (called once)."""
