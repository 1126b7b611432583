"""The shared SSE parser as the client helpers use it: WHATWG framing rules."""

from __future__ import annotations

import pytest

from aigw_sdk.sse import SSEEvent, SSEParser

STREAM = (
    b": comment\r\n"
    b"event: message_start\r\n"
    b'data: {"a": 1}\r\n'
    b"\r\n"
    b"data: line one\n"
    b"data: line two\n"
    b"id: 7\n"
    b"\n"
    b"event: ping\rdata:\r\r"
    b"data: caf\xc3\xa9\n\n"
)
EXPECTED = [
    SSEEvent('{"a": 1}', "message_start"),
    SSEEvent("line one\nline two", "message", "7"),
    SSEEvent("", "ping", "7"),
    SSEEvent("café", "message", "7"),
]


def test_whole_stream() -> None:
    decoder = SSEParser()
    assert decoder.feed(STREAM) + decoder.flush() == EXPECTED


@pytest.mark.parametrize("size", [1, 2, 3, 5, 13])
def test_any_chunking_gives_the_same_events(size: int) -> None:
    decoder = SSEParser()
    events: list[SSEEvent] = []
    for start in range(0, len(STREAM), size):
        events.extend(decoder.feed(STREAM[start : start + size]))
    events.extend(decoder.flush())
    assert events == EXPECTED


def test_event_without_data_is_not_dispatched() -> None:
    decoder = SSEParser()
    assert decoder.feed(b"event: lonely\n\ndata: x\n\n") == [SSEEvent("x")]


def test_flush_dispatches_an_unterminated_event() -> None:
    decoder = SSEParser()
    assert decoder.feed(b"data: [DONE]") == []
    assert decoder.flush() == [SSEEvent("[DONE]")]
