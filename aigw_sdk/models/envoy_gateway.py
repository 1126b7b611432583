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


class BackendTrafficPolicySpec(OpenModel):
    """Traffic settings for the routes a BackendTrafficPolicy targets."""

    target_refs: list[PolicyTargetReference] | None = None
    target_ref: PolicyTargetReference | None = None
    retry: Retry | None = None


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
