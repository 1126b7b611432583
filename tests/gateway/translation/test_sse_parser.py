"""gateway.sse: WHATWG parsing rules, arbitrary chunking, encoding round-trips."""

from __future__ import annotations

import pytest

from aigw_sdk.sse import DONE_FRAME, SSEEvent, SSEParser, encode_comment, encode_event


def parse_all(data: bytes, chunks: list[int] | None = None) -> list[SSEEvent]:
    parser = SSEParser()
    events: list[SSEEvent] = []
    if chunks is None:
        events += parser.feed(data)
    else:
        start = 0
        for size in chunks:
            events += parser.feed(data[start : start + size])
            start += size
        events += parser.feed(data[start:])
    return events + parser.flush()


CASES = [
    ("lf", b"data: a\n\n", [SSEEvent(data="a")]),
    ("crlf", b"data: a\r\n\r\n", [SSEEvent(data="a")]),
    ("cr", b"data: a\r\r", [SSEEvent(data="a")]),
    ("mixed endings", b"data: a\r\ndata: b\rdata: c\n\n", [SSEEvent(data="a\nb\nc")]),
    ("no space after colon", b"data:a\n\n", [SSEEvent(data="a")]),
    ("only one space stripped", b"data:  a \n\n", [SSEEvent(data=" a ")]),
    ("multi-line data", b"data: a\ndata: b\n\n", [SSEEvent(data="a\nb")]),
    ("empty data line", b"data\n\n", [SSEEvent(data="")]),
    ("comment ignored", b": keepalive\ndata: x\n\n", [SSEEvent(data="x")]),
    ("comment-only block", b": ping\n\n", []),
    ("event name", b"event: ping\ndata: {}\n\n", [SSEEvent(data="{}", event="ping")]),
    ("event without data is dropped", b"event: x\n\ndata: y\n\n", [SSEEvent(data="y")]),
    (
        "id persists",
        b"id: 7\ndata: a\n\ndata: b\n\n",
        [SSEEvent("a", id="7"), SSEEvent("b", id="7")],
    ),
    ("id with NUL ignored", b"id: a\x00b\ndata: a\n\n", [SSEEvent(data="a")]),
    ("retry", b"retry: 1500\ndata: a\n\n", [SSEEvent(data="a", retry=1500)]),
    ("bad retry ignored", b"retry: 1.5\ndata: a\n\n", [SSEEvent(data="a")]),
    ("unknown field ignored", b"foo: bar\ndata: a\n\n", [SSEEvent(data="a")]),
    ("BOM stripped", b"\xef\xbb\xbfdata: a\n\n", [SSEEvent(data="a")]),
    ("only the first BOM", b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\n", []),
    ("utf-8", "data: héllo ✓\n\n".encode(), [SSEEvent(data="héllo ✓")]),
    ("unterminated flushed", b"data: a\ndata: b", [SSEEvent(data="a\nb")]),
    ("[DONE]", DONE_FRAME, [SSEEvent(data="[DONE]")]),
]


@pytest.mark.parametrize(("name", "raw", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse(name: str, raw: bytes, expected: list[SSEEvent]) -> None:
    assert parse_all(raw) == expected


@pytest.mark.parametrize(("name", "raw", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse_byte_by_byte(name: str, raw: bytes, expected: list[SSEEvent]) -> None:
    assert parse_all(raw, [1] * len(raw)) == expected


def test_every_two_way_split_of_a_mixed_stream() -> None:
    raw = "\ufeffevent: a\r\ndata: 1\r\n\r\n: c\rdata: é\r\rid: 9\ndata: x\ndata: y\n\n".encode()
    expected = [
        SSEEvent(data="1", event="a"),
        SSEEvent(data="é"),
        SSEEvent(data="x\ny", id="9"),
    ]
    for cut in range(len(raw) + 1):
        assert parse_all(raw, [cut]) == expected, cut


def test_cr_at_chunk_end_then_lf() -> None:
    parser = SSEParser()
    assert parser.feed(b"data: a\r") == []
    assert parser.feed(b"\n\r") == [SSEEvent(data="a")]
    assert parser.feed(b"\ndata: b\r\n\r\n") == [SSEEvent(data="b")]


def test_events_returned_as_soon_as_complete() -> None:
    parser = SSEParser()
    assert parser.feed(b"data: a\n\ndata: b") == [SSEEvent(data="a")]
    assert parser.feed(b"\n") == []
    assert parser.feed(b"\n") == [SSEEvent(data="b")]
    assert parser.flush() == []


@pytest.mark.parametrize(
    ("event", "data", "expected"),
    [
        (None, "x", b"data: x\n\n"),
        ("message_start", b'{"a":1}', b'event: message_start\ndata: {"a":1}\n\n'),
        (None, "a\nb", b"data: a\ndata: b\n\n"),
        (None, "a\r\nb\r", b"data: a\ndata: b\ndata: \n\n"),
        (None, "", b"data: \n\n"),
    ],
)
def test_encode_event(event: str | None, data: str | bytes, expected: bytes) -> None:
    encoded = encode_event(event, data)
    assert encoded == expected
    text = data if isinstance(data, str) else data.decode()
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    assert parse_all(encoded) == [SSEEvent(data=normalised, event=event or "message")]


def test_encode_comment() -> None:
    assert encode_comment("ping") == b": ping\n\n"
    assert encode_comment("a\nb") == b": a\n: b\n\n"
    assert parse_all(encode_comment("ping")) == []
