"""Turning a bundle into what is sent: served versions, namespaces, ownership labels, order."""

from __future__ import annotations

import base64
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aigw_sdk.apply.discovery import AIGW_GROUP, Discovery, ResourceInfo, require_crds
from aigw_sdk.apply.errors import CRDsMissingError
from aigw_sdk.apply.ordering import apply_order
from aigw_sdk.apply.results import ObjectRef
from aigw_sdk.bundle import Bundle
from aigw_sdk.conversion import convert_resource
from aigw_sdk.errors import APIDeprecationWarning, warn_deprecated
from aigw_sdk.models.aigateway_types import AIGatewayRoute
from aigw_sdk.models.base import Resource

JSON = dict[str, Any]
MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"
MANAGED_BY_VALUE = "aigw-sdk"
BUNDLE_LABEL = "aigw-sdk.envoyproxy.io/bundle"
_LABEL_VALUE_MAX = 63


@dataclass(frozen=True, slots=True)
class PlannedObject:
    """One resource resolved against the cluster, with the body to send."""

    resource: Resource
    info: ResourceInfo
    namespace: str | None
    body: JSON

    @property
    def ref(self) -> ObjectRef:
        """Identity on the cluster (served apiVersion, resolved namespace)."""
        return ObjectRef(self.info.api_version, self.info.kind, self.resource.name, self.namespace)

    @property
    def path(self) -> str:
        """URL path of the object."""
        return self.info.object_path(self.resource.name, self.namespace)


@dataclass
class Plan:
    """Planned objects in apply order, and warnings raised while planning."""

    objects: list[PlannedObject]
    warnings: list[str] = field(default_factory=list)


def bundle_name_of(bundle: Bundle) -> str:
    """The default bundle label value: the first AIGatewayRoute's name, else the first object's."""
    routes = [r for r in bundle if r.kind == AIGatewayRoute.kind_name()]
    first = routes[0] if routes else (bundle[0] if len(bundle) else None)
    return label_value(first.name if first is not None else "bundle")


def label_value(text: str) -> str:
    """``text`` made a valid label value (at most 63 characters, alphanumeric at both ends)."""
    value = re.sub(r"[^A-Za-z0-9._-]", "-", text)[:_LABEL_VALUE_MAX]
    return value.strip("._-") or "bundle"


def ownership_labels(bundle_name: str) -> dict[str, str]:
    """The labels every applied object carries (and prune selects on)."""
    return {MANAGED_BY_LABEL: MANAGED_BY_VALUE, BUNDLE_LABEL: label_value(bundle_name)}


def resolve(discovery: Discovery, resource: Resource) -> ResourceInfo | None:
    """The served resource for an object: its exact version, else another of its group."""
    found = discovery.find(resource.api_version, resource.kind)
    if found is None:
        group = resource.api_version.rpartition("/")[0]
        found = discovery.find_in_group(group, resource.kind)
    return found


def namespace_for(info: ResourceInfo, resource: Resource, default: str) -> str | None:
    """The object's namespace, the default namespace when unset, None when cluster-scoped."""
    return (resource.namespace or default) if info.namespaced else None


def build_plan(
    bundle: Bundle, discovery: Discovery, default_namespace: str, bundle_name: str
) -> Plan:
    """Resolve every object to a served version (converting AI Gateway objects to v1alpha1 when
    that is all the cluster serves) and attach namespace and ownership labels.

    Raises :class:`CRDsMissingError` naming every kind the cluster does not serve.
    """
    plan = Plan([])
    resources = _served_versions(bundle.resources, discovery, plan)
    missing: list[str] = []
    labels = ownership_labels(bundle_name)
    for resource in apply_order(resources):
        info = discovery.find(resource.api_version, resource.kind)
        if info is None:
            missing.append(f"{resource.kind} ({resource.api_version})")
            continue
        namespace = namespace_for(info, resource, default_namespace)
        body = resource.to_dict()
        meta = body.setdefault("metadata", {})
        if namespace is None:
            meta.pop("namespace", None)
        else:
            meta["namespace"] = namespace
        meta["labels"] = {**(meta.get("labels") or {}), **labels}
        plan.objects.append(PlannedObject(resource, info, namespace, body))
    if missing:
        kinds = ", ".join(dict.fromkeys(missing))
        raise CRDsMissingError(
            f"the cluster does not serve {kinds}: install the CRDs that define them "
            "(Envoy Gateway, Gateway API, Envoy AI Gateway) first"
        )
    return plan


def _served_versions(
    resources: Iterable[Resource], discovery: Discovery, plan: Plan
) -> list[Resource]:
    resources = list(resources)
    aigw_kinds = tuple(dict.fromkeys(r.kind for r in resources if _is_aigw(r)))
    if not aigw_kinds:
        return resources
    status = discovery.crd_status()
    require_crds(status, aigw_kinds)
    out: list[Resource] = []
    converted = False
    for resource in resources:
        version = resource.api_version.rpartition("/")[2]
        if _is_aigw(resource) and version not in status.served[resource.kind]:
            target = status.version_for(resource.kind)
            assert target is not None  # require_crds checked that the kind is served
            with warnings.catch_warnings():  # one warning for the whole bundle, below
                warnings.simplefilter("ignore", APIDeprecationWarning)
                resource = convert_resource(resource, target)
            converted = True
        out.append(resource)
    if converted:
        message = (
            f"the cluster serves only {AIGW_GROUP}/v1alpha1 (an older Envoy AI Gateway): "
            "AI Gateway objects were converted to v1alpha1"
        )
        warn_deprecated(message)
        plan.warnings.append(message)
    return out


def _is_aigw(resource: Resource) -> bool:
    return resource.api_version.rpartition("/")[0] == AIGW_GROUP


def comparable(body: JSON) -> JSON:
    """A Secret body with ``stringData`` folded into ``data`` (as the API server stores it)."""
    if body.get("kind") != "Secret" or not body.get("stringData"):
        return body
    out = dict(body)
    data = dict(out.get("data") or {})
    for key, value in out.pop("stringData").items():
        data[key] = base64.b64encode(str(value).encode()).decode()
    out["data"] = data
    return out


def is_subset(desired: Any, live: Any) -> bool:
    """True when every field set in ``desired`` has the same value in ``live``."""
    if isinstance(desired, dict):
        return isinstance(live, dict) and all(
            key in live and is_subset(value, live[key]) for key, value in desired.items()
        )
    if isinstance(desired, list):
        return (
            isinstance(live, list)
            and len(desired) == len(live)
            and all(is_subset(d, v) for d, v in zip(desired, live, strict=True))
        )
    return bool(desired == live)
