"""Stream relays: passthrough (bytes unchanged, a parsed copy watched for usage) and translated.

Three upstream stream formats are watched:

* ``anthropic`` — named events; `message_stop` ends the message, `error` fails it;
* ``openai`` — Chat/legacy Completions `data:` chunks ending with `data: [DONE]`;
* ``typed`` — `data:` objects with a `type` member (Responses API, audio): `response.completed`,
  `response.incomplete`, `transcript.text.done` and `speech.audio.done` end the stream, carrying
  the usage; `response.failed` and `error` fail it.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from aigw_sdk.sse import DEFAULT_MAX_EVENT, SSEParser
from gateway.errors import API, stream_error_frame
from gateway.translation._json import loads
from gateway.translation._stream import StreamTranslator
from gateway.translation.translator import ClientAPI
from gateway.translation.usage import TokenUsage

__all__ = [
    "PassthroughRelay",
    "StreamFormat",
    "StreamUsage",
    "TranslatedRelay",
]

StreamFormat = Literal["anthropic", "openai", "typed"]
_TYPED_DONE: Final = frozenset(
    {"response.completed", "response.incomplete", "transcript.text.done", "speech.audio.done"}
)
_TYPED_FAILED: Final = frozenset({"response.failed", "error"})


def _loads(data: str) -> dict[str, Any]:
    try:
        value = loads(data)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class StreamUsage:
    """Watches a copy of an SSE stream for usage, response model and its end.

    `complete` turns true on the stream's successful terminal event; `failed` on an error
    event, which is terminal as well.
    """

    __slots__ = ("_format", "_parser", "_usage", "complete", "failed", "model")

    def __init__(self, stream_format: StreamFormat, max_event: int = DEFAULT_MAX_EVENT) -> None:
        self._format = stream_format
        self._parser = SSEParser(max_event)
        self._usage: dict[str, Any] = {}
        self.model: str | None = None
        self.complete = False
        self.failed = False

    @property
    def usage(self) -> TokenUsage | None:
        """The usage seen so far (None when the stream carried none)."""
        if not self._usage:
            return None
        if self._format == "anthropic":
            return TokenUsage.from_anthropic(self._usage)
        if self._format == "openai":
            return TokenUsage.from_openai(self._usage)
        return TokenUsage.from_responses(self._usage)

    @property
    def terminated(self) -> bool:
        """Whether the stream reached a terminal event (success or error)."""
        return self.complete or self.failed

    def feed(self, chunk: bytes) -> None:
        """Parse one upstream chunk."""
        for event in self._parser.feed(chunk):
            if self._format == "anthropic":
                self._anthropic_event(event.event, event.data)
            elif self._format == "openai":
                self._openai_event(event.data)
            else:
                self._typed_event(event.data)

    def _anthropic_event(self, name: str, data: str) -> None:
        if name == "message_stop":
            self.complete = True
        elif name == "message_start":
            message = _loads(data).get("message")
            if isinstance(message, dict):
                if isinstance(message.get("model"), str):
                    self.model = message["model"]
                if isinstance(message.get("usage"), dict):
                    self._usage.update(message["usage"])
        elif name == "message_delta":
            usage = _loads(data).get("usage")
            if isinstance(usage, dict):
                self._usage.update({k: v for k, v in usage.items() if v is not None})
        elif name == "error":
            self.failed = True

    def _openai_event(self, data: str) -> None:
        if data == "[DONE]":
            self.complete = True
            return
        if self.model is not None and '"usage"' not in data and '"error"' not in data:
            return
        chunk = _loads(data)
        if "error" in chunk and "choices" not in chunk:
            self.failed = True
            return
        if self.model is None and isinstance(chunk.get("model"), str):
            self.model = chunk["model"]
        usage = chunk.get("usage")
        if isinstance(usage, dict):
            self._usage = usage

    def _typed_event(self, data: str) -> None:
        if self.model is not None and '"usage"' not in data and '"error"' not in data:
            return  # a delta: nothing to learn from it
        event = _loads(data)
        kind = event.get("type")
        response = event.get("response")
        holder = response if isinstance(response, dict) else event
        if self.model is None and isinstance(holder.get("model"), str):
            self.model = holder["model"]
        usage = holder.get("usage")
        if isinstance(usage, dict):
            self._usage = usage
        if kind in _TYPED_DONE:
            self.complete = True
        elif kind in _TYPED_FAILED:
            self.failed = True


def _ends_event(tail: bytes) -> bool:
    """Whether SSE bytes end on an event boundary: a line end right after another line end."""
    for end in (b"\r\n", b"\n", b"\r"):
        if tail.endswith(end):
            return tail[: -len(end)].endswith((b"\n", b"\r"))
    return False


class PassthroughRelay:
    """Forwards chunks unchanged; ends a stream that did not terminate with an error event."""

    __slots__ = ("_api", "_tail", "_watch")

    def __init__(self, api: ClientAPI, stream_format: StreamFormat, max_event: int) -> None:
        self._api: ClientAPI = api
        self._watch = StreamUsage(stream_format, max_event)
        self._tail = b"\n\n"  # the stream's last bytes (enough to see an event boundary)

    def feed(self, chunk: bytes) -> list[bytes]:
        self._watch.feed(chunk)
        self._tail = chunk[-4:] if len(chunk) >= 4 else (self._tail + chunk)[-4:]
        return [chunk]

    def finish(self, failure: str | None) -> list[bytes]:
        if self._watch.terminated:
            return []
        api: API = "Anthropic" if self._api == "Anthropic" else "OpenAI"
        frame = stream_error_frame(api, 502, failure or "upstream stream ended before completion")
        # Close a half-sent event first, so the error event parses on its own.
        return [frame if _ends_event(self._tail) else b"\n\n" + frame]

    @property
    def usage(self) -> TokenUsage | None:
        return self._watch.usage

    @property
    def model(self) -> str | None:
        return self._watch.model

    @property
    def complete(self) -> bool:
        return self._watch.complete


class TranslatedRelay:
    """Parses upstream SSE and re-encodes each event with a stream translator."""

    __slots__ = ("_parser", "_translator")

    def __init__(self, translator: StreamTranslator, max_event: int) -> None:
        self._parser = SSEParser(max_event)
        self._translator = translator

    def feed(self, chunk: bytes) -> list[bytes]:
        frames: list[bytes] = []
        for event in self._parser.feed(chunk):
            frames.extend(self._translator.feed(event))
        return frames

    def finish(self, failure: str | None) -> list[bytes]:
        frames: list[bytes] = []
        if failure is None:
            for event in self._parser.flush():
                frames.extend(self._translator.feed(event))
        frames.extend(self._translator.finish())
        return frames

    @property
    def usage(self) -> TokenUsage | None:
        return self._translator.usage

    @property
    def model(self) -> str | None:
        return None

    @property
    def complete(self) -> bool:
        return self._translator.stop_reason is not None
