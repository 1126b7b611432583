"""Admitting a model request: body size and budget, JSON parsing, depth and `model` checks.

`admit` reads and checks one request body and holds its share of the body budget until the
request is finished; every refusal is a `Rejected` naming the limit or field at fault, so the
data plane answers it in the client API's envelope and no client input reaches a 500.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Final

import orjson

from gateway.limits import BodyBudget, Limits, json_depth_exceeds
from gateway.serving import (
    ClientDisconnected,
    Receive,
    RequestBodyTooLarge,
    Scope,
    get_header,
    read_body,
)

__all__ = ["Admitted", "BudgetExhausted", "Rejected", "admit", "model_problem"]

_CONTROL: Final = frozenset(chr(c) for c in (*range(0x20), 0x7F))


@dataclass(frozen=True, slots=True)
class Admitted:
    """A request body that passed every check: the bytes and the parsed JSON object."""

    raw: bytes
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Rejected:
    """A refused request: the status (499: the client went away) and why."""

    status: int
    message: str
    param: str | None = None


class BudgetExhausted(Exception):
    """A body without Content-Length grew beyond the room left in the body budget."""


class _Lease:
    """The bytes of the body budget one request holds."""

    def __init__(self, budget: BodyBudget) -> None:
        self.budget = budget
        self.held = 0

    def grow(self, size: int) -> None:
        """Hold at least `size` bytes (never waits: a growing body must not deadlock another)."""
        if size <= self.held:
            return
        if not self.budget.try_take(size - self.held):
            raise BudgetExhausted(_budget_message(self.budget))
        self.held = size

    def release(self) -> None:
        held, self.held = self.held, 0
        if held:
            self.budget.release(held)


def _budget_message(budget: BodyBudget) -> str:
    return (
        f"envoy overloaded: request bodies in progress fill the body budget of "
        f"{budget.capacity} bytes (body budget)"
    )


def _content_length(scope: Scope) -> int | None:
    value = get_header(scope, b"content-length")
    if value is None or not value.isdigit():
        return None  # the HTTP parser already refused malformed lengths
    return int(value)


def model_problem(model: object) -> str | None:
    """Why a request's `model` cannot be routed, or None (absent/empty is decided per API).

    The model becomes the `x-ai-eg-model` header, so control characters (CR, LF, NUL, ...) are
    refused here rather than by the HTTP client building the upstream request.
    """
    if model is None or model == "":
        return None
    if not isinstance(model, str):
        return f"model must be a string, not {type(model).__name__}"
    if not _CONTROL.isdisjoint(model):
        return "model must not contain control characters (CR, LF, NUL, ...)"
    return None


@asynccontextmanager
async def admit(
    scope: Scope, receive: Receive, path: str, limits: Limits, budget: BodyBudget
) -> AsyncIterator[Admitted | Rejected]:
    """Read and check the request body, holding its budget share until the block exits."""
    declared = _content_length(scope)
    if declared is not None and declared > limits.body_limit:
        yield Rejected(413, str(RequestBodyTooLarge(limits.body_limit)))
        return
    lease = _Lease(budget)
    if declared and not await budget.take(declared, limits.queue_timeout):
        yield Rejected(503, _budget_message(budget))
        return
    lease.held = declared or 0
    try:
        yield await _read(receive, path, limits, lease)
    finally:
        lease.release()


async def _read(receive: Receive, path: str, limits: Limits, lease: _Lease) -> Admitted | Rejected:
    try:
        raw = await read_body(receive, limit=limits.body_limit, grow=lease.grow)
    except RequestBodyTooLarge as exc:
        return Rejected(413, str(exc))
    except BudgetExhausted as exc:
        return Rejected(503, str(exc))
    except ClientDisconnected:
        return Rejected(499, "client disconnected before sending its request")
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return Rejected(400, f"malformed request: failed to parse JSON for {path}: {exc}")
    if not isinstance(body, dict):
        message = "the request body must be a JSON object"
        return Rejected(400, f"malformed request: failed to parse JSON for {path}: {message}")
    if json_depth_exceeds(body, limits.max_json_depth):
        return Rejected(
            400,
            f"malformed request: JSON nesting exceeds the limit of {limits.max_json_depth} "
            "levels (max JSON depth)",
        )
    problem = model_problem(body.get("model"))
    if problem is not None:
        return Rejected(400, f"invalid request body: {problem}", "model")
    return Admitted(raw, body)
