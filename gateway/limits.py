"""The bounds on what one client can make the gateway do, with Envoy's defaults as the model.

`Limits` holds every knob (all configurable on `aigw-sdk run` and `LocalGateway`); the connection
limits are enforced by `gateway.protocol`, the per-request ones by `gateway.guard` and the data
plane. `BodyBudget` shares one byte budget between the request bodies being held in memory.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Final

import anyio

from aigw_sdk.durations import duration_arg

__all__ = [
    "DEFAULT_BODY_LIMIT",
    "BodyBudget",
    "Limits",
    "add_limit_options",
    "default_max_connections",
    "json_depth_exceeds",
    "limit_options",
    "limits_from_args",
]

DEFAULT_BODY_LIMIT: Final = 32 * 1024 * 1024
_FDS_RESERVED: Final = 64  # for listeners, the upstream pool's spare sockets, logs, files


def default_max_connections() -> int:
    """Half the descriptors the process may open (each proxied request also needs an upstream
    socket), at most 4096: the gateway refuses connections before it runs out of descriptors."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 4096
    return max(16, min(4096, (soft - _FDS_RESERVED) // 2))


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-process limits of one gateway (data plane; the admin app shares the connection ones).

    Envoy's counterparts: `max_request_headers_kb` (60), `request_headers_timeout` (10 s in its
    edge best practices), the HTTP connection manager's `idle_timeout`, `stream_idle_timeout`
    for a stalled body, the circuit breakers' `max_requests` (1024), the overload manager's
    `global_downstream_max_connections` and its buffer limits.
    """

    max_request_headers: int = 60 * 1024
    """Bytes of request line plus headers; more is a 431."""
    headers_timeout: float = 10.0
    """Seconds from a request's first byte until its headers are complete; then a 408."""
    idle_timeout: float = 60.0
    """Seconds a connection may sit without a request in progress before it is closed."""
    body_timeout: float = 60.0
    """Seconds from the end of the headers until the whole body arrived; then a 408."""
    max_connections: int = field(default_factory=default_max_connections)
    """Open client connections per listener; a connection beyond it gets a 503 and is closed."""
    max_requests: int = 1024
    """Requests in progress at once; more get a 503 (`overloaded_error`)."""
    body_limit: int = DEFAULT_BODY_LIMIT
    """Bytes of one request body; more is a 413."""
    body_budget: int = 2 * DEFAULT_BODY_LIMIT
    """Bytes of request bodies held at once; a request that does not fit waits (`queue_timeout`)
    for others to finish, then gets a 503."""
    queue_timeout: float = 30.0
    """Seconds a request waits for room in `body_budget` before its 503."""
    max_json_depth: int = 100
    """Nesting depth of a JSON request (and of a translated upstream response); deeper is a 400
    (protobuf's, and so Envoy's, default recursion limit is 100)."""
    max_upstream_body: int = 64 * 1024 * 1024
    """Bytes of a buffered (non-streaming) upstream response, more is a 502; also of one event
    of an upstream stream, more ends the stream with an error event."""

    def __post_init__(self) -> None:
        for name in ("headers_timeout", "idle_timeout", "body_timeout", "queue_timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be > 0 seconds, got {getattr(self, name)}")
        for name in (
            "max_request_headers", "max_connections", "max_requests", "body_limit",
            "body_budget", "max_json_depth", "max_upstream_body",
        ):  # fmt: skip
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.body_budget < self.body_limit:
            raise ValueError(
                f"body_budget ({self.body_budget}) must be at least body_limit ({self.body_limit})"
            )

    def with_body_limit(self, body_limit: int | None) -> Limits:
        """These limits with another body limit (the budget grows to hold at least one body)."""
        if body_limit is None:
            return self
        budget = max(self.body_budget, body_limit)
        return dataclasses.replace(self, body_limit=body_limit, body_budget=budget)


_UNITS: Final = {int: "N", float: "DURATION"}


def add_limit_options(parser: argparse.ArgumentParser) -> None:
    """One `--name` option per `Limits` field (`--body-limit`, `--headers-timeout`, ...)."""
    group = parser.add_argument_group("limits (Envoy-like defaults)")
    defaults = Limits()
    for spec in dataclasses.fields(Limits):
        default = getattr(defaults, spec.name)
        kind = type(default)
        group.add_argument(
            "--" + spec.name.replace("_", "-"),
            type=duration_arg if kind is float else kind,  # 90, 90s, 3m, 500ms
            default=None,
            metavar=_UNITS[kind],
            help=f"default {default}" + ("s" if kind is float else ""),
        )


def limits_from_args(args: argparse.Namespace) -> Limits:
    """The `Limits` the options of `add_limit_options` give; ValueError names a bad value."""
    given: dict[str, Any] = {
        spec.name: getattr(args, spec.name)
        for spec in dataclasses.fields(Limits)
        if getattr(args, spec.name, None) is not None
    }
    body_limit = given.pop("body_limit", None)
    if body_limit is not None and "body_budget" in given:
        return Limits(body_limit=body_limit, **given)
    return Limits(**given).with_body_limit(body_limit)


def limit_options(limits: Limits) -> list[str]:
    """The command-line options giving `limits` (only those that differ from the defaults)."""
    defaults = Limits()
    options: list[str] = []
    for spec in dataclasses.fields(Limits):
        value = getattr(limits, spec.name)
        if value != getattr(defaults, spec.name):
            options += ["--" + spec.name.replace("_", "-"), str(value)]
    return options


def json_depth_exceeds(value: object, limit: int) -> bool:
    """Whether parsed JSON nests containers deeper than `limit`.

    Walks level by level without recursion, allocating one list per level (few allocations, so
    a large body does not trigger garbage collections of the whole heap); linear in size.
    """
    level: list[Any] = [value] if type(value) in _CONTAINERS else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        below: list[Any] = []
        for node in level:
            for child in node.values() if type(node) is dict else node:
                if type(child) in _CONTAINERS:
                    below.append(child)
        level = below
    return False


_CONTAINERS: Final = (dict, list)


class BodyBudget:
    """A byte budget shared by the request bodies held in memory, granted first come, first served.

    `take` waits for room; `try_take` (used when a body without Content-Length grows) never
    waits, so two growing bodies cannot deadlock each other.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.used = 0
        self._waiters: deque[tuple[int, anyio.Event]] = deque()

    def try_take(self, size: int) -> bool:
        """Take `size` bytes now if they fit and nobody is queued; whether they were taken."""
        if self._waiters or self.used + size > self.capacity:
            return False
        self.used += size
        return True

    async def take(self, size: int, timeout: float) -> bool:
        """Take `size` bytes, waiting up to `timeout` seconds in line; whether they were taken."""
        if size > self.capacity:
            return False
        if self.try_take(size):
            return True
        entry = (size, anyio.Event())
        self._waiters.append(entry)
        try:
            with anyio.move_on_after(timeout):
                await entry[1].wait()
        except BaseException:
            self._withdraw(entry)
            raise
        if entry[1].is_set():
            return True
        self._withdraw(entry)
        return False

    def release(self, size: int) -> None:
        """Give back `size` bytes and admit whoever now fits."""
        self.used -= size
        self._admit()

    def _withdraw(self, entry: tuple[int, anyio.Event]) -> None:
        if entry[1].is_set():  # granted while being cancelled: give it back
            self.release(entry[0])
        else:
            self._waiters.remove(entry)
            self._admit()

    def _admit(self) -> None:
        while self._waiters and self.used + self._waiters[0][0] <= self.capacity:
            size, event = self._waiters.popleft()
            self.used += size
            event.set()
