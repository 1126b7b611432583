"""AWS event-stream binary framing (`application/vnd.amazon.eventstream`), pure.

A message is: total length (u32), headers length (u32), prelude CRC32 (u32), headers, payload,
message CRC32 (u32), all big-endian; CRC32 is the zlib/IEEE one. Headers are
`name_len (u8) | name | type (u8) | value`. Bedrock's streaming APIs (ConverseStream and
InvokeModelWithResponseStream) send one message per event, with the string headers
`:message-type` (`event` or `exception`), `:event-type` / `:exception-type` and `:content-type`.

`EventStreamDecoder` is incremental: feed it whatever the socket delivers and it returns the
messages completed so far, keeping a partial message for the next feed.
"""

from __future__ import annotations

import struct
import uuid
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

__all__ = [
    "EVENTSTREAM_CONTENT_TYPE",
    "EventMessage",
    "EventStreamDecoder",
    "EventStreamError",
    "HeaderValue",
    "encode_message",
    "event",
    "exception",
]

EVENTSTREAM_CONTENT_TYPE: Final = "application/vnd.amazon.eventstream"
_PRELUDE: Final = struct.Struct(">III")
_CRC: Final = struct.Struct(">I")
_PRELUDE_LEN: Final = 12
_CRC_LEN: Final = 4
_MIN_MESSAGE: Final = _PRELUDE_LEN + _CRC_LEN
# The limits botocore enforces on a message.
MAX_HEADERS_LENGTH: Final = 128 * 1024
MAX_PAYLOAD_LENGTH: Final = 16 * 1024 * 1024

HeaderValue = bool | int | bytes | str | uuid.UUID


class EventStreamError(ValueError):
    """The bytes are not a valid event stream (bad CRC, length or header)."""


@dataclass(frozen=True, slots=True)
class EventMessage:
    """One decoded message: its headers and raw payload."""

    headers: Mapping[str, HeaderValue]
    payload: bytes

    def header(self, name: str) -> str | None:
        """A string header's value, or None when absent or not a string."""
        value = self.headers.get(name)
        return value if isinstance(value, str) else None

    @property
    def message_type(self) -> str:
        """`event`, `exception` or `error` (`event` when the header is absent)."""
        return self.header(":message-type") or "event"

    @property
    def event_type(self) -> str | None:
        """`:event-type` for events, `:exception-type` for exceptions."""
        if self.message_type == "exception":
            return self.header(":exception-type")
        return self.header(":event-type")


class EventStreamDecoder:
    """Incremental decoder: `feed(chunk)` returns the complete messages in the bytes so far."""

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer = bytearray()

    @property
    def pending(self) -> int:
        """Bytes held back as the start of an incomplete message."""
        return len(self._buffer)

    def feed(self, chunk: bytes) -> list[EventMessage]:
        """Append `chunk`; raises `EventStreamError` on corrupt framing."""
        if self._buffer:
            self._buffer += chunk
            data = memoryview(self._buffer)
        else:
            data = memoryview(chunk)
        messages: list[EventMessage] = []
        offset = 0
        size = len(data)
        try:
            while size - offset >= _PRELUDE_LEN:
                total, headers_len, prelude_crc = _PRELUDE.unpack_from(data, offset)
                if zlib.crc32(data[offset : offset + 8]) != prelude_crc:
                    raise EventStreamError("event stream prelude CRC mismatch")
                if headers_len > MAX_HEADERS_LENGTH:
                    raise EventStreamError(f"event stream headers too long ({headers_len} bytes)")
                payload_len = total - _MIN_MESSAGE - headers_len
                if payload_len < 0:
                    raise EventStreamError(f"event stream message length {total} is too short")
                if payload_len > MAX_PAYLOAD_LENGTH:
                    raise EventStreamError(f"event stream payload too long ({payload_len} bytes)")
                if size - offset < total:
                    break
                end = offset + total
                (message_crc,) = _CRC.unpack_from(data, end - _CRC_LEN)
                if zlib.crc32(data[offset : end - _CRC_LEN]) != message_crc:
                    raise EventStreamError("event stream message CRC mismatch")
                start = offset + _PRELUDE_LEN
                headers = _decode_headers(bytes(data[start : start + headers_len]))
                payload = bytes(data[start + headers_len : end - _CRC_LEN])
                messages.append(EventMessage(headers, payload))
                offset = end
            rest = bytes(data[offset:])
        finally:
            data.release()
        self._buffer = bytearray(rest)
        return messages


def _decode_headers(data: bytes) -> dict[str, HeaderValue]:
    headers: dict[str, HeaderValue] = {}
    pos = 0
    try:
        while pos < len(data):
            name_len = data[pos]
            name = data[pos + 1 : pos + 1 + name_len].decode()
            pos += 1 + name_len
            kind = data[pos]
            pos += 1
            value: HeaderValue
            if kind in (0, 1):
                value = kind == 0
            elif kind in _INTS:
                fmt = _INTS[kind]
                (value,) = struct.unpack_from(fmt, data, pos)
                pos += struct.calcsize(fmt)
            elif kind in (6, 7):
                (length,) = struct.unpack_from(">H", data, pos)
                raw = data[pos + 2 : pos + 2 + length]
                if len(raw) != length:
                    raise EventStreamError("event stream header value is truncated")
                value = raw.decode() if kind == 7 else raw
                pos += 2 + length
            elif kind == 9:
                value = uuid.UUID(bytes=data[pos : pos + 16])
                pos += 16
            else:
                raise EventStreamError(f"event stream header {name!r} has unknown type {kind}")
            headers[name] = value
    except (IndexError, struct.error, UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, EventStreamError):
            raise
        raise EventStreamError(f"malformed event stream headers: {exc}") from None
    return headers


# Header type -> struct format: byte, short, int, long, timestamp (ms since the epoch).
_INTS: Final = {2: ">b", 3: ">h", 4: ">i", 5: ">q", 8: ">q"}


def encode_message(headers: Mapping[str, HeaderValue], payload: bytes) -> bytes:
    """One framed message; `str` headers are type 7, `bytes` 6, `int` 4, `bool` 0/1."""
    encoded = bytearray()
    for name, value in headers.items():
        raw_name = name.encode()
        encoded += bytes([len(raw_name)]) + raw_name
        if isinstance(value, bool):
            encoded.append(0 if value else 1)
        elif isinstance(value, int):
            encoded += b"\x04" + struct.pack(">i", value)
        elif isinstance(value, uuid.UUID):
            encoded += b"\x09" + value.bytes
        else:
            raw = value.encode() if isinstance(value, str) else value
            encoded += (b"\x07" if isinstance(value, str) else b"\x06") + struct.pack(
                ">H", len(raw)
            )
            encoded += raw
    total = _MIN_MESSAGE + len(encoded) + len(payload)
    prelude = struct.pack(">II", total, len(encoded))
    message = prelude + struct.pack(">I", zlib.crc32(prelude)) + bytes(encoded) + payload
    return message + struct.pack(">I", zlib.crc32(message))


def event(event_type: str, payload: bytes, content_type: str = "application/json") -> bytes:
    """A Bedrock-style event message."""
    return encode_message(
        {":event-type": event_type, ":content-type": content_type, ":message-type": "event"},
        payload,
    )


def exception(exception_type: str, payload: bytes) -> bytes:
    """A Bedrock-style exception message (sent mid-stream instead of the next event)."""
    return encode_message(
        {
            ":exception-type": exception_type,
            ":content-type": "application/json",
            ":message-type": "exception",
        },
        payload,
    )
