"""A credential fetched by a blocking library, cached and refreshed before it expires.

The fetch runs in a worker thread (`anyio.to_thread`) so token endpoints never block the event
loop; concurrent callers share one fetch. A value is refreshed once less than `margin` of its
lifetime is left (five minutes, or a tenth of a short lifetime), as Envoy AI Gateway's
rotators do ahead of expiry. Nothing here logs or shows the value.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import anyio
import anyio.to_thread

__all__ = ["CredentialError", "Expiring", "RefreshingCache"]

T = TypeVar("T")
DEFAULT_MARGIN = 300.0


class CredentialError(Exception):
    """A credential could not be obtained; the message never contains secret material."""


@dataclass(frozen=True, slots=True, repr=False)
class Expiring(Generic[T]):
    """A value and its expiry (Unix time; None: never expires)."""

    value: T
    expires_at: float | None

    def __repr__(self) -> str:
        return f"Expiring(value='***', expires_at={self.expires_at!r})"


class RefreshingCache(Generic[T]):
    """Holds the latest value of `fetch()` and refreshes it ahead of expiry."""

    def __init__(
        self, fetch: Callable[[], Expiring[T]], *, clock: Callable[[], float] = time.time
    ) -> None:
        self._fetch = fetch
        self._clock = clock
        self._current: Expiring[T] | None = None
        self._lock: anyio.Lock | None = None
        self._fetched_at = 0.0
        self.fetches = 0

    def __repr__(self) -> str:
        expires = None if self._current is None else self._current.expires_at
        return f"RefreshingCache(fetches={self.fetches}, expires_at={expires!r})"

    def _fresh(self) -> T | None:
        current = self._current
        if current is None:
            return None
        if current.expires_at is None:
            return current.value
        lifetime = current.expires_at - self._fetched_at
        margin = min(DEFAULT_MARGIN, max(lifetime, 0.0) / 10)
        return current.value if current.expires_at - self._clock() > margin else None

    async def get(self) -> T:
        """The cached value, fetched again (in a thread) when missing or about to expire."""
        value = self._fresh()
        if value is not None:
            return value
        if self._lock is None:
            self._lock = anyio.Lock()
        async with self._lock:
            value = self._fresh()
            if value is not None:
                return value
            started = self._clock()
            fetched = await anyio.to_thread.run_sync(self._fetch)
            self._store(fetched, started)
            return fetched.value

    def get_blocking(self) -> T:
        """The same as `get()`, from a thread that is not running an event loop."""
        value = self._fresh()
        if value is None:
            started = self._clock()
            fetched = self._fetch()
            self._store(fetched, started)
            value = fetched.value
        return value

    def _store(self, fetched: Expiring[T], started: float) -> None:
        self.fetches += 1
        self._fetched_at = started
        self._current = fetched
