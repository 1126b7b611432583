"""Request routing: the model header, rule precedence and backend choice (§4.1-§4.3).

Rules come pre-sorted from `gateway.config` (most header matches, then oldest route, then
namespace/name, then rule order), so selection is the first entry whose headers all match.
Backends are picked by weight within a priority; moving to the next priority happens only on
retries, after `numAttemptsPerPriority` attempts at the current one.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterable, Mapping

from gateway.runtime import BackendRef, HostScope, Rule

__all__ = ["AttemptPlan", "request_headers", "select_rule"]


def request_headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """Request headers keyed by name; repeated headers are joined with ",".

    ASGI servers already give header names in lower case (ASGI HTTP spec), so none is re-cased.
    """
    headers: dict[str, str] = {}
    for key, value in raw:
        name = key.decode("latin-1")
        text = value.decode("latin-1")
        previous = headers.get(name)
        headers[name] = text if previous is None else f"{previous},{text}"
    return headers


def select_rule(scope: HostScope, headers: Mapping[str, str]) -> Rule | None:
    """The winning rule for these headers (incl. `x-ai-eg-model`), or None when nothing matches."""
    for entry in scope.entries:
        for matcher in entry.headers:
            if not matcher.matches(headers):
                break
        else:
            return entry.rule
    return None


def _pick(refs: tuple[BackendRef, ...], cumulative: tuple[int, ...]) -> BackendRef:
    """A weighted random pick (`cumulative` holds the running weight sums, from the config)."""
    if len(refs) == 1:
        return refs[0]
    return refs[bisect_right(cumulative, random.random() * cumulative[-1])]


class AttemptPlan:
    """Chooses the backend of each attempt of one request under the rule's retry policy."""

    __slots__ = ("_attempts", "_level", "_rule", "_used_at_level")

    def __init__(self, rule: Rule) -> None:
        self._rule = rule
        self._attempts = 0
        self._level = 0
        self._used_at_level = 0

    @property
    def attempts(self) -> int:
        """How many attempts were started."""
        return self._attempts

    def can_retry(self) -> bool:
        """Whether another attempt is allowed (`numRetries`)."""
        return self._attempts <= self._rule.retry.num_retries

    def next_backend(self) -> BackendRef | None:
        """The backend of the next attempt; None when the rule has no usable backend."""
        priorities = self._rule.priorities
        if not priorities:
            return None
        per_priority = self._rule.retry.num_attempts_per_priority
        if per_priority and self._used_at_level >= per_priority:
            # Envoy's previous-priorities predicate: move on, wrapping once all were tried.
            self._level = (self._level + 1) % len(priorities)
            self._used_at_level = 0
        self._attempts += 1
        self._used_at_level += 1
        level = self._level
        return _pick(priorities[level], self._rule.cumulative_weights[level])
