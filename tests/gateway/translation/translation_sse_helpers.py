"""Shared helpers: build SSE byte streams, run a translator over them, decode its frames."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Protocol

from aigw_sdk.sse import SSEEvent, SSEParser


class Translator(Protocol):
    def feed(self, event: SSEEvent) -> list[bytes]: ...

    def finish(self) -> list[bytes]: ...


def sse(events: Iterable[tuple[str | None, dict[str, Any] | str]]) -> bytes:
    """Encode (event name, payload) pairs the way an upstream writes them."""
    out = b""
    for name, payload in events:
        data = payload if isinstance(payload, str) else json.dumps(payload)
        out += (f"event: {name}\n" if name else "").encode() + f"data: {data}\n\n".encode()
    return out


def run(translator: Translator, chunks: Iterable[bytes]) -> bytes:
    """Parse upstream chunks, translate every event, finish at EOF; return all output bytes."""
    parser = SSEParser()
    out: list[bytes] = []
    for chunk in chunks:
        for event in parser.feed(chunk):
            out += translator.feed(event)
    for event in parser.flush():
        out += translator.feed(event)
    out += translator.finish()
    return b"".join(out)


def decode(output: bytes) -> list[Any]:
    """Output frames as (event name or None, JSON payload or raw data); comments as ':comment'."""
    frames: list[Any] = []
    for frame in output.split(b"\n\n")[:-1]:
        if frame.startswith(b":"):
            frames.append(frame.decode())
            continue
        parsed = SSEParser().feed(frame + b"\n\n")
        assert len(parsed) == 1, frame
        event = parsed[0]
        data: Any = event.data if event.data == "[DONE]" else json.loads(event.data)
        frames.append(data if event.event == "message" else (event.event, data))
    return frames
