"""CustomResourceDefinitions rebuilt from the SDK's generated models.

The AI Gateway CRDs come from the pinned upstream module (:mod:`tests.support.upstream`). Where
that module cannot be fetched (a Go module proxy that refuses it, no ``AIGW_UPSTREAM_DIR``), the
cluster tests still need the kinds installed in a real API server. The models carry every schema
fact of the CRDs they were generated from — types, required keys, OpenAPI limits, defaults, list
types and CEL rules — so the same structural schemas can be written back out. The API server then
evaluates those rules with its own CEL engine and reports with its own messages, which is what the
cluster and conformance tests compare against; only whether the models hold every upstream rule
needs the upstream CRDs themselves.
"""

from __future__ import annotations

import types
from collections import defaultdict
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from aigw_sdk.models.base import CelRule, Limits, OpenModel, Resource, SchemaModel
from aigw_sdk.models.registry import RESOURCE_CLASSES

AIGW_GROUP = "aigateway.envoyproxy.io"

_SCALARS: dict[Any, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}
_LIMIT_KEYS: tuple[tuple[str, str], ...] = (
    ("min_length", "minLength"),
    ("max_length", "maxLength"),
    ("pattern", "pattern"),
    ("minimum", "minimum"),
    ("maximum", "maximum"),
    ("min_items", "minItems"),
    ("max_items", "maxItems"),
    ("min_properties", "minProperties"),
    ("max_properties", "maxProperties"),
    ("format", "format"),
    ("list_type", "x-kubernetes-list-type"),
)


def aigw_crds() -> list[dict[str, Any]]:
    """One CRD per Envoy AI Gateway kind the SDK models, every modelled version served.

    The newest version (v1beta1 where it exists) is the storage version; deprecated versions
    carry their deprecation warning, as upstream's CRDs do.
    """
    by_kind: dict[str, list[type[Resource]]] = defaultdict(list)
    for cls in RESOURCE_CLASSES:
        if cls.group == AIGW_GROUP:
            by_kind[cls.kind_name()].append(cls)
    return [_crd(kind, classes) for kind, classes in sorted(by_kind.items())]


def _crd(kind: str, classes: list[type[Resource]]) -> dict[str, Any]:
    first = classes[0]
    storage = max(classes, key=lambda c: c.version == "v1beta1").version
    versions = []
    for cls in sorted(classes, key=lambda c: c.version):
        version: dict[str, Any] = {
            "name": cls.version,
            "served": True,
            "storage": cls.version == storage,
            "schema": {"openAPIV3Schema": resource_schema(cls)},
            "subresources": {"status": {}},
        }
        if cls.deprecation_warning:
            version["deprecated"] = True
            version["deprecationWarning"] = cls.deprecation_warning
        versions.append(version)
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{first.plural}.{first.group}"},
        "spec": {
            "group": first.group,
            "names": {
                "kind": kind,
                "listKind": f"{kind}List",
                "plural": first.plural,
                "singular": kind.lower(),
            },
            "scope": "Namespaced" if first.namespaced else "Cluster",
            "versions": versions,
        },
    }


def resource_schema(cls: type[Resource]) -> dict[str, Any]:
    """The ``openAPIV3Schema`` of one resource class."""
    properties: dict[str, Any] = {
        "apiVersion": {"type": "string"},
        "kind": {"type": "string"},
        "metadata": {"type": "object"},
    }
    for name in ("spec", "status"):
        info = cls.model_fields.get(name)
        if info is not None:
            properties[name] = _annotation_schema(info.annotation, _limits(info.metadata))
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    _add_limits(schema, _node_limits(cls))
    return schema


def model_schema(model: type[SchemaModel]) -> dict[str, Any]:
    """The structural schema of one object class: properties, required keys, object rules."""
    schema: dict[str, Any] = {"type": "object"}
    if issubclass(model, OpenModel) or model.model_config.get("extra") == "allow":
        schema["x-kubernetes-preserve-unknown-fields"] = True
    properties = {
        (info.alias or name): _annotation_schema(info.annotation, _limits(info.metadata))
        for name, info in model.model_fields.items()
    }
    if properties:
        schema["properties"] = properties
    required = list(getattr(model, "_required", ()))
    if required:
        schema["required"] = required
    _add_limits(schema, _node_limits(model))
    return schema


def _annotation_schema(annotation: Any, limits: Limits | None) -> dict[str, Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *meta = get_args(annotation)
        return _annotation_schema(base, limits or _limits(meta))
    if origin is Union or origin is types.UnionType:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _annotation_schema(args[0], limits)
        if set(args) == {int, str}:
            schema: dict[str, Any] = {
                "anyOf": [{"type": "integer"}, {"type": "string"}],
                "x-kubernetes-int-or-string": True,
            }
            return _add_limits(schema, limits)
        return _add_limits({"x-kubernetes-preserve-unknown-fields": True}, limits)
    if origin is Literal:
        kinds = {_SCALARS.get(type(v)) for v in get_args(annotation)}
        schema = {"type": kinds.pop()} if len(kinds) == 1 and None not in kinds else {}
        if "enum" not in schema and (limits is None or limits.enum is None):
            schema["enum"] = list(get_args(annotation))
        return _add_limits(schema, limits)
    if origin is list:
        (item,) = get_args(annotation)
        return _add_limits({"type": "array", "items": _annotation_schema(item, None)}, limits)
    if origin is dict:
        _, value = get_args(annotation)
        if value is Any:
            schema = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
        else:
            schema = {"type": "object", "additionalProperties": _annotation_schema(value, None)}
        return _add_limits(schema, limits)
    if isinstance(annotation, type) and issubclass(annotation, SchemaModel):
        return _add_limits(model_schema(annotation), limits)
    scalar = _SCALARS.get(annotation)
    if scalar is None:
        return _add_limits({"x-kubernetes-preserve-unknown-fields": True}, limits)
    return _add_limits({"type": scalar}, limits)


def _add_limits(schema: dict[str, Any], limits: Limits | None) -> dict[str, Any]:
    if limits is None:
        return schema
    for attr, key in _LIMIT_KEYS:
        value = getattr(limits, attr)
        if value is not None:
            schema[key] = value
    if limits.enum is not None:
        schema["enum"] = list(limits.enum)
    if limits.list_map_keys is not None:
        schema["x-kubernetes-list-map-keys"] = list(limits.list_map_keys)
    if limits.has_default:
        schema["default"] = limits.default
    if limits.patterns:
        schema["allOf"] = [{"pattern": p} for p in limits.patterns]
    if limits.rules:
        schema["x-kubernetes-validations"] = [_rule(r) for r in limits.rules]
    return schema


def _rule(rule: CelRule) -> dict[str, Any]:
    out: dict[str, Any] = {"rule": rule.rule}
    if rule.message is not None:
        out["message"] = rule.message
    if rule.message_expression is not None:
        out["messageExpression"] = rule.message_expression
    if rule.field_path is not None:
        out["fieldPath"] = rule.field_path
    if rule.reason is not None:
        out["reason"] = rule.reason
    return out


def _limits(metadata: Any) -> Limits | None:
    return next((m for m in metadata if isinstance(m, Limits)), None)


def _node_limits(model: type[SchemaModel]) -> Limits | None:
    limits = getattr(model, "_node_limits", None)
    return limits if isinstance(limits, Limits) else None
