"""Server-sent events: an incremental WHATWG-compliant parser and an encoder (pure, no I/O).

One implementation for the SDK's client helpers, the bundled gateway and its simulator.

The parser works on whole lines: each fed chunk is split on its last line terminator and only the
complete part is parsed, so the cost is per line, not per byte. Line terminators are ASCII bytes
that never occur inside a UTF-8 multi-byte sequence, so lines are decoded only once complete.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEFAULT_MAX_EVENT",
    "DONE_FRAME",
    "SSEEvent",
    "SSEEventTooLarge",
    "SSEParser",
    "encode_comment",
    "encode_event",
]

_BOM = b"\xef\xbb\xbf"
DONE_FRAME = b"data: [DONE]\n\n"
"""The OpenAI end-of-stream sentinel frame."""
DEFAULT_MAX_EVENT = 64 * 1024 * 1024
"""Bytes one event (its unfinished line plus its data lines) may hold before it is refused."""


class SSEEventTooLarge(ValueError):
    """An event grew past the parser's `max_event` bytes without ending (a hostile upstream)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"upstream stream event exceeds {limit} bytes")
        self.limit = limit


@dataclass(frozen=True, slots=True)
class SSEEvent:
    """One dispatched event: `event` defaults to "message" as in the WHATWG spec."""

    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None


class SSEParser:
    """Incremental SSE parser: `feed()` bytes as they arrive, `flush()` at end of stream.

    Handles CR, LF and CRLF (also a CR ending one chunk and its LF starting the next), an optional
    single space after the colon, multi-line `data` joined with "\\n", `:` comments, a leading
    BOM and events split across chunks at any byte. `id` is the last event id seen on the stream
    (it persists across events, as in the spec); `retry` is set on the event whose block carried
    a valid `retry` field.
    """

    __slots__ = (
        "_bom_done", "_data", "_data_size", "_event", "_last_id", "_max_event", "_pending",
        "_pending_size", "_retry", "_skip_lf",
    )  # fmt: skip

    def __init__(self, max_event: int = DEFAULT_MAX_EVENT) -> None:
        self._max_event = max_event
        self._pending_size = 0  # bytes of the unfinished line
        self._data_size = 0  # bytes of the current event's data lines
        self._pending: list[bytes] = []
        self._skip_lf = False
        self._bom_done = False
        self._data: list[str] = []
        self._event = ""
        self._last_id: str | None = None
        self._retry: int | None = None

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """Parse one chunk of the stream and return the events it completed."""
        if not self._bom_done:
            chunk = self._strip_bom(chunk)
            if not self._bom_done:
                return []
        if self._skip_lf and chunk:
            self._skip_lf = False
            if chunk[0] == 0x0A:
                chunk = chunk[1:]
        end = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        if end < 0:
            if chunk:
                self._pending.append(chunk)
                self._pending_size += len(chunk)
                self._check()
            return []
        complete = chunk[: end + 1]
        if self._pending:
            self._pending.append(complete)
            complete = b"".join(self._pending)
            self._pending.clear()
            self._pending_size = 0
        rest = chunk[end + 1 :]
        if rest:
            self._pending.append(rest)
            self._pending_size = len(rest)
            self._check()
        elif chunk[end] == 0x0D:
            self._skip_lf = True
        return self._parse_lines(complete.splitlines())

    def _check(self) -> None:
        if self._pending_size + self._data_size > self._max_event:
            raise SSEEventTooLarge(self._max_event)

    def flush(self) -> list[SSEEvent]:
        """End of stream: dispatch an event left unterminated by the final blank line.

        The WHATWG spec discards such an event; a gateway relaying a truncated upstream stream
        is better served by seeing it, so it is dispatched when it carries data.
        """
        lines = [b"".join(self._pending)] if self._pending else []
        self._pending.clear()
        self._pending_size = 0
        if not self._bom_done:
            self._bom_done = True
        lines.append(b"")
        return self._parse_lines(lines)

    def _strip_bom(self, chunk: bytes) -> bytes:
        head = b"".join(self._pending) + chunk
        if len(head) < len(_BOM) and _BOM.startswith(head):
            self._pending = [head] if head else []
            return b""
        self._pending.clear()
        self._bom_done = True
        return head[len(_BOM) :] if head.startswith(_BOM) else head

    def _parse_lines(self, lines: list[bytes]) -> list[SSEEvent]:
        events: list[SSEEvent] = []
        for line in lines:
            if not line:
                if self._data:
                    events.append(
                        SSEEvent(
                            data="\n".join(self._data),
                            event=self._event or "message",
                            id=self._last_id,
                            retry=self._retry,
                        )
                    )
                self._data = []
                self._event = ""
                self._retry = None
                self._data_size = 0
                continue
            if line[0] == 0x3A:  # ":" comment
                continue
            field, sep, raw = line.partition(b":")
            if sep and raw[:1] == b" ":
                raw = raw[1:]
            self._apply_field(field, raw)
        return events

    def _apply_field(self, field: bytes, raw: bytes) -> None:
        if field == b"data":
            self._data_size += len(raw)
            self._check()
            self._data.append(raw.decode("utf-8", "replace"))
        elif field == b"event":
            self._event = raw.decode("utf-8", "replace")
        elif field == b"id":
            if b"\x00" not in raw:
                self._last_id = raw.decode("utf-8", "replace")
        elif field == b"retry" and raw.isdigit():
            self._retry = int(raw)


def encode_event(event: str | None, data: str | bytes) -> bytes:
    """Encode one event as `event: …` (when given) and `data: …` lines, ending with a blank line.

    Data containing line breaks is split over several `data:` lines, so it round-trips. The
    common case — one line, e.g. compact JSON — is a single concatenation (it is on the
    gateway's streaming hot path).
    """
    payload = data.encode() if isinstance(data, str) else data
    if b"\n" in payload or b"\r" in payload:
        lines = payload.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        body = b"".join(b"data: " + line + b"\n" for line in lines) + b"\n"
        return body if event is None else b"event: " + event.encode() + b"\n" + body
    if event is None:
        return b"data: " + payload + b"\n\n"
    return b"".join((b"event: ", event.encode(), b"\ndata: ", payload, b"\n\n"))


def encode_comment(text: str) -> bytes:
    """Encode an SSE comment frame (ignored by clients; useful as a keepalive)."""
    lines = text.encode().replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    return b"".join(b": " + line + b"\n" for line in lines) + b"\n"
