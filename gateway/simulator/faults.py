"""Per-request behaviour switches read from `x-sim-*` request headers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from gateway.simulator.errors import SimError

STATUS: Final = b"x-sim-status"
FAIL_AFTER: Final = b"x-sim-fail-after-events"
FAIL_MODE: Final = b"x-sim-fail-mode"
LATENCY: Final = b"x-sim-latency-ms"
CHUNK_DELAY: Final = b"x-sim-chunk-delay-ms"
NON_JSON: Final = b"x-sim-non-json-error"
RETRY_AFTER: Final = b"x-sim-retry-after"
REPLY_WORDS: Final = b"x-sim-reply-words"
_ALL: Final = (
    STATUS,
    FAIL_AFTER,
    FAIL_MODE,
    LATENCY,
    CHUNK_DELAY,
    NON_JSON,
    RETRY_AFTER,
    REPLY_WORDS,
)
_MAX_MS: Final = 600_000


@dataclass(frozen=True)
class Faults:
    """What the request asked the simulator to do differently."""

    status: int | None = None
    fail_after: int | None = None
    fail_mode: Literal["error", "drop"] = "error"
    latency: float = 0.0
    chunk_delay: float | None = None
    non_json: bool = False
    retry_after: int = 1
    reply_words: int | None = None


NO_FAULTS: Final = Faults()


def parse_faults(headers: Mapping[bytes, bytes]) -> Faults:
    """Read the `x-sim-*` headers; a bad value is a 400 naming the header."""
    if not any(name in headers for name in _ALL):
        return NO_FAULTS
    mode = headers.get(FAIL_MODE, b"error").strip().lower()
    if mode not in (b"error", b"drop"):
        raise SimError(400, "x-sim-fail-mode: must be 'error' or 'drop'")
    chunk_delay = _number(headers, CHUNK_DELAY, 0, _MAX_MS)
    retry_after = _number(headers, RETRY_AFTER, 0, 86_400)
    return Faults(
        status=_number(headers, STATUS, 400, 599),
        fail_after=_number(headers, FAIL_AFTER, 0, 1_000_000),
        fail_mode="drop" if mode == b"drop" else "error",
        latency=(_number(headers, LATENCY, 0, _MAX_MS) or 0) / 1000,
        chunk_delay=None if chunk_delay is None else chunk_delay / 1000,
        non_json=headers.get(NON_JSON, b"0").strip() in (b"1", b"true"),
        retry_after=1 if retry_after is None else retry_after,
        reply_words=_number(headers, REPLY_WORDS, 0, 100_000),
    )


def _number(headers: Mapping[bytes, bytes], name: bytes, low: int, high: int) -> int | None:
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise SimError(400, f"{name.decode()}: must be an integer from {low} to {high}")
    return value
