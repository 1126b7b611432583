"""Which class models which (apiVersion, kind), and parsing wire objects into them."""

from __future__ import annotations

from typing import Any

from pydantic import PrivateAttr, ValidationError

from aigw_sdk.models.aigateway_types import (
    AIGatewayRoute,
    AIGatewayRouteV1alpha1,
    AIServiceBackend,
    AIServiceBackendV1alpha1,
    BackendSecurityPolicy,
    BackendSecurityPolicyV1alpha1,
    GatewayConfig,
    GatewayConfigV1alpha1,
    MCPRoute,
    MCPRouteV1alpha1,
    QuotaPolicy,
)
from aigw_sdk.models.base import GenericResource, Resource
from aigw_sdk.models.core import Secret
from aigw_sdk.models.envoy_gateway import Backend, BackendTrafficPolicy
from aigw_sdk.models.gateway_api import BackendTLSPolicy, Gateway, GatewayClass

RESOURCE_CLASSES: tuple[type[Resource], ...] = (
    AIGatewayRoute,
    AIGatewayRouteV1alpha1,
    AIServiceBackend,
    AIServiceBackendV1alpha1,
    BackendSecurityPolicy,
    BackendSecurityPolicyV1alpha1,
    MCPRoute,
    MCPRouteV1alpha1,
    GatewayConfig,
    GatewayConfigV1alpha1,
    QuotaPolicy,
    Backend,
    BackendTrafficPolicy,
    BackendTLSPolicy,
    Gateway,
    GatewayClass,
    Secret,
)
_BY_TYPE: dict[tuple[str, str], type[Resource]] = {
    (cls.api_version_of(), cls.kind_name()): cls for cls in RESOURCE_CLASSES
}


def class_for(api_version: str, kind: str) -> type[Resource] | None:
    """The model class of an apiVersion/kind, or None for kinds the SDK does not model."""
    return _BY_TYPE.get((api_version, kind))


class ParseFailure(GenericResource):
    """An object of a modelled kind whose fields did not fit the model.

    It is kept verbatim so validation can report every problem with the API server's wording.
    """

    _error: ValidationError | None = PrivateAttr(None)
    _model: type[Resource] | None = PrivateAttr(None)

    @property
    def error(self) -> ValidationError | None:
        """Why the object did not fit its model."""
        return self._error

    @property
    def model_class(self) -> type[Resource] | None:
        """The class that models this kind."""
        return self._model


def parse_resource(data: dict[str, Any]) -> Resource:
    """A typed resource for modelled kinds; a verbatim :class:`GenericResource` otherwise.

    An object of a modelled kind that does not fit its model (a missing required field, a wrong
    type, an unknown field) comes back as a :class:`ParseFailure` carrying the pydantic error, so
    that a bundle can still be loaded and validated as a whole.
    """
    cls = class_for(str(data.get("apiVersion", "")), str(data.get("kind", "")))
    if cls is None:
        return GenericResource.from_wire(data)
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        failure = ParseFailure.from_wire(data)
        failure._error = exc
        failure._model = cls
        return failure


def lenient_resource(resource: Resource) -> tuple[Resource, list[str]]:
    """The object decoded as `aigw run` decodes it, and a note per field that was changed.

    Unknown fields are dropped (the API server prunes them) and a ``null`` string becomes ``""``
    (Go's decoding); ``aigw-sdk run`` serves such bundles with warnings where ``validate`` refuses
    them. An object with any other problem comes back as it is (validation reports it).
    """
    notes: list[str] = []
    while isinstance(resource, ParseFailure) and resource.error is not None:
        errors = resource.error.errors()
        if not errors or not all(_lenient(error) for error in errors):
            break
        data = resource.to_dict()
        for error in errors:
            path = ".".join(str(part) for part in error["loc"])
            if error["type"] == "extra_forbidden":
                done = _set(data, error["loc"], None)
                note = f"{path}: unknown field, ignored (the API server prunes it)"
            else:
                done = _set(data, error["loc"], "")
                note = f'{path}: null, taken as ""'
            if not done:
                return resource, notes
            notes.append(note)
        resource = parse_resource(data)
    return resource, notes


def _lenient(error: Any) -> bool:
    return bool(
        error["type"] == "extra_forbidden"
        or (error["type"] == "string_type" and error["input"] is None)
    )


def _set(data: Any, path: tuple[int | str, ...], value: str | None) -> bool:
    """Delete (`value` None) or set the dict entry at `path`; False when the path is not there."""
    for part in path[:-1]:
        in_dict = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and part < len(data)
        if not (in_dict or in_list):
            return False
        data = data[part]
    if not (isinstance(data, dict) and path and path[-1] in data):
        return False
    if value is None:
        del data[path[-1]]
    else:
        data[path[-1]] = value
    return True
