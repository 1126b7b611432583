"""What a bundle asks for that the local gateway does not do: one warning per object and field.

The local gateway never ignores configuration silently. Kinds it has no data-plane role for
(MCPRoute, GatewayConfig, Deployments, …) and fields of served kinds it does not implement are
reported at load and by `PUT /config`, each naming the object and the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from aigw_sdk.models import (
    Backend,
    BackendTrafficPolicy,
    Gateway,
    GatewayConfig,
    GatewayConfigV1alpha1,
    GenericResource,
    MCPRoute,
    MCPRouteV1alpha1,
    ParseFailure,
    Resource,
)

__all__ = ["unserved"]

# Kinds whose whole purpose is outside the data plane, with why.
_KIND_NOTES: Final = {
    "MCPRoute": "MCP routing is not served by the local gateway; the route is ignored",
    "GatewayConfig": "it configures the cluster's ext_proc deployment, which the local gateway "
    "does not have; ignored",
}
_SERVED_BTP_FIELDS: Final = frozenset({"targetRefs", "targetRef", "retry", "rateLimit"})
_SERVED_BACKEND_FIELDS: Final = frozenset({"endpoints", "appProtocols", "fallback"})


def _ident(resource: Resource) -> str:
    return f"{resource.kind} {resource.namespace or 'default'}/{resource.name}"


def unserved(resources: Iterable[Resource]) -> list[str]:
    """A warning for every kind and field of `resources` the local gateway does not serve."""
    warnings: list[str] = []
    for resource in resources:
        where = _ident(resource)
        if isinstance(resource, MCPRoute | MCPRouteV1alpha1):
            warnings.append(f"{where}: {_KIND_NOTES['MCPRoute']}")
        elif isinstance(resource, GatewayConfig | GatewayConfigV1alpha1):
            fields = sorted((resource.spec.to_dict() if resource.spec else {}).keys())
            listed = f" (spec.{', spec.'.join(fields)})" if fields else ""
            warnings.append(f"{where}{listed}: {_KIND_NOTES['GatewayConfig']}")
        elif isinstance(resource, BackendTrafficPolicy):
            extra = sorted(set(resource.spec.to_dict()) - _SERVED_BTP_FIELDS)
            warnings.extend(
                f"{where}: spec.{name} is not served by the local gateway; ignored"
                for name in extra
            )
        elif isinstance(resource, Backend):
            extra = sorted(set(resource.spec.to_dict()) - _SERVED_BACKEND_FIELDS)
            warnings.extend(
                f"{where}: spec.{name} is not served by the local gateway; ignored"
                for name in extra
            )
        elif isinstance(resource, Gateway):
            warnings.extend(_gateway(resource, where))
        elif isinstance(resource, GenericResource) and not isinstance(resource, ParseFailure):
            warnings.append(
                f"{where}: kind {resource.kind} ({resource.api_version}) is not served by the "
                "local gateway; ignored"
            )
    return warnings


def _gateway(gateway: Gateway, where: str) -> list[str]:
    out: list[str] = []
    listeners = gateway.spec.listeners or []
    for index, listener in enumerate(listeners[1:], start=1):
        out.append(
            f"{where}: spec.listeners[{index}] ({listener.name}): only the first listener is "
            "served locally; ignored"
        )
    if listeners and listeners[0].protocol.upper() != "HTTP":
        out.append(
            f"{where}: spec.listeners[0].protocol {listeners[0].protocol}: the local gateway "
            "serves plain HTTP"
        )
    extra = sorted(set(gateway.spec.to_dict()) - {"gatewayClassName", "listeners"})
    out.extend(
        f"{where}: spec.{name} is not served by the local gateway; ignored" for name in extra
    )
    return out
