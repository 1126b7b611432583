"""An incremental server-sent events decoder (WHATWG rules), fed bytes as they arrive.

The SDK has its own decoder so that it never imports the bundled gateway.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    """One dispatched event: ``event`` is None when the stream named none."""

    event: str | None
    data: str
    id: str | None = None


class SSEDecoder:
    """Turns byte chunks into events; lines may end in CRLF, LF or CR and span chunk borders."""

    def __init__(self) -> None:
        self._buffer = ""
        self._pending_cr = False
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._event: str | None = None
        self._data: list[str] = []
        self._id: str | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode ``chunk`` and return every event it completes."""
        text = self._utf8.decode(chunk)
        events: list[ServerSentEvent] = []
        for line in self._lines(text):
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def flush(self) -> list[ServerSentEvent]:
        """End of stream: dispatch an unterminated last event (lenient; the spec drops it)."""
        events: list[ServerSentEvent] = []
        tail = self._utf8.decode(b"", final=True)
        if tail:
            self._buffer += tail
        if self._buffer:
            line, self._buffer = self._buffer, ""
            event = self._line(line)
            if event is not None:
                events.append(event)
        event = self._line("")
        if event is not None:
            events.append(event)
        return events

    def _lines(self, text: str) -> list[str]:
        if self._pending_cr and text.startswith("\n"):
            text = text[1:]
        self._pending_cr = False
        buffer = self._buffer + text
        lines: list[str] = []
        start = 0
        index = 0
        while index < len(buffer):
            char = buffer[index]
            if char == "\r" or char == "\n":
                lines.append(buffer[start:index])
                if char == "\r":
                    if index + 1 == len(buffer):
                        self._pending_cr = True
                    elif buffer[index + 1] == "\n":
                        index += 1
                start = index + 1
            index += 1
        self._buffer = buffer[start:]
        return lines

    def _line(self, line: str) -> ServerSentEvent | None:
        if not line:
            if not self._data:
                # No data lines: nothing to dispatch (the spec resets the event type too).
                self._event = None
                return None
            event = ServerSentEvent(self._event, "\n".join(self._data), self._id)
            self._event, self._data = None, []
            return event
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self._id = value or None
        return None
