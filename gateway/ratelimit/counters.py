"""Fixed-window counters: in process memory, or in Redis shared by several gateway processes.

A counter is identified by a key and a window length in seconds; windows are aligned to the Unix
epoch (`now // window * window`), as in the envoyproxy/ratelimit service, so every process
computes the same window for the same instant. `add` applies several increments at once and
returns each counter's value after its increment; an increment of 0 only reads.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

__all__ = [
    "CounterStoreUnavailable",
    "Counters",
    "Hit",
    "MemoryCounters",
    "RedisCounters",
    "window_start",
]

_PREFIX: Final = "aigw"
# INCRBY then EXPIRE for each key, in one atomic script: ARGV holds (amount, ttl) pairs.
_SCRIPT: Final = """
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call('INCRBY', key, ARGV[2 * i - 1])
  if redis.call('TTL', key) < 0 then
    redis.call('EXPIRE', key, ARGV[2 * i])
  end
end
return out
"""


class CounterStoreUnavailable(Exception):
    """The counter store could not be reached or failed (the message names no credential)."""


@dataclass(frozen=True, slots=True)
class Hit:
    """Add `amount` to the counter `key` in the window of `window` seconds containing `now`."""

    key: str
    window: int
    amount: int


def window_start(now: float, window: int) -> int:
    """The start (epoch seconds) of the window of `window` seconds that contains `now`."""
    return int(now // window) * window


def _storage_key(hit: Hit, now: float) -> str:
    return f"{_PREFIX}:{hit.key}:{window_start(now, hit.window)}"


class Counters(Protocol):
    """Where counters live."""

    async def add(self, hits: Sequence[Hit], now: float) -> list[int]:
        """Apply every hit atomically; each counter's value after its increment, in order."""
        ...

    async def snapshot(self, now: float) -> dict[str, int]:
        """`key:window_start` -> value of every counter whose window contains `now`."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


class MemoryCounters:
    """Counters of one process. `add` never awaits, so it is atomic on the event loop."""

    def __init__(self) -> None:
        self._values: dict[str, tuple[int, int]] = {}  # storage key -> (window end, value)
        self._next_purge = 0.0

    def __repr__(self) -> str:
        return f"MemoryCounters(counters={len(self._values)})"

    async def add(self, hits: Sequence[Hit], now: float) -> list[int]:
        if now >= self._next_purge:
            self._purge(now)
        out: list[int] = []
        for hit in hits:
            key = _storage_key(hit, now)
            end, value = self._values.get(key, (window_start(now, hit.window) + hit.window, 0))
            value += hit.amount
            self._values[key] = (end, value)
            out.append(value)
        return out

    async def snapshot(self, now: float) -> dict[str, int]:
        self._purge(now)
        return {key.removeprefix(f"{_PREFIX}:"): value for key, (_, value) in self._values.items()}

    async def aclose(self) -> None:
        self._values.clear()

    def _purge(self, now: float) -> None:
        self._values = {k: v for k, v in self._values.items() if v[0] > now}
        self._next_purge = now + 1.0


class RedisCounters:
    """Counters in Redis: one atomic Lua script per request, keys expiring with their window."""

    def __init__(self, url: str) -> None:
        import redis.asyncio as redis  # only needed with --ratelimit-redis
        from redis.exceptions import RedisError

        self._errors = RedisError
        self._client: Any = redis.Redis.from_url(
            url, socket_connect_timeout=2.0, socket_timeout=5.0
        )
        self._script: Any = self._client.register_script(_SCRIPT)

    def __repr__(self) -> str:
        return "RedisCounters(url=***)"  # the URL may carry a password

    async def add(self, hits: Sequence[Hit], now: float) -> list[int]:
        if not hits:
            return []
        keys = [_storage_key(hit, now) for hit in hits]
        args: list[int] = []
        for hit in hits:
            ttl = window_start(now, hit.window) + hit.window - int(now) + 1
            args.extend((hit.amount, max(ttl, 1)))
        try:
            values = await self._script(keys=keys, args=args)
        except (self._errors, OSError) as exc:
            raise CounterStoreUnavailable(f"Redis: {type(exc).__name__}: {exc}") from None
        return [int(v) for v in values]

    async def snapshot(self, now: float) -> dict[str, int]:
        try:
            keys = [key async for key in self._client.scan_iter(match=f"{_PREFIX}:*", count=500)]
            values = await self._client.mget(keys) if keys else []
        except (self._errors, OSError) as exc:
            raise CounterStoreUnavailable(f"Redis: {type(exc).__name__}: {exc}") from None
        out: dict[str, int] = {}
        for key, value in zip(keys, values, strict=True):
            if value is not None:
                out[key.decode().removeprefix(f"{_PREFIX}:")] = int(value)
        return out

    async def aclose(self) -> None:
        await self._client.aclose()


def now() -> float:
    """The wall clock the windows are aligned to."""
    return time.time()
