"""AWS event-stream framing: our encoder and incremental decoder against botocore's parser."""

from __future__ import annotations

import struct
import uuid
import zlib

import pytest
from botocore.eventstream import EventStreamBuffer

from gateway.translation.eventstream import (
    EventStreamDecoder,
    EventStreamError,
    encode_message,
    event,
    exception,
)


def _botocore_messages(data: bytes) -> list[tuple[dict[str, object], bytes]]:
    buffer = EventStreamBuffer()
    buffer.add_data(data)
    return [(dict(m.headers), m.payload) for m in buffer]


def test_botocore_reads_our_frames() -> None:
    data = event("contentBlockDelta", b'{"delta":{"text":"hi"}}') + exception(
        "throttlingException", b'{"message":"slow down"}'
    )
    parsed = _botocore_messages(data)
    assert parsed == [
        (
            {
                ":event-type": "contentBlockDelta",
                ":content-type": "application/json",
                ":message-type": "event",
            },
            b'{"delta":{"text":"hi"}}',
        ),
        (
            {
                ":exception-type": "throttlingException",
                ":content-type": "application/json",
                ":message-type": "exception",
            },
            b'{"message":"slow down"}',
        ),
    ]


def test_header_types_round_trip_through_botocore() -> None:
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    headers = {"yes": True, "no": False, "n": -7, "raw": b"\x00\x01", "s": "text", "id": ident}
    data = encode_message(headers, b"payload")
    (message,) = EventStreamDecoder().feed(data)
    assert dict(message.headers) == headers
    ((theirs, payload),) = _botocore_messages(data)
    assert payload == b"payload"
    assert theirs["s"] == "text" and theirs["n"] == -7 and theirs["yes"] is True


def test_decoder_is_incremental_byte_by_byte() -> None:
    frames = [event("messageStart", b'{"role":"assistant"}'), event("messageStop", b"{}")]
    data = b"".join(frames)
    decoder = EventStreamDecoder()
    seen = []
    for i in range(len(data)):
        seen += decoder.feed(data[i : i + 1])
        if i == len(frames[0]) - 2:
            assert not seen and decoder.pending == len(frames[0]) - 1
    assert [m.event_type for m in seen] == ["messageStart", "messageStop"]
    assert decoder.pending == 0


def test_decoder_reads_long_and_timestamp_headers() -> None:
    # Built by hand: botocore-decodable types our encoder never writes (long=5, timestamp=8).
    headers = b"\x01l\x05" + struct.pack(">q", 2**40) + b"\x01t\x08" + struct.pack(">q", 1234)
    total = 12 + len(headers) + 2 + 4
    prelude = struct.pack(">II", total, len(headers))
    body = prelude + struct.pack(">I", zlib.crc32(prelude)) + headers + b"{}"
    data = body + struct.pack(">I", zlib.crc32(body))
    (message,) = EventStreamDecoder().feed(data)
    assert message.headers == {"l": 2**40, "t": 1234}
    assert _botocore_messages(data)[0][1] == b"{}"


@pytest.mark.parametrize("where", [2, 9, -1])
def test_corruption_is_detected(where: int) -> None:
    data = bytearray(event("messageStop", b'{"stopReason":"end_turn"}'))
    data[where] ^= 0xFF
    with pytest.raises(EventStreamError, match=r"CRC|length"):
        EventStreamDecoder().feed(bytes(data))
