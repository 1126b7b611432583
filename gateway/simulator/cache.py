"""Prompt-cache simulation: prefix hashes with a time-to-live, per credential and model."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

#: How many block boundaries before a breakpoint Anthropic checks for an earlier cache hit.
LOOKBACK_BLOCKS: Final = 20
#: OpenAI reports cached tokens in increments of this many tokens.
OPENAI_CACHE_INCREMENT: Final = 128
#: A `"ttl": "1h"` breakpoint lives this many times `cache_ttl` (1 h versus 5 min).
LONG_TTL_FACTOR: Final = 12
_PURGE_EVERY: Final = 4096


@dataclass(frozen=True)
class Segment:
    """One block of the canonical prompt: its tokens, canonical bytes, breakpoint TTL if any."""

    tokens: int
    data: bytes
    breakpoint: str | None = None


@dataclass(frozen=True)
class CacheUsage:
    """Cache figures of one Anthropic request."""

    read: int = 0
    creation: int = 0
    creation_5m: int = 0
    creation_1h: int = 0


class PromptCache:
    """Remembers prefix hashes until they expire; reads refresh the expiry."""

    def __init__(
        self, ttl: float, min_tokens: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._min_tokens = min_tokens
        self._clock = clock
        self._entries: dict[bytes, tuple[float, float]] = {}
        self._writes = 0

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()

    def anthropic(self, namespace: bytes, segments: Sequence[Segment]) -> CacheUsage:
        """Look up and write the prefixes ending at `cache_control` breakpoints."""
        prefixes = _prefixes(namespace, segments)
        breakpoints = [i for i, seg in enumerate(segments) if seg.breakpoint is not None]
        now = self._clock()
        hit = -1
        for bp in breakpoints:
            for j in range(bp, max(bp - LOOKBACK_BLOCKS, hit), -1):
                if self._fresh(prefixes[j][1], now):
                    hit = j
                    break
        read = prefixes[hit][0] if hit >= 0 else 0
        if hit >= 0:
            self._refresh(prefixes[hit][1], now)
        written = {"5m": 0, "1h": 0}
        done = read
        for bp in breakpoints:
            tokens, digest = prefixes[bp]
            if bp <= hit or tokens < self._min_tokens:
                continue
            ttl_name = "1h" if segments[bp].breakpoint == "1h" else "5m"
            self._write(digest, now, self._ttl * (LONG_TTL_FACTOR if ttl_name == "1h" else 1))
            written[ttl_name] += tokens - done
            done = tokens
        return CacheUsage(
            read=read,
            creation=done - read,
            creation_5m=written["5m"],
            creation_1h=written["1h"],
        )

    def openai(self, namespace: bytes, segments: Sequence[Segment]) -> int:
        """Automatic prefix caching at message boundaries; returns the cached tokens."""
        prefixes = _prefixes(namespace, segments)
        now = self._clock()
        cached = 0
        for tokens, digest in reversed(prefixes):
            if tokens >= self._min_tokens and self._fresh(digest, now):
                self._refresh(digest, now)
                cached = tokens - tokens % OPENAI_CACHE_INCREMENT
                break
        for tokens, digest in prefixes:
            if tokens >= self._min_tokens:
                self._write(digest, now, self._ttl)
        return cached

    def _fresh(self, digest: bytes, now: float) -> bool:
        entry = self._entries.get(digest)
        if entry is None:
            return False
        if entry[0] <= now:
            del self._entries[digest]
            return False
        return True

    def _refresh(self, digest: bytes, now: float) -> None:
        ttl = self._entries[digest][1]
        self._entries[digest] = (now + ttl, ttl)

    def _write(self, digest: bytes, now: float, ttl: float) -> None:
        self._entries[digest] = (now + ttl, ttl)
        self._writes += 1
        if self._writes % _PURGE_EVERY == 0:
            self._entries = {k: v for k, v in self._entries.items() if v[0] > now}


def _prefixes(namespace: bytes, segments: Sequence[Segment]) -> list[tuple[int, bytes]]:
    """(cumulative tokens, prefix hash) at the end of every segment."""
    hasher = hashlib.sha256(namespace)
    total = 0
    result = []
    for seg in segments:
        hasher.update(len(seg.data).to_bytes(8, "big"))
        hasher.update(seg.data)
        total += seg.tokens
        result.append((total, hasher.digest()))
    return result
