"""Sync and async streams: iterate typed events, then read ``final``, ``usage``, ``timings``."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import AsyncIterator, Iterator
from types import TracebackType
from typing import Generic, TypeVar

import httpx

from aigw_sdk.client.accumulate import Accumulator, StreamState
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
from aigw_sdk.sse import SSEEvent, SSEParser

E = TypeVar("E")
F = TypeVar("F")


class _StreamBase(Generic[E, F]):
    def __init__(self, response: httpx.Response, accumulator: Accumulator[E, F], started: float):
        self._response = response
        self._state: StreamState[E, F] = StreamState(accumulator, started)
        self._decoder = SSEParser()
        self._queue: deque[E] = deque()
        self._ended = False
        self._final: F | None = None
        self._error: Exception | None = None

    @property
    def done(self) -> bool:
        """Whether every event has been read."""
        return self._final is not None

    @property
    def final(self) -> F:
        """The accumulated response; available once the stream is exhausted."""
        if self._final is None:
            raise RuntimeError("the stream is not finished: iterate it (or call until_done())")
        return self._final

    @property
    def usage(self) -> Usage:
        """Token usage (final once the stream is exhausted)."""
        return self._state.accumulator.usage

    @property
    def timings(self) -> Timings:
        """Time to first token, total time and tokens/s (final once the stream is exhausted)."""
        return self._state.timings()

    def _enqueue(self, events: list[SSEEvent]) -> None:
        # An error event is raised only after the events before it have been read.
        for sse in events:
            if self._error is not None:
                return
            try:
                event = self._state.accumulator.parse(sse)
            except Exception as exc:
                self._error = exc
                return
            if event is not None:
                self._queue.append(event)

    def _take(self) -> E:
        event = self._queue.popleft()
        if self._state.accumulator.feed(event) and self._state.first_token is None:
            self._state.first_token = time.perf_counter()
        return event

    def _finish(self) -> None:
        self._state.finished = time.perf_counter()
        self._final = self._state.accumulator.result(self._state.timings())

    def __repr__(self) -> str:
        state = "done" if self.done else "open"
        return f"<{type(self).__name__} {state} status={self._response.status_code}>"


class Stream(_StreamBase[E, F], Iterator[E]):
    """A streaming response of the sync client (also a context manager that closes it)."""

    def __init__(self, response: httpx.Response, accumulator: Accumulator[E, F], started: float):
        super().__init__(response, accumulator, started)
        self._chunks = response.iter_bytes()

    def __iter__(self) -> Iterator[E]:
        return self

    def __next__(self) -> E:
        while not self._queue:
            if self._error is not None:
                self._response.close()
                raise self._error
            if self._ended:
                if self._final is None:
                    self._finish()
                raise StopIteration
            try:
                chunk = next(self._chunks)
            except StopIteration:
                self._ended = True
                self._response.close()
                self._enqueue(self._decoder.flush())
            except BaseException:
                self._response.close()
                raise
            else:
                self._enqueue(self._decoder.feed(chunk))
        return self._take()

    def until_done(self) -> F:
        """Read the rest of the stream and return :attr:`final`."""
        for _ in self:
            pass
        return self.final

    def close(self) -> None:
        """Stop reading and release the connection."""
        self._response.close()

    def __enter__(self) -> Stream[E, F]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(_StreamBase[E, F], AsyncIterator[E]):
    """A streaming response of the async client (also an async context manager)."""

    def __init__(self, response: httpx.Response, accumulator: Accumulator[E, F], started: float):
        super().__init__(response, accumulator, started)
        self._chunks = response.aiter_bytes()

    def __aiter__(self) -> AsyncIterator[E]:
        return self

    async def __anext__(self) -> E:
        while not self._queue:
            if self._error is not None:
                await self._response.aclose()
                raise self._error
            if self._ended:
                if self._final is None:
                    self._finish()
                raise StopAsyncIteration
            try:
                chunk = await self._chunks.__anext__()
            except StopAsyncIteration:
                self._ended = True
                await self._response.aclose()
                self._enqueue(self._decoder.flush())
            except BaseException:
                await self._response.aclose()
                raise
            else:
                self._enqueue(self._decoder.feed(chunk))
        return self._take()

    async def until_done(self) -> F:
        """Read the rest of the stream and return :attr:`final`."""
        async for _ in self:
            pass
        return self.final

    async def aclose(self) -> None:
        """Stop reading and release the connection."""
        await self._response.aclose()

    async def __aenter__(self) -> AsyncStream[E, F]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


MessageStream = Stream[MessageEvent, Message]
ChatStream = Stream[ChatChunk, ChatCompletion]
AsyncMessageStream = AsyncStream[MessageEvent, Message]
AsyncChatStream = AsyncStream[ChatChunk, ChatCompletion]
ResponseStream = Stream[ResponseEvent, Response]
AsyncResponseStream = AsyncStream[ResponseEvent, Response]
