"""The limiter the data plane calls: `admit` before a request goes upstream, `settle` after.

Semantics are Envoy's global rate limit with the envoyproxy/ratelimit service: each applicable
rule adds its request cost to its counter and the request is over the limit when a counter ends
above its limit (a cost of 0 only checks); response costs are added once the response (stream
included) has completed and its usage is known. Rules in shadow mode count but never reject.
QuotaPolicy buckets (Shared mode) are checked at admission and charged the cost expression's
value at the end; a request is refused when every matching enforcing bucket is exhausted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from gateway.ratelimit.counters import (
    Counters,
    CounterStoreUnavailable,
    Hit,
    MemoryCounters,
    now,
    window_start,
)
from gateway.ratelimit.rules import LimitRule, ModelQuota, RateLimitConfig, RequestInfo
from gateway.translation.usage import TokenUsage

__all__ = ["Admission", "Limiter", "Usage", "request_info"]

Send = Any  # the ASGI send callable
_LOG = logging.getLogger("gateway.ratelimit")
_WARN_EVERY = 10.0  # seconds between two "counter store unavailable" log lines


@dataclass(frozen=True, slots=True)
class _Counted:
    rule: LimitRule
    key: str
    value: int

    @property
    def over(self) -> bool:
        return self.value > self.rule.limit


@dataclass(slots=True)
class _QuotaUse:
    backend: str
    model: str
    quota: ModelQuota
    buckets: list[tuple[LimitRule, str]]


@dataclass(slots=True)
class Admission:
    """The outcome of `admit`: whether to refuse, the headers to send, what to charge later."""

    rejected_by: str | None = None
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    charged: list[tuple[LimitRule, str]] = field(default_factory=list)
    quotas: list[_QuotaUse] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        """Whether the request is over a limit."""
        return self.rejected_by is not None

    def wrap(self, send: Send) -> Send:
        """`send` adding the `x-ratelimit-*` headers to the response start."""
        if not self.headers:
            return send
        extra = self.headers

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return with_headers


@dataclass(frozen=True, slots=True)
class Usage:
    """What `settle` charges: the metadata costs, the usage, and where the request went."""

    costs: Mapping[str, int] | None
    usage: TokenUsage | None
    backend: str | None
    model: str
    route_name: str


def request_info(scope: Mapping[str, Any], headers: Mapping[str, str]) -> RequestInfo:
    """The selector view of an ASGI request."""
    client = scope.get("client")
    query = scope.get("query_string") or b""
    return RequestInfo(
        headers=headers,
        method=str(scope.get("method", "GET")).upper(),
        path=str(scope.get("path", "/")),
        query=dict(parse_qsl(query.decode("latin-1"))) if query else {},
        client=client[0] if client else None,
    )


class Limiter:
    """Applies a configuration's limits against one counter store."""

    def __init__(self, counters: Counters | None = None) -> None:
        self.counters: Counters = counters if counters is not None else MemoryCounters()
        self._warned = 0.0

    def __repr__(self) -> str:
        return f"Limiter({self.counters!r})"

    @property
    def store(self) -> str:
        """`memory` or `redis`."""
        return "memory" if isinstance(self.counters, MemoryCounters) else "redis"

    async def admit(
        self,
        config: RateLimitConfig,
        route_name: str,
        candidates: Sequence[tuple[str, str]],
        request: RequestInfo,
    ) -> Admission:
        """Check (and charge the request cost of) every limit that applies to the request.

        `candidates` are the (backend, model) pairs the route may send the request to.
        """
        admission = Admission()
        hits: list[Hit] = []
        counted: list[LimitRule] = []
        for rule in config.rules_for(route_name):
            key = rule.descriptor(request)
            if key is not None:
                hits.append(Hit(key, rule.window, rule.request_cost.amount(None)))
                counted.append(rule)
                if rule.response_cost is not None:
                    admission.charged.append((rule, key))
        unquoted = not candidates
        for backend, model in candidates:
            quotas = config.quotas_for(backend, model)
            if not quotas:
                unquoted = True
            for quota in quotas:
                use = _QuotaUse(backend, model, quota, [])
                for bucket in quota.buckets:
                    key = bucket.descriptor(request)
                    if key is not None:
                        use.buckets.append((bucket, key))
                        hits.append(Hit(key, bucket.window, 0))
                        counted.append(bucket)
                admission.quotas.append(use)
        if not hits:
            return admission
        stamp = now()
        try:
            values = await self.counters.add(hits, stamp)
        except CounterStoreUnavailable as exc:
            # Envoy's default (failure_mode_deny off): a request is let through, uncounted.
            self._store_failed(exc)
            return Admission()
        results = [
            _Counted(rule, hit.key, value)
            for rule, hit, value in zip(counted, hits, values, strict=True)
        ]
        by_key = {c.key: c for c in results}
        rate = results[: len(results) - sum(len(u.buckets) for u in admission.quotas)]
        for c in rate:
            if c.over and not c.rule.shadow:
                admission.rejected_by = c.rule.source
                break
        if admission.rejected_by is None and admission.quotas and not unquoted:
            exhausted = [_exhausted(use, by_key) for use in admission.quotas]
            if all(reason is not None for reason in exhausted):
                admission.rejected_by = exhausted[0]
        admission.headers = _headers(
            [c for c in results if not c.rule.shadow], stamp, admission.rejected
        )
        return admission

    async def settle(self, admission: Admission, usage: Usage) -> None:
        """Add the response costs of a completed request."""
        hits: list[Hit] = []
        for rule, key in admission.charged:
            assert rule.response_cost is not None
            amount = rule.response_cost.amount(usage.costs)
            if amount:
                hits.append(Hit(key, rule.window, amount))
        if usage.usage is not None:
            for use in admission.quotas:
                if use.backend != usage.backend or use.model != usage.model:
                    continue
                amount = _quota_cost(use, usage)
                if amount:
                    hits.extend(Hit(key, bucket.window, amount) for bucket, key in use.buckets)
        if hits:
            try:
                await self.counters.add(hits, now())
            except CounterStoreUnavailable as exc:
                self._store_failed(exc)

    def _store_failed(self, exc: CounterStoreUnavailable) -> None:
        moment = time.monotonic()
        if moment - self._warned >= _WARN_EVERY:
            self._warned = moment
            _LOG.warning("rate limits not applied (requests pass uncounted): %s", exc)

    async def snapshot(self, config: RateLimitConfig) -> dict[str, Any]:
        """Every limit of `config` with the use of each of its counters in the current window."""
        stamp = now()
        values = await self.counters.snapshot(stamp)
        rules = []
        for rule in config.all_rules():
            start = window_start(stamp, rule.window)
            counters = []
            for stored, used in sorted(values.items()):
                head, _, window = stored.rpartition(":")
                if not head.startswith(f"{rule.id}:") or window != str(start):
                    continue
                counters.append(
                    {
                        "descriptor": head[len(rule.id) + 1 :],
                        "used": used,
                        "remaining": max(rule.limit - used, 0),
                        "reset_seconds": start + rule.window - int(stamp),
                    }
                )
            rules.append(
                {
                    "id": rule.id,
                    "source": rule.source,
                    "limit": rule.limit,
                    "unit": rule.unit,
                    "window_seconds": rule.window,
                    "shadow": rule.shadow,
                    "request_cost": rule.request_cost.describe(),
                    "response_cost": rule.describe_response_cost(),
                    "counters": counters,
                }
            )
        return {"store": self.store, "rules": rules}

    async def aclose(self) -> None:
        """Close the counter store."""
        await self.counters.aclose()


def _exhausted(use: _QuotaUse, by_key: Mapping[str, _Counted]) -> str | None:
    """Why a backend's quota refuses the request, or None when a matching bucket has room."""
    enforcing = [by_key[key] for bucket, key in use.buckets if not bucket.shadow]
    if not enforcing or any(not c.over for c in enforcing):
        return None
    return enforcing[0].rule.source


def _quota_cost(use: _QuotaUse, usage: Usage) -> int:
    tokens = usage.usage
    assert tokens is not None
    if use.quota.cost is None:
        return tokens.total_tokens
    variables = {
        "model": usage.model,
        "backend": usage.backend or "",
        "route_name": usage.route_name,
        "input_tokens": tokens.input_tokens,
        "cached_input_tokens": tokens.cached_input_tokens,
        "cache_creation_input_tokens": tokens.cache_creation_input_tokens,
        "output_tokens": tokens.output_tokens,
        "total_tokens": tokens.total_tokens,
        "reasoning_tokens": tokens.reasoning_tokens,
    }
    try:
        return max(int(use.quota.cost(variables)), 0)
    except (ValueError, TypeError, RuntimeError):
        return 0


def _headers(counted: list[_Counted], stamp: float, rejected: bool) -> list[tuple[bytes, bytes]]:
    """Envoy's draft-03 `x-ratelimit-*` headers from the counter closest to its limit."""
    if not counted:
        return []
    tightest = min(counted, key=lambda c: c.rule.limit - c.value)
    remaining = max(tightest.rule.limit - tightest.value, 0)
    start = window_start(stamp, tightest.rule.window)
    reset = max(start + tightest.rule.window - int(stamp), 1)
    policies = ", ".join(
        f"{c.rule.limit};w={c.rule.window}" for c in sorted(counted, key=lambda c: c.rule.window)
    )
    headers = [
        (b"x-ratelimit-limit", f"{tightest.rule.limit}, {policies}".encode()),
        (b"x-ratelimit-remaining", str(remaining).encode()),
        (b"x-ratelimit-reset", str(reset).encode()),
    ]
    if rejected:
        headers += [(b"x-envoy-ratelimited", b"true"), (b"retry-after", str(reset).encode())]
    return headers
