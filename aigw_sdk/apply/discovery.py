"""API discovery: which groups, versions and resources the cluster serves.

Resolves a kind to its plural and scope (also for kinds the SDK does not model) and reports
which AI Gateway CRDs and versions are installed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from aigw_sdk.apply.errors import APIError, CRDsMissingError
from aigw_sdk.apply.transport import Transport

AIGW_GROUP = "aigateway.envoyproxy.io"
AIGW_KINDS = ("AIGatewayRoute", "AIServiceBackend", "BackendSecurityPolicy")
AIGW_VERSIONS = ("v1beta1", "v1alpha1")
CRD_INSTALL_HINT = (
    "install the Envoy AI Gateway CRDs first, e.g. `helm upgrade -i aieg-crd "
    "oci://docker.io/envoyproxy/ai-gateway-crds-helm -n envoy-ai-gateway-system --create-namespace`"
)


@dataclass(frozen=True, slots=True)
class ResourceInfo:
    """A served resource: group, version, kind, plural and whether it is namespaced."""

    group: str
    version: str
    kind: str
    plural: str
    namespaced: bool

    @property
    def api_version(self) -> str:
        """``group/version`` (``v1`` for the core group)."""
        return f"{self.group}/{self.version}" if self.group else self.version

    def collection_path(self, namespace: str | None) -> str:
        """The URL path of the collection (in ``namespace`` when namespaced)."""
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if self.namespaced and namespace:
            base += f"/namespaces/{quote(namespace, safe='')}"
        return f"{base}/{self.plural}"

    def object_path(self, name: str, namespace: str | None) -> str:
        """The URL path of one object."""
        return f"{self.collection_path(namespace)}/{quote(name, safe='')}"


@dataclass(frozen=True, slots=True)
class CRDStatus:
    """The AI Gateway kinds the cluster serves, each with its served versions."""

    served: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        """AI Gateway kinds the cluster does not serve in any version."""
        return [kind for kind in AIGW_KINDS if not self.served.get(kind)]

    def version_for(self, kind: str) -> str | None:
        """The version to use for ``kind``: v1beta1 when served, else v1alpha1, else None."""
        versions = self.served.get(kind, ())
        return next((v for v in AIGW_VERSIONS if v in versions), None)

    @property
    def v1alpha1_only(self) -> bool:
        """True when some AI Gateway kind is served only as v1alpha1."""
        return any(self.version_for(kind) == "v1alpha1" for kind in AIGW_KINDS)

    def to_dict(self) -> dict[str, list[str]]:
        """JSON form: kind -> served versions."""
        return {kind: list(versions) for kind, versions in self.served.items()}

    def __str__(self) -> str:
        lines = [f"{kind}: {', '.join(v) or 'not served'}" for kind, v in self.served.items()]
        lines += [f"{kind}: not served" for kind in self.missing if kind not in self.served]
        return "\n".join(lines)


class Discovery:
    """Cached discovery documents of one API server."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self._groups: dict[str, list[str]] | None = None
        self._resources: dict[tuple[str, str], list[ResourceInfo]] = {}

    def refresh(self) -> None:
        """Forget cached documents (after CRDs were installed, say)."""
        self._groups = None
        self._resources.clear()

    def groups(self) -> dict[str, list[str]]:
        """group -> served versions, preferred version first (``""`` is the core group)."""
        if self._groups is None:
            core = self._transport.request("GET", "/api")
            groups: dict[str, list[str]] = {"": [str(v) for v in core.get("versions", [])]}
            for item in self._transport.request("GET", "/apis").get("groups", []):
                preferred = (item.get("preferredVersion") or {}).get("version")
                versions = [str(v["version"]) for v in item.get("versions", [])]
                versions.sort(key=lambda v: v != preferred)
                groups[str(item["name"])] = versions
            self._groups = groups
        return self._groups

    def resources(self, group: str, version: str) -> list[ResourceInfo]:
        """The top-level resources of a group version (empty when it is not served)."""
        key = (group, version)
        if key not in self._resources:
            if version not in self.groups().get(group, []):
                self._resources[key] = []
            else:
                path = f"/apis/{group}/{version}" if group else f"/api/{version}"
                try:
                    listing = self._transport.request("GET", path)
                except APIError as exc:
                    if exc.status != 404:
                        raise
                    listing = {}
                self._resources[key] = [
                    ResourceInfo(
                        group, version, str(r["kind"]), str(r["name"]), bool(r["namespaced"])
                    )
                    for r in listing.get("resources", [])
                    if "/" not in str(r.get("name", ""))
                ]
        return self._resources[key]

    def find(self, api_version: str, kind: str) -> ResourceInfo | None:
        """The served resource of exactly that apiVersion and kind."""
        group, _, version = api_version.rpartition("/")
        return next((r for r in self.resources(group, version) if r.kind == kind), None)

    def find_in_group(
        self, group: str, kind: str, prefer: str | None = None
    ) -> ResourceInfo | None:
        """The kind in any served version of ``group`` (``prefer`` first, then preferred order)."""
        versions = self.groups().get(group, [])
        if prefer in versions:
            versions = [prefer, *(v for v in versions if v != prefer)]
        for version in versions:
            found = next((r for r in self.resources(group, version) if r.kind == kind), None)
            if found is not None:
                return found
        return None

    def find_kind(self, kind: str) -> list[ResourceInfo]:
        """Every group serving ``kind`` (preferred version of each), matched case-insensitively
        against kind and plural."""
        wanted = kind.lower()
        found: list[ResourceInfo] = []
        for group in self.groups():
            info = self._match_in_group(group, wanted)
            if info is not None:
                found.append(info)
        return found

    def _match_in_group(self, group: str, wanted: str) -> ResourceInfo | None:
        for version in self.groups().get(group, []):
            for info in self.resources(group, version):
                if wanted in (info.kind.lower(), info.plural):
                    return info
        return None

    def crd_status(self) -> CRDStatus:
        """Which AI Gateway kinds are served, in which versions."""
        served: dict[str, list[str]] = {}
        for version in self.groups().get(AIGW_GROUP, []):
            for info in self.resources(AIGW_GROUP, version):
                served.setdefault(info.kind, []).append(version)
        return CRDStatus({kind: tuple(versions) for kind, versions in served.items()})


def require_crds(status: CRDStatus, kinds: tuple[str, ...] = AIGW_KINDS) -> None:
    """Raise :class:`CRDsMissingError` when any of ``kinds`` is not served."""
    missing = [kind for kind in kinds if not status.served.get(kind)]
    if missing:
        raise CRDsMissingError(
            f"the cluster does not serve {', '.join(missing)} ({AIGW_GROUP}): {CRD_INSTALL_HINT}"
        )
