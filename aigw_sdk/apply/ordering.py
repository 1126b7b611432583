"""Dependency order: what must exist before what references it.

Namespaces, then Secrets and other config, then Envoy Gateway Backends and their TLS policies,
AIServiceBackends, BackendSecurityPolicies, Gateways, routes, and traffic policies that attach to
routes. Kinds not listed come last (after everything they could depend on). Document order is
kept within a rank; deletion uses the reverse order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from aigw_sdk.models.base import Resource

R = TypeVar("R", bound=Resource)

_RANKS: tuple[tuple[str, ...], ...] = (
    ("Namespace",),
    ("CustomResourceDefinition",),
    ("ServiceAccount", "Secret", "ConfigMap"),
    ("Service", "Backend"),
    ("BackendTLSPolicy",),
    ("AIServiceBackend",),
    ("BackendSecurityPolicy",),
    ("GatewayClass", "EnvoyProxy", "Gateway", "GatewayConfig"),
    ("AIGatewayRoute", "MCPRoute", "HTTPRoute", "GRPCRoute"),
    (
        "BackendTrafficPolicy",
        "ClientTrafficPolicy",
        "SecurityPolicy",
        "EnvoyExtensionPolicy",
        "QuotaPolicy",
    ),
)
_RANK_OF: dict[str, int] = {kind: rank for rank, kinds in enumerate(_RANKS) for kind in kinds}
UNKNOWN_RANK = len(_RANKS)


def rank(kind: str) -> int:
    """The position of ``kind`` in the apply order (unknown kinds last)."""
    return _RANK_OF.get(kind, UNKNOWN_RANK)


def apply_order(resources: Iterable[R]) -> list[R]:
    """The resources sorted for applying (stable: document order within a rank)."""
    return sorted(resources, key=lambda r: rank(r.kind))


def delete_order(resources: Iterable[R]) -> list[R]:
    """The resources sorted for deleting: dependents first."""
    return list(reversed(apply_order(resources)))
