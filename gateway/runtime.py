"""The immutable runtime configuration the data plane reads (built by `gateway.config`).

Every type here is frozen: the hot path only reads it, and swapping configuration means replacing
one `RuntimeConfig` reference, so requests in flight keep the object they started with.
Credentials are held in a `SecretStr` and never shown in a repr.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, Protocol

from pydantic import SecretStr

from gateway.costs import CostProgram
from gateway.ratelimit.rules import RateLimitConfig

__all__ = [
    "DEFAULT_BACKOFF_BASE",
    "MODEL_HEADER",
    "Authorizer",
    "BackendRef",
    "BackendTarget",
    "BodyMutation",
    "Credential",
    "HeaderMatcher",
    "HeaderMutation",
    "HostScope",
    "MatchEntry",
    "RetryPolicy",
    "Rule",
    "RuntimeConfig",
    "SchemaKind",
]

MODEL_HEADER: Final = "x-ai-eg-model"
DEFAULT_BACKOFF_BASE: Final = 0.025  # Envoy's retry back-off base interval
SchemaKind = str
"""An AIServiceBackend `schema.name` served by a registered translator (see the registry)."""


class Credential:
    """An upstream credential header; the value is a `SecretStr` and never shown."""

    __slots__ = ("_value", "header")

    def __init__(self, header: str, value: SecretStr) -> None:
        self.header = header
        self._value = value

    def header_value(self) -> str:
        """The value to send (secret)."""
        return self._value.get_secret_value()

    def __repr__(self) -> str:
        return f"Credential(header={self.header!r}, value='***')"


@dataclass(frozen=True, slots=True)
class HeaderMutation:
    """Headers to set (lower-case name -> value) and to remove, after upstream's merge rules."""

    set: tuple[tuple[str, str], ...] = ()
    remove: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.set or self.remove)


@dataclass(frozen=True, slots=True)
class BodyMutation:
    """Top-level body fields to remove, then to set (values already decoded from JSON text)."""

    set: tuple[tuple[str, Any], ...] = ()
    remove: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.set or self.remove)

    def apply(self, body: dict[str, Any]) -> None:
        """Mutate `body` in place: removals first, then sets (§1.7)."""
        for path in self.remove:
            body.pop(path, None)
        for path, value in self.set:
            body[path] = value


class Authorizer(Protocol):
    """A cloud credential (AWS SigV4, GCP or Entra token) applied to each upstream request."""

    async def authorize(
        self, base_url: str, path: str, headers: dict[str, str], body: bytes
    ) -> str:
        """Update `headers` for a POST of `body` to `base_url + path`; return the final path."""
        ...


@dataclass(frozen=True, slots=True, repr=False)
class BackendTarget:
    """An AIServiceBackend resolved to its endpoint, TLS settings and credential."""

    name: str  # namespace/name
    schema: SchemaKind
    provider: str
    prefix: str  # "/v1" (no trailing slash)
    version: str | None  # schema.version: Azure's api-version, Cohere's API version, ...
    base_url: str  # scheme://host:port (Host follows it: upstream's host rewrite)
    ssl: ssl.SSLContext | Literal[False]
    server_hostname: str | None
    credential: Credential | None
    authorizer: Authorizer | None = None  # AWS/GCP/Azure credential policies

    def __repr__(self) -> str:
        return f"BackendTarget({self.name!r}, {self.schema}, {self.base_url!r})"


@dataclass(frozen=True, slots=True)
class BackendRef:
    """One backendRef of a rule: where to send, with which model and mutations."""

    target: BackendTarget
    weight: int
    priority: int
    model_name_override: str | None
    header_mutation: HeaderMutation
    body_mutation: BodyMutation
    cel_name: str  # upstream's per-rule backend name, the CEL `backend` variable (§4.5)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """A BackendTrafficPolicy `retry`, resolved with Envoy's defaults."""

    num_retries: int = 0
    num_attempts_per_priority: int = 0  # 0: every attempt at the first priority
    triggers: frozenset[str] = frozenset()
    status_codes: frozenset[int] = frozenset()
    per_try_timeout: float | None = None
    backoff_base: float = DEFAULT_BACKOFF_BASE
    backoff_max: float = DEFAULT_BACKOFF_BASE * 10

    def retries_status(self, status: int) -> bool:
        """Whether an upstream status is retried under this policy."""
        triggers = self.triggers
        if "retriable-status-codes" in triggers and status in self.status_codes:
            return True
        if "5xx" in triggers and status >= 500:
            return True
        return "gateway-error" in triggers and status in (502, 503, 504)

    def retries_connect_failure(self) -> bool:
        """Whether a failure to connect (incl. TLS handshake) is retried."""
        return bool(self.triggers & {"connect-failure", "5xx", "gateway-error", "reset"})

    def retries_reset(self) -> bool:
        """Whether a reset or an attempt timeout before the first byte is retried."""
        return bool(self.triggers & {"reset", "5xx", "gateway-error"})


@dataclass(frozen=True, slots=True)
class Rule:
    """One AIGatewayRoute rule with everything needed to forward a request."""

    route_name: str  # namespace/name
    rule_index: int
    priorities: tuple[tuple[BackendRef, ...], ...]  # weight > 0 refs, by ascending priority
    cumulative_weights: tuple[tuple[int, ...], ...]  # running weight sums, one per priority
    request_timeout: float | None  # None: disabled (0s)
    backend_request_timeout: float | None
    stream_idle_timeout: float | None
    retry: RetryPolicy
    costs: tuple[CostProgram, ...]

    @property
    def label(self) -> str:
        """`namespace/name/rule/<i>` for logs."""
        return f"{self.route_name}/rule/{self.rule_index}"


@dataclass(frozen=True, slots=True)
class HeaderMatcher:
    """One header match: exact value or a full-match regular expression."""

    name: str
    exact: str | None
    regex: re.Pattern[str] | None

    def matches(self, headers: Mapping[str, str]) -> bool:
        """Whether the (lower-case keyed) request headers satisfy this match."""
        value = headers.get(self.name)
        if value is None:
            return False
        if self.regex is not None:
            return self.regex.fullmatch(value) is not None
        return value == self.exact


@dataclass(frozen=True, slots=True)
class MatchEntry:
    """One `matches[]` entry (its headers ANDed) pointing at its rule; entries are pre-sorted."""

    headers: tuple[HeaderMatcher, ...]
    rule: Rule


@dataclass(frozen=True, slots=True)
class HostScope:
    """The rules and `/v1/models` bodies visible under one hostname scope."""

    entries: tuple[MatchEntry, ...]
    openai_models: bytes
    anthropic_models: bytes


@dataclass(frozen=True, slots=True, repr=False)
class RuntimeConfig:
    """The compiled, immutable configuration of the data plane."""

    default_scope: HostScope
    exact_hosts: Mapping[str, HostScope] = field(default_factory=dict)
    wildcard_hosts: tuple[tuple[str, HostScope], ...] = ()  # (".suffix", scope), longest first
    listen_port: int | None = None
    documents: tuple[dict[str, Any], ...] = ()  # the source, secrets redacted
    generation: int = 0
    ratelimits: RateLimitConfig = field(default_factory=RateLimitConfig)
    warnings: tuple[str, ...] = ()  # what the bundle asks for that the local gateway does not do

    def __repr__(self) -> str:
        return f"RuntimeConfig(generation={self.generation}, documents={len(self.documents)})"

    @property
    def has_hostnames(self) -> bool:
        """Whether any route restricts hostnames (else Host is never looked at)."""
        return bool(self.exact_hosts or self.wildcard_hosts)

    def scope_for(self, host: str | None) -> HostScope:
        """The scope of a Host: exact hostname, else longest wildcard, else routes without any."""
        if host is None or not self.has_hostnames:
            return self.default_scope
        host = host.lower()
        host = host[: host.find("]") + 1] if host.startswith("[") else host.partition(":")[0]
        scope = self.exact_hosts.get(host)
        if scope is not None:
            return scope
        for suffix, wild in self.wildcard_hosts:
            if host.endswith(suffix) and len(host) > len(suffix):
                return wild
        return self.default_scope
