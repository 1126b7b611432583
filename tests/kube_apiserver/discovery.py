"""Discovery documents: ``/api``, ``/apis``, group and version resource lists, ``/version``."""

from __future__ import annotations

from typing import Any

from .resources import VERBS, Registry, ResourceType

JSON = dict[str, Any]

VERSION_INFO: JSON = {
    "major": "1",
    "minor": "33",
    "gitVersion": "v1.33.0",
    "gitCommit": "test",
    "gitTreeState": "clean",
    "buildDate": "2025-04-23T00:00:00Z",
    "goVersion": "go1.24.2",
    "compiler": "gc",
    "platform": "linux/amd64",
}


def core_versions() -> JSON:
    """``/api``."""
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}],
    }


def _group(registry: Registry, group: str) -> JSON:
    versions = [{"groupVersion": f"{group}/{v}", "version": v} for v in registry.versions(group)]
    return {
        "name": group,
        "versions": versions,
        "preferredVersion": versions[0],
    }


def group_list(registry: Registry) -> JSON:
    """``/apis``."""
    return {
        "kind": "APIGroupList",
        "apiVersion": "v1",
        "groups": [_group(registry, g) for g in registry.groups()],
    }


def group(registry: Registry, name: str) -> JSON | None:
    """``/apis/<group>``, or None when the group is not served."""
    if name not in registry.groups():
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group(registry, name)}


def _resources(rtype: ResourceType) -> list[JSON]:
    main: JSON = {
        "name": rtype.plural,
        "singularName": rtype.singular,
        "namespaced": rtype.namespaced,
        "kind": rtype.kind,
        "verbs": VERBS,
        "storageVersionHash": "",
    }
    if rtype.short_names:
        main["shortNames"] = list(rtype.short_names)
    out = [main]
    if rtype.has_status:
        out.append(
            {
                "name": f"{rtype.plural}/status",
                "singularName": "",
                "namespaced": rtype.namespaced,
                "kind": rtype.kind,
                "verbs": ["get", "patch", "update"],
            }
        )
    return out


def resource_list(registry: Registry, group_name: str, version: str) -> JSON | None:
    """``/api/v1`` or ``/apis/<group>/<version>``, or None when not served."""
    types = registry.in_version(group_name, version)
    if not types:
        return None
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": f"{group_name}/{version}" if group_name else version,
        "resources": [r for t in types for r in _resources(t)],
    }
