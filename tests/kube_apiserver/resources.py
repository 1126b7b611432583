"""The resource types the test API server serves: built-in kinds plus CRDs read from YAML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

JSON = dict[str, Any]

VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


class CRDMode(StrEnum):
    """Which AI Gateway CRDs the server starts with."""

    ALL = "all"
    MISSING = "missing"
    V1ALPHA1_ONLY = "v1alpha1-only"


@dataclass(frozen=True)
class ResourceType:
    """One served group/version/resource with its scope, status subresource and schema."""

    group: str
    version: str
    kind: str
    plural: str
    singular: str
    namespaced: bool
    has_status: bool = True
    schema: JSON | None = None
    short_names: tuple[str, ...] = ()

    @property
    def api_version(self) -> str:
        """``group/version`` (or ``v1`` for core)."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_version(self) -> tuple[str, str]:
        """(group, version)."""
        return (self.group, self.version)


def _builtin(
    group: str, version: str, kind: str, plural: str, namespaced: bool = True
) -> ResourceType:
    has_status = kind not in ("Secret", "ConfigMap")
    return ResourceType(group, version, kind, plural, kind.lower(), namespaced, has_status)


BUILTIN_TYPES: tuple[ResourceType, ...] = (
    _builtin("", "v1", "Namespace", "namespaces", namespaced=False),
    _builtin("", "v1", "Secret", "secrets"),
    _builtin("", "v1", "Service", "services"),
    _builtin("", "v1", "ConfigMap", "configmaps"),
    _builtin("gateway.envoyproxy.io", "v1alpha1", "Backend", "backends"),
    _builtin("gateway.envoyproxy.io", "v1alpha1", "BackendTrafficPolicy", "backendtrafficpolicies"),
    _builtin("gateway.envoyproxy.io", "v1alpha1", "ClientTrafficPolicy", "clienttrafficpolicies"),
    _builtin("gateway.envoyproxy.io", "v1alpha1", "EnvoyProxy", "envoyproxies"),
    _builtin("gateway.networking.k8s.io", "v1", "Gateway", "gateways"),
    _builtin("gateway.networking.k8s.io", "v1", "GatewayClass", "gatewayclasses", namespaced=False),
    _builtin("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes"),
    _builtin("gateway.networking.k8s.io", "v1alpha3", "BackendTLSPolicy", "backendtlspolicies"),
)

AIGATEWAY_GROUP = "aigateway.envoyproxy.io"


def load_crds(crd_dir: Path, mode: CRDMode = CRDMode.ALL) -> list[ResourceType]:
    """Read every CustomResourceDefinition in ``crd_dir`` as served resource types.

    ``mode`` drops the AI Gateway CRDs entirely or keeps only their v1alpha1 versions.
    """
    types: list[ResourceType] = []
    for path in sorted(crd_dir.resolve().glob("*.yaml")):
        for doc in _documents(path):
            if not isinstance(doc, dict) or doc.get("kind") != "CustomResourceDefinition":
                continue
            spec = doc["spec"]
            if spec["group"] == AIGATEWAY_GROUP and mode is CRDMode.MISSING:
                continue
            names = spec["names"]
            for version in spec["versions"]:
                if not version.get("served", True):
                    continue
                if (
                    spec["group"] == AIGATEWAY_GROUP
                    and mode is CRDMode.V1ALPHA1_ONLY
                    and version["name"] != "v1alpha1"
                ):
                    continue
                types.append(
                    ResourceType(
                        group=spec["group"],
                        version=version["name"],
                        kind=names["kind"],
                        plural=names["plural"],
                        singular=names.get("singular", names["kind"].lower()),
                        namespaced=spec["scope"] == "Namespaced",
                        has_status="status" in (version.get("subresources") or {}),
                        schema=(version.get("schema") or {}).get("openAPIV3Schema"),
                        short_names=tuple(names.get("shortNames", [])),
                    )
                )
    return types


@cache
def _documents(path: Path) -> list[Any]:
    """Parsed YAML documents of one file (cached: CRD files are large and read-only)."""
    return list(yaml.safe_load_all(path.read_text(encoding="utf-8")))


class Registry:
    """Lookup of served resource types by group/version/plural and by group/kind."""

    def __init__(self, types: list[ResourceType]) -> None:
        self.types = types
        self._by_path = {(t.group, t.version, t.plural): t for t in types}

    def lookup(self, group: str, version: str, plural: str) -> ResourceType | None:
        """The type served at ``/apis/<group>/<version>/.../<plural>``, if any."""
        return self._by_path.get((group, version, plural))

    def versions(self, group: str) -> list[str]:
        """Served versions of ``group``, preferred (newest stable-ish) first."""
        found = sorted({t.version for t in self.types if t.group == group}, key=_version_priority)
        return found

    def groups(self) -> list[str]:
        """Served non-core groups, in first-seen order."""
        seen: dict[str, None] = {}
        for t in self.types:
            if t.group:
                seen.setdefault(t.group, None)
        return list(seen)

    def in_version(self, group: str, version: str) -> list[ResourceType]:
        """Types served in one group/version."""
        return [t for t in self.types if t.group == group and t.version == version]


def _version_priority(version: str) -> tuple[int, int, int]:
    """Kubernetes version ordering: GA > beta > alpha, higher numbers first."""
    match = re.fullmatch(r"v(\d+)(?:(alpha|beta)(\d+))?", version)
    if not match:
        return (3, 0, 0)
    major = int(match.group(1))
    stage = {"": 0, "beta": 1, "alpha": 2}[match.group(2) or ""]
    return (stage, -major, -int(match.group(3) or 0))
