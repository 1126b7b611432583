"""aigw-sdk: typed models, offline validation, a local gateway and tooling for Envoy AI Gateway.

Example::

    import aigw_sdk as aigw

    bundle = aigw.presets.anthropic(api_key="...", models=["claude-sonnet-4-5"])
    for issue in bundle.validate():
        print(issue)
"""

from typing import TYPE_CHECKING

from aigw_sdk import models, presets
from aigw_sdk.bundle import Bundle, load_yaml
from aigw_sdk.errors import (
    AIGWError,
    APIDeprecationWarning,
    BundleInvalidError,
    BundleLoadError,
)
from aigw_sdk.models import (
    AIGatewayRoute,
    AIServiceBackend,
    Backend,
    BackendSecurityPolicy,
    BackendTLSPolicy,
    BackendTrafficPolicy,
    Gateway,
    GatewayClass,
    GenericResource,
    ObjectMeta,
    Resource,
    Secret,
)
from aigw_sdk.validation.issues import ValidationIssue

if TYPE_CHECKING:  # loaded lazily at run time (see __getattr__), typed for checkers
    from aigw_sdk import client
    from aigw_sdk.apply import AsyncCluster, Cluster
    from aigw_sdk.local import LocalGateway

__all__ = [
    "AIGWError",
    "AIGatewayRoute",
    "AIServiceBackend",
    "APIDeprecationWarning",
    "AsyncCluster",
    "Backend",
    "BackendSecurityPolicy",
    "BackendTLSPolicy",
    "BackendTrafficPolicy",
    "Bundle",
    "BundleInvalidError",
    "BundleLoadError",
    "Cluster",
    "Gateway",
    "GatewayClass",
    "GenericResource",
    "LocalGateway",
    "ObjectMeta",
    "Resource",
    "Secret",
    "ValidationIssue",
    "client",
    "load_yaml",
    "models",
    "presets",
]


def __getattr__(name: str) -> object:
    # Heavier parts load on first use: the local gateway, the cluster client, the gateway client.
    if name == "LocalGateway":
        from aigw_sdk.local import LocalGateway

        return LocalGateway
    if name in ("Cluster", "AsyncCluster"):
        from aigw_sdk import apply

        return getattr(apply, name)
    if name == "client":
        import importlib

        return importlib.import_module("aigw_sdk.client")
    raise AttributeError(f"module 'aigw_sdk' has no attribute {name!r}")
