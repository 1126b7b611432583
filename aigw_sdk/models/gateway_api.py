"""Gateway API objects of a bundle: GatewayClass, Gateway and BackendTLSPolicy.

Modelled are the fields the SDK and the local gateway read; other fields are kept as given.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from aigw_sdk.models.base import OpenModel, Resource, ResourceStatus
from aigw_sdk.models.envoy_gateway import PolicyTargetReference


class GatewayClassSpec(OpenModel):
    """Which controller implements Gateways of this class."""

    controller_name: str
    parameters_ref: dict[str, Any] | None = None
    description: str | None = None


class GatewayClass(Resource):
    """Gateway API `GatewayClass` (cluster-scoped)."""

    group: ClassVar[str] = "gateway.networking.k8s.io"
    version: ClassVar[str] = "v1"
    plural: ClassVar[str] = "gatewayclasses"
    namespaced: ClassVar[bool] = False
    complete: ClassVar[bool] = False

    api_version: Literal["gateway.networking.k8s.io/v1"] = Field(
        default="gateway.networking.k8s.io/v1", alias="apiVersion"
    )
    kind: Literal["GatewayClass"] = "GatewayClass"
    spec: GatewayClassSpec
    status: ResourceStatus | None = None


class Listener(OpenModel):
    """A port and protocol a Gateway listens on."""

    name: str
    port: int
    protocol: str
    hostname: str | None = None


class GatewaySpec(OpenModel):
    """A Gateway's class and listeners."""

    gateway_class_name: str
    listeners: list[Listener] | None = None


class Gateway(Resource):
    """Gateway API `Gateway`."""

    group: ClassVar[str] = "gateway.networking.k8s.io"
    version: ClassVar[str] = "v1"
    plural: ClassVar[str] = "gateways"
    complete: ClassVar[bool] = False

    api_version: Literal["gateway.networking.k8s.io/v1"] = Field(
        default="gateway.networking.k8s.io/v1", alias="apiVersion"
    )
    kind: Literal["Gateway"] = "Gateway"
    spec: GatewaySpec
    status: ResourceStatus | None = None


class BackendTLSValidation(OpenModel):
    """How the upstream certificate is verified."""

    hostname: str
    well_known_ca_certificates: str | None = Field(None, alias="wellKnownCACertificates")
    ca_certificate_refs: list[dict[str, Any]] | None = Field(None, alias="caCertificateRefs")
    subject_alt_names: list[dict[str, Any]] | None = None


class BackendTLSPolicySpec(OpenModel):
    """TLS settings for the targeted backends."""

    target_refs: list[PolicyTargetReference]
    validation: BackendTLSValidation
    options: dict[str, str] | None = None


class BackendTLSPolicy(Resource):
    """Gateway API `BackendTLSPolicy` (v1alpha3, as in the upstream examples)."""

    group: ClassVar[str] = "gateway.networking.k8s.io"
    version: ClassVar[str] = "v1alpha3"
    plural: ClassVar[str] = "backendtlspolicies"
    complete: ClassVar[bool] = False

    api_version: Literal["gateway.networking.k8s.io/v1alpha3"] = Field(
        default="gateway.networking.k8s.io/v1alpha3", alias="apiVersion"
    )
    kind: Literal["BackendTLSPolicy"] = "BackendTLSPolicy"
    spec: BackendTLSPolicySpec
    status: ResourceStatus | None = None
