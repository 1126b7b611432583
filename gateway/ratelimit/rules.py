"""Compiled rate-limit rules and quota buckets, and how a request selects them.

A BackendTrafficPolicy `rateLimit` rule becomes a `LimitRule`; a QuotaPolicy per-model quota
becomes a `ModelQuota` with one `LimitRule` per bucket. A rule applies to a request when all of
its client selectors match; its descriptor (the counter's key) holds the values of its
`Distinct` selectors, so each distinct value gets its own budget.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = [
    "AI_GATEWAY_NAMESPACE",
    "UNIT_SECONDS",
    "Condition",
    "CostSource",
    "LimitRule",
    "ModelQuota",
    "RateLimitConfig",
    "RequestInfo",
]

AI_GATEWAY_NAMESPACE: Final = "io.envoy.ai_gateway"
# envoyproxy/ratelimit's unit lengths (a month is 30 days, a year 365).
UNIT_SECONDS: Final[dict[str, int]] = {
    "Second": 1,
    "Minute": 60,
    "Hour": 3600,
    "Day": 86400,
    "Month": 30 * 86400,
    "Year": 365 * 86400,
}


@dataclass(frozen=True, slots=True)
class RequestInfo:
    """What client selectors look at: lower-case headers, method, path, query, client address."""

    headers: Mapping[str, str]
    method: str
    path: str
    query: Mapping[str, str]
    client: str | None


@dataclass(frozen=True, slots=True)
class Condition:
    """One selector: `distinct` conditions add the value they read to the descriptor."""

    label: str  # e.g. `header x-tenant-id`, for descriptors and the admin API
    read: Callable[[RequestInfo], str | None]
    exact: str | None = None
    regex: re.Pattern[str] | None = None
    prefix: str | None = None
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None = None
    distinct: bool = False
    invert: bool = False

    def descriptor(self, request: RequestInfo) -> str | None:
        """The descriptor part when the request matches, else None."""
        value = self.read(request)
        if value is None:
            return None if not self.invert else self.label
        if self.network is not None:
            matched = _in_network(value, self.network)
            if matched and self.distinct:
                return f"{self.label}={value}"
            return self.label if matched else None
        if self.distinct:
            return f"{self.label}={value}"
        if self.regex is not None:
            matched = self.regex.fullmatch(value) is not None
        elif self.prefix is not None:
            matched = value == self.prefix or value.startswith(self.prefix.rstrip("/") + "/")
        else:
            matched = value == self.exact
        return self.label if matched != self.invert else None


def _in_network(value: str, network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    try:
        return ipaddress.ip_address(value) in network
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class CostSource:
    """A fixed number, or a number from the request's metadata (`io.envoy.ai_gateway` costs)."""

    number: int = 1
    metadata_key: str | None = None

    def describe(self) -> int | str:
        """The number, or the metadata key the cost is read from."""
        return self.metadata_key if self.metadata_key is not None else self.number

    def amount(self, metadata: Mapping[str, int] | None) -> int:
        """The cost; metadata not (yet) computed counts 0."""
        if self.metadata_key is None:
            return self.number
        if metadata is None:
            return 0
        return max(int(metadata.get(self.metadata_key, 0)), 0)


@dataclass(frozen=True, slots=True)
class LimitRule:
    """One limit: selectors (all must match), `limit` per `window` seconds, its two costs."""

    id: str  # stable across processes: the counters' key prefix
    source: str  # the object and field it comes from, for the admin API and messages
    conditions: tuple[tuple[Condition, ...], ...]  # clientSelectors: every one must match
    limit: int
    window: int
    unit: str
    request_cost: CostSource = field(default_factory=CostSource)
    response_cost: CostSource | None = None
    shadow: bool = False
    quota_cost: str | None = None  # a QuotaPolicy bucket: the cost expression it is charged

    def describe_response_cost(self) -> int | str | None:
        """What a completed response adds: a number, a metadata key or a cost expression."""
        if self.response_cost is not None:
            return self.response_cost.describe()
        return self.quota_cost

    def descriptor(self, request: RequestInfo) -> str | None:
        """The counter key of this request, or None when the rule does not apply to it."""
        parts: list[str] = []
        for selector in self.conditions:
            for condition in selector:
                part = condition.descriptor(request)
                if part is None:
                    return None
                parts.append(part)
        return f"{self.id}:{'|'.join(parts)}"


@dataclass(frozen=True, slots=True)
class ModelQuota:
    """A QuotaPolicy per-model quota of one AIServiceBackend (Shared mode)."""

    model: str
    cost: Callable[[Mapping[str, Any]], int] | None  # None: total_tokens
    buckets: tuple[LimitRule, ...]  # bucket rules, then the default bucket


@dataclass(frozen=True, slots=True)
class RateLimitConfig:
    """Every limit of a configuration, by the route (namespace/name) or backend it applies to."""

    gateway_rules: tuple[LimitRule, ...] = ()  # BackendTrafficPolicies targeting the Gateway
    route_rules: Mapping[str, tuple[LimitRule, ...]] = field(default_factory=dict)
    quotas: Mapping[str, tuple[ModelQuota, ...]] = field(default_factory=dict)  # by backend

    def rules_for(self, route_name: str) -> tuple[LimitRule, ...]:
        """The route's own policy's rules, else the Gateway's (the more specific one wins)."""
        return self.route_rules.get(route_name, self.gateway_rules)

    def quotas_for(self, backend: str, model: str) -> tuple[ModelQuota, ...]:
        """The quotas of a backend (namespace/name) for a model."""
        return tuple(q for q in self.quotas.get(backend, ()) if q.model == model)

    @property
    def empty(self) -> bool:
        """Whether no limit is configured at all."""
        return not (self.gateway_rules or self.route_rules or self.quotas)

    def all_rules(self) -> list[LimitRule]:
        """Every distinct rule and bucket, for the admin API."""
        seen: dict[str, LimitRule] = {r.id: r for r in self.gateway_rules}
        for rules in self.route_rules.values():
            seen.update((r.id, r) for r in rules)
        for quotas in self.quotas.values():
            for quota in quotas:
                seen.update((b.id, b) for b in quota.buckets)
        return list(seen.values())
