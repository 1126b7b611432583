"""Convert AI Gateway objects between the served versions v1alpha1 and v1beta1.

The two versions share their schema except BackendSecurityPolicy: v1beta1 adds
``credentialOverride`` and lets ``gcpCredentials`` name neither a credentials file nor workload
identity federation (Application Default Credentials). Going to v1alpha1 is refused where it
would lose either.
"""

from __future__ import annotations

from aigw_sdk.errors import AIGWError
from aigw_sdk.models.base import GenericResource, Resource
from aigw_sdk.models.registry import class_for, parse_resource

GROUP = "aigateway.envoyproxy.io"
VERSIONS = ("v1alpha1", "v1beta1")


class ConversionError(AIGWError):
    """The object cannot be expressed in the target version without losing data."""


def convert_resource(resource: Resource, to: str) -> Resource:
    """A copy of ``resource`` in version ``to``; objects of other groups come back unchanged."""
    if to not in VERSIONS:
        raise ConversionError(f"unknown version {to!r}: expected one of {', '.join(VERSIONS)}")
    group, _, version = resource.api_version.rpartition("/")
    if group != GROUP or version == to:
        return resource
    data = resource.to_dict()
    if to == "v1alpha1":
        _check_lossless_to_v1alpha1(resource.kind, resource.name, data)
    data["apiVersion"] = f"{GROUP}/{to}"
    if class_for(data["apiVersion"], resource.kind) is None:
        return GenericResource.from_wire(data)
    return parse_resource(data)  # v1alpha1 objects warn, as the API server does


def _check_lossless_to_v1alpha1(kind: str, name: str, data: dict[str, object]) -> None:
    if kind != "BackendSecurityPolicy":
        return
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return
    if "credentialOverride" in spec:
        raise ConversionError(
            f"BackendSecurityPolicy {name!r}: spec.credentialOverride exists only in v1beta1"
        )
    gcp = spec.get("gcpCredentials")
    if isinstance(gcp, dict) and not (
        ("credentialsFile" in gcp) ^ ("workloadIdentityFederationConfig" in gcp)
    ):
        raise ConversionError(
            f"BackendSecurityPolicy {name!r}: spec.gcpCredentials must name exactly one of "
            "credentialsFile or workloadIdentityFederationConfig in v1alpha1"
        )
