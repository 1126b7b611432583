"""Envoy Gateway objects that AI Gateway bundles reference: Backend and BackendTrafficPolicy.

Modelled are the fields the local gateway and the bundle checks read; any other field of these
kinds is kept as given (``extra="allow"``) so real configs round-trip unchanged.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from aigw_sdk.models.base import OpenModel, Resource, ResourceStatus


class FQDNEndpoint(OpenModel):
    """A DNS name and port."""

    hostname: str
    port: int


class IPEndpoint(OpenModel):
    """An IP address and port."""

    address: str
    port: int


class UnixSocket(OpenModel):
    """A unix domain socket path."""

    path: str


class BackendEndpoint(OpenModel):
    """One endpoint of a Backend: exactly one of fqdn, ip or unix."""

    fqdn: FQDNEndpoint | None = None
    ip: IPEndpoint | None = None
    unix: UnixSocket | None = None


class BackendSpec(OpenModel):
    """Where an Envoy Gateway Backend sends traffic."""

    endpoints: list[BackendEndpoint] | None = None
    app_protocols: list[str] | None = None
    fallback: bool | None = None


class Backend(Resource):
    """Envoy Gateway `Backend` (gateway.envoyproxy.io/v1alpha1)."""

    group: ClassVar[str] = "gateway.envoyproxy.io"
    version: ClassVar[str] = "v1alpha1"
    plural: ClassVar[str] = "backends"
    complete: ClassVar[bool] = False

    api_version: Literal["gateway.envoyproxy.io/v1alpha1"] = Field(
        default="gateway.envoyproxy.io/v1alpha1", alias="apiVersion"
    )
    kind: Literal["Backend"] = "Backend"
    spec: BackendSpec
    status: ResourceStatus | None = None


class PolicyTargetReference(OpenModel):
    """A local object a policy attaches to."""

    group: str
    kind: str
    name: str
    section_name: str | None = None


class RetryOn(OpenModel):
    """Conditions that trigger a retry."""

    triggers: (
        list[
            Literal[
                "5xx",
                "gateway-error",
                "reset",
                "reset-before-request",
                "connect-failure",
                "retriable-status-codes",
                "refused-stream",
                "cancelled",
                "deadline-exceeded",
                "internal",
                "resource-exhausted",
                "unavailable",
            ]
        ]
        | None
    ) = None
    http_status_codes: list[int] | None = None


class BackOff(OpenModel):
    """Exponential back-off between retries."""

    base_interval: str | None = None
    max_interval: str | None = None


class PerRetryPolicy(OpenModel):
    """Timeout and back-off of each retry attempt."""

    timeout: str | None = None
    back_off: BackOff | None = None


class Retry(OpenModel):
    """Retry policy of a BackendTrafficPolicy."""

    num_retries: int | None = None
    num_attempts_per_priority: int | None = None
    retry_on: RetryOn | None = None
    per_retry: PerRetryPolicy | None = None


class HeaderMatch(OpenModel):
    """A rate-limit header selector: Exact, RegularExpression or Distinct (one bucket per value)."""

    name: str
    type: Literal["Exact", "RegularExpression", "Distinct"] | None = None
    value: str | None = None
    invert: bool | None = None


class SourceMatch(OpenModel):
    """A rate-limit client-address selector (a CIDR, Exact or Distinct)."""

    type: Literal["Exact", "Distinct"] | None = None
    value: str


class MethodMatch(OpenModel):
    """A rate-limit HTTP method selector."""

    value: str
    invert: bool | None = None


class PathMatch(OpenModel):
    """A rate-limit path selector."""

    type: Literal["Exact", "PathPrefix", "RegularExpression"] | None = None
    value: str
    invert: bool | None = None


class QueryParamMatch(OpenModel):
    """A rate-limit query parameter selector."""

    name: str
    type: Literal["Exact", "RegularExpression", "Distinct"] | None = None
    value: str | None = None
    invert: bool | None = None


class RateLimitSelectCondition(OpenModel):
    """Which requests a rate-limit rule counts (every given condition must match)."""

    headers: list[HeaderMatch] | None = None
    source_cidr: SourceMatch | None = Field(None, alias="sourceCIDR")
    methods: list[MethodMatch] | None = None
    path: PathMatch | None = None
    query_params: list[QueryParamMatch] | None = None


class RateLimitValue(OpenModel):
    """`requests` per `unit`."""

    requests: int
    unit: Literal["Second", "Minute", "Hour", "Day", "Month", "Year"]


class RateLimitCostMetadata(OpenModel):
    """A dynamic-metadata entry whose number is the cost."""

    namespace: str
    key: str


class RateLimitCostSpecifier(OpenModel):
    """Where one phase's cost comes from: a fixed number or request metadata."""

    from_: Literal["Number", "Metadata"] = Field(alias="from")
    number: int | None = None
    metadata: RateLimitCostMetadata | None = None


class RateLimitCost(OpenModel):
    """Cost charged when the request arrives and when its response completes."""

    request: RateLimitCostSpecifier | None = None
    response: RateLimitCostSpecifier | None = None


class RateLimitRule(OpenModel):
    """One rate-limit rule: selectors, limit, cost, shadow mode."""

    client_selectors: list[RateLimitSelectCondition] | None = None
    limit: RateLimitValue
    cost: RateLimitCost | None = None
    shadow_mode: bool | None = None


class RateLimitRules(OpenModel):
    """A list of rate-limit rules (global or local)."""

    rules: list[RateLimitRule] | None = None


class RateLimitSpec(OpenModel):
    """`rateLimit` of a BackendTrafficPolicy."""

    type: Literal["Global", "Local"] | None = None
    global_: RateLimitRules | None = Field(None, alias="global")
    local: RateLimitRules | None = None


class BackendTrafficPolicySpec(OpenModel):
    """Traffic settings for the routes a BackendTrafficPolicy targets."""

    target_refs: list[PolicyTargetReference] | None = None
    target_ref: PolicyTargetReference | None = None
    retry: Retry | None = None
    rate_limit: RateLimitSpec | None = None


class BackendTrafficPolicy(Resource):
    """Envoy Gateway `BackendTrafficPolicy` (gateway.envoyproxy.io/v1alpha1)."""

    group: ClassVar[str] = "gateway.envoyproxy.io"
    version: ClassVar[str] = "v1alpha1"
    plural: ClassVar[str] = "backendtrafficpolicies"
    complete: ClassVar[bool] = False

    api_version: Literal["gateway.envoyproxy.io/v1alpha1"] = Field(
        default="gateway.envoyproxy.io/v1alpha1", alias="apiVersion"
    )
    kind: Literal["BackendTrafficPolicy"] = "BackendTrafficPolicy"
    spec: BackendTrafficPolicySpec
    status: ResourceStatus | None = None
