"""Admission-time handling of a whole object: decode (prune, default) and validate."""

from __future__ import annotations

import re
from typing import Any

from .celrules import validate_rules
from .errors import FieldError, bad_request, invalid, required, unprocessable
from .resources import ResourceType
from .schema import SchemaValidator, prune_and_default

JSON = dict[str, Any]

_DNS1123_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
_NOT_CHECKED = (
    "some validation rules were not checked because the object was invalid; correct the existing "
    "errors to complete validation"
)


def decode(
    rtype: ResourceType, obj: JSON, field_validation: str, defaults: bool = True
) -> list[str]:
    """Prune unknown fields and (optionally) apply defaults in place; returns warnings.

    With ``Strict`` field validation unknown fields are a 400 ``BadRequest``.
    """
    if rtype.schema is None:
        return []
    unknown: list[str] = []
    prune_and_default(obj, rtype.schema, "", unknown, defaults)
    if not unknown or field_validation == "Ignore":
        return []
    if field_validation == "Strict":
        listed = ", ".join(f'unknown field "{path}"' for path in unknown)
        raise bad_request(
            f'{rtype.kind} in version "{rtype.version}" cannot be handled as a {rtype.kind}: '
            f"strict decoding error: {listed}"
        )
    return [f'unknown field "{path}"' for path in unknown]


def metadata_errors(rtype: ResourceType, obj: JSON) -> list[FieldError]:
    """``metadata.name`` / ``metadata.namespace`` checks every object gets."""
    meta = obj.get("metadata") or {}
    name = meta.get("name")
    if not name:
        return [required("metadata.name", "name or generateName is required")]
    if len(name) > 253 or not _DNS1123_SUBDOMAIN.fullmatch(name):
        return [invalid("metadata.name", name, _SUBDOMAIN_MSG)]
    return []


def validate(rtype: ResourceType, obj: JSON) -> None:
    """Raise the API server's 422 for ``obj`` if the schema or any CEL rule rejects it."""
    errors = metadata_errors(rtype, obj)
    if rtype.schema is not None:
        errors += SchemaValidator().validate(obj, rtype.schema)
        if any(e.reason == "FieldValueTypeInvalid" for e in errors):
            errors.append(FieldError("FieldValueInvalid", "<nil>", detail=_NOT_CHECKED))
        else:
            errors += validate_rules(obj, rtype.schema)
    if errors:
        name = str((obj.get("metadata") or {}).get("name") or "")
        raise unprocessable(rtype.group, rtype.kind, name, errors)


def check_identity(rtype: ResourceType, obj: Any, name: str | None, fill_type: bool = True) -> None:
    """The body must be an object of the URL's apiVersion/kind and (when given) name.

    Like the API server's decoder, a missing apiVersion/kind defaults to the URL's, except in
    apply patches (``fill_type=False``) where both are required.
    """
    if not isinstance(obj, dict):
        raise bad_request("the body of the request was in an unknown format")
    for key, value in (("apiVersion", rtype.api_version), ("kind", rtype.kind)):
        if not obj.get(key):
            if not fill_type:
                raise bad_request(f"Object '{key[0].upper() + key[1:]}' is missing in apply patch")
            obj[key] = value
    api_version = obj.get("apiVersion")
    if api_version != rtype.api_version:
        raise bad_request(
            f"the API version in the data ({api_version}) does not match the expected API "
            f"version ({rtype.api_version})"
        )
    if obj.get("kind") != rtype.kind:
        raise bad_request(
            f"the kind in the data ({obj.get('kind')}) does not match the expected kind "
            f"({rtype.kind})"
        )
    body_name = (obj.get("metadata") or {}).get("name")
    if name is not None and body_name not in (None, name):
        raise bad_request(
            f"the name of the object ({body_name}) does not match the name on the URL ({name})"
        )
