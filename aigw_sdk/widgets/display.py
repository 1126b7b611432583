"""``stream_to_display``: render a stream into a notebook display handle, without widgets.

The live display is updated in place (throttled) and ends with timings; the returned
:class:`StreamSummary` has a deterministic ``text/plain`` (answer and token counts, no times),
which is what nbval compares. The live Markdown starts with the invisible :data:`LIVE_MARKER`
so a sanitizer can blank it (nbval records the first version of a display, not its updates).
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass
from typing import Any

from aigw_sdk.client.streaming import AsyncStream, Stream
from aigw_sdk.client.types import (
    ChatChunk,
    ChatCompletion,
    Message,
    MessageEvent,
    Response,
    ResponseEvent,
    Timings,
    Usage,
)

LIVE_MARKER = "<!-- aigw-sdk:live -->"
SyncStream = (
    Stream[MessageEvent, Message]
    | Stream[ChatChunk, ChatCompletion]
    | Stream[ResponseEvent, Response]
)
AsyncStreamT = (
    AsyncStream[MessageEvent, Message]
    | AsyncStream[ChatChunk, ChatCompletion]
    | AsyncStream[ResponseEvent, Response]
)


@dataclass(frozen=True)
class StreamSummary:
    """The outcome of a displayed stream; ``repr`` leaves out the (variable) timings."""

    text: str
    usage: Usage
    stop_reason: str | None
    timings: Timings

    def __repr__(self) -> str:
        return f"{self.text}\n[{self.usage} stop_reason={self.stop_reason}]"


class _Renderer:
    """A display handle updated at most every ``interval`` seconds."""

    def __init__(self, interval: float) -> None:
        ipd: Any = importlib.import_module("IPython.display")  # untyped; imported lazily
        self._markdown: Any = ipd.Markdown
        self._interval = interval
        self._last = 0.0
        self._parts: list[str] = []
        self._handle: Any = ipd.display(ipd.Markdown(LIVE_MARKER), display_id=True)

    def add(self, text: str) -> None:
        if not text:
            return
        self._parts.append(text)
        now = time.perf_counter()
        if now - self._last >= self._interval:
            self._last = now
            self._update("".join(self._parts) + " ▌")

    def finish(self, summary: StreamSummary) -> None:
        footer = f"\n\n*{summary.usage} · {summary.timings}*"
        self._update(summary.text + footer)

    def _update(self, text: str) -> None:
        if self._handle is not None:
            self._handle.update(self._markdown(f"{LIVE_MARKER}\n{text}"))


def _summary(final: Message | ChatCompletion | Response, timings: Timings) -> StreamSummary:
    if isinstance(final, Message):
        reason = final.stop_reason
    elif isinstance(final, ChatCompletion):
        reason = final.finish_reason
    else:
        reason = final.status  # the Responses API reports a status, not a stop reason
    return StreamSummary(final.text, final.usage, reason, timings)


def stream_to_display(stream: SyncStream, *, interval: float = 0.08) -> StreamSummary:
    """Show ``stream`` (``client.messages/chat/responses(stream=True)``) as it arrives; return the
    summary once it is exhausted."""
    renderer = _Renderer(interval)
    for event in stream:
        renderer.add(event.text)
    summary = _summary(stream.final, stream.timings)
    renderer.finish(summary)
    return summary


async def astream_to_display(stream: AsyncStreamT, *, interval: float = 0.08) -> StreamSummary:
    """The async twin of :func:`stream_to_display` (``await`` it in a cell)."""
    renderer = _Renderer(interval)
    async for event in stream:
        renderer.add(event.text)
    summary = _summary(stream.final, stream.timings)
    renderer.finish(summary)
    return summary
