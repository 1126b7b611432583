"""Structural-schema handling as the API server does it: pruning, defaulting and OpenAPI checks.

Messages follow ``apiextensions-apiserver``'s translation of go-openapi errors into
``field.Error`` values (``Required value``, ``Unsupported value``, ``Too many``,
``<path> in body should be at least N chars long`` …).
"""

from __future__ import annotations

import base64
import binascii
import copy
import re
from datetime import datetime
from typing import Any

from .errors import (
    FieldError,
    duplicate,
    invalid,
    not_supported,
    required,
    too_long,
    too_many,
)

JSON = dict[str, Any]

_ROOT_META = ("apiVersion", "kind", "metadata")


def child(path: str, key: str) -> str:
    """``path.key`` (or ``key`` at the root)."""
    return f"{path}.{key}" if path else key


def json_type(value: Any) -> str:
    """The OpenAPI type name of a decoded JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _allows_unknown(schema: JSON) -> bool:
    return bool(schema.get("x-kubernetes-preserve-unknown-fields"))


def prune_and_default(
    value: Any, schema: JSON, path: str, unknown: list[str], defaults: bool = True
) -> Any:
    """Drop unknown fields (recording their paths) and nulls, then apply ``default`` values."""
    if isinstance(value, dict):
        props: JSON = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        for key in list(value):
            if not path and key in _ROOT_META:
                continue
            sub = props.get(key)
            if sub is None and isinstance(extra, dict):
                sub = extra
            if sub is None:
                if not _allows_unknown(schema) and extra is not True:
                    unknown.append(child(path, key))
                    del value[key]
                continue
            if value[key] is None and not sub.get("nullable"):
                del value[key]
                continue
            value[key] = prune_and_default(
                value[key], sub, _index(path, key, props), unknown, defaults
            )
        for key, sub in props.items() if defaults else ():
            if key not in value and "default" in sub:
                value[key] = prune_and_default(
                    copy.deepcopy(sub["default"]), sub, child(path, key), []
                )
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        items = schema["items"]
        for i, item in enumerate(value):
            value[i] = prune_and_default(item, items, f"{path}[{i}]", unknown, defaults)
    return value


def _index(path: str, key: str, props: JSON) -> str:
    return child(path, key) if key in props else f"{path}[{key}]"


def _type_ok(value: Any, schema: JSON) -> bool:
    if schema.get("x-kubernetes-int-or-string"):
        return isinstance(value, int | str) and not isinstance(value, bool)
    expected = schema.get("type")
    if not expected:
        return True
    actual = json_type(value)
    return actual == expected or (expected == "number" and actual == "integer")


def _go_map(keys: JSON) -> str:
    inner = ", ".join(f'"{k}":{_go_scalar(v)}' for k, v in keys.items())
    return "map[string]interface {}{" + inner + "}"


def _go_scalar(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    return str(value).lower() if isinstance(value, bool) else str(value)


class SchemaValidator:
    """OpenAPI v3 value validation of a decoded object against a structural schema."""

    def validate(self, value: Any, schema: JSON, path: str = "") -> list[FieldError]:
        """All schema errors under ``path``, parents before children."""
        errors: list[FieldError] = []
        self._node(value, schema, path, errors)
        return errors

    def _node(self, value: Any, schema: JSON, path: str, errors: list[FieldError]) -> None:
        if value is None and schema.get("nullable"):
            return
        if not _type_ok(value, schema):
            actual = json_type(value)
            detail = f'{path} in body must be of type {schema.get("type")}: "{actual}"'
            errors.append(FieldError("FieldValueTypeInvalid", path, actual, detail))
            return
        self._values(value, schema, path, errors)
        for sub in schema.get("allOf") or []:
            self._values(value, sub, path, errors)
        any_of = schema.get("anyOf")
        if (
            any_of
            and not schema.get("x-kubernetes-int-or-string")
            and all(self.validate(value, sub, path) for sub in any_of)
        ):
            detail = f"{path} in body must validate at least one schema (anyOf)"
            errors.append(invalid(path, value, detail))
        if isinstance(value, dict):
            self._object(value, schema, path, errors)
        elif isinstance(value, list):
            self._array(value, schema, path, errors)

    def _values(self, value: Any, schema: JSON, path: str, errors: list[FieldError]) -> None:
        enum = schema.get("enum")
        if enum is not None and value not in enum:
            errors.append(not_supported(path, value, enum))
        if isinstance(value, str):
            self._string(value, schema, path, errors)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self._number(value, schema, path, errors)

    def _string(self, value: str, schema: JSON, path: str, errors: list[FieldError]) -> None:
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(too_long(path, schema["maxLength"]))
        if "minLength" in schema and len(value) < schema["minLength"]:
            detail = f"{path} in body should be at least {schema['minLength']} chars long"
            errors.append(invalid(path, value, detail))
        pattern = schema.get("pattern")
        if pattern is not None and not re.search(pattern, value):
            errors.append(invalid(path, value, f"{path} in body should match '{pattern}'"))
        fmt = schema.get("format")
        if fmt and not _format_ok(fmt, value):
            errors.append(invalid(path, value, f'{path} in body must be of type {fmt}: "{value}"'))

    def _number(self, value: float, schema: JSON, path: str, errors: list[FieldError]) -> None:
        if "maximum" in schema:
            limit = schema["maximum"]
            if schema.get("exclusiveMaximum") and value >= limit:
                errors.append(invalid(path, value, f"{path} in body should be less than {limit}"))
            elif value > limit:
                detail = f"{path} in body should be less than or equal to {limit}"
                errors.append(invalid(path, value, detail))
        if "minimum" in schema:
            limit = schema["minimum"]
            if schema.get("exclusiveMinimum") and value <= limit:
                errors.append(
                    invalid(path, value, f"{path} in body should be greater than {limit}")
                )
            elif value < limit:
                detail = f"{path} in body should be greater than or equal to {limit}"
                errors.append(invalid(path, value, detail))

    def _object(self, value: JSON, schema: JSON, path: str, errors: list[FieldError]) -> None:
        for name in schema.get("required") or []:
            if name not in value:
                errors.append(required(child(path, name)))
        if "maxProperties" in schema and len(value) > schema["maxProperties"]:
            errors.append(too_many(path, len(value), schema["maxProperties"]))
        if "minProperties" in schema and len(value) < schema["minProperties"]:
            detail = f"{path} in body should have at least {schema['minProperties']} properties"
            errors.append(invalid(path, len(value), detail))
        props: JSON = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if not path and key == "metadata":
                continue
            if key in props:
                self._node(item, props[key], child(path, key), errors)
            elif isinstance(extra, dict):
                self._node(item, extra, child(path, key), errors)

    def _array(self, value: list[Any], schema: JSON, path: str, errors: list[FieldError]) -> None:
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(too_many(path, len(value), schema["maxItems"]))
        if "minItems" in schema and len(value) < schema["minItems"]:
            detail = f"{path} in body should have at least {schema['minItems']} items"
            errors.append(invalid(path, len(value), detail))
        list_type = schema.get("x-kubernetes-list-type")
        if list_type == "map":
            keys = schema.get("x-kubernetes-list-map-keys") or []
            seen: list[JSON] = []
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    key = {k: item[k] for k in keys if k in item}
                    if key in seen:
                        errors.append(
                            FieldError("FieldValueDuplicate", f"{path}[{i}]", _GoRepr(key))
                        )
                    seen.append(key)
        elif list_type == "set":
            for i, item in enumerate(value):
                if item in value[:i]:
                    errors.append(duplicate(f"{path}[{i}]", item))
        items = schema.get("items")
        if isinstance(items, dict):
            for i, item in enumerate(value):
                self._node(item, items, f"{path}[{i}]", errors)


class _GoRepr:
    """A bad value printed with Go's ``%#v`` for ``map[string]interface{}``."""

    def __init__(self, keys: JSON) -> None:
        self.keys = keys

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _GoRepr) and other.keys == self.keys

    def __hash__(self) -> int:
        return hash(_go_map(self.keys))

    def __str__(self) -> str:
        return _go_map(self.keys)


def _format_ok(fmt: str, value: str) -> bool:
    if fmt == "byte":
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return False
        return True
    if fmt == "date-time":
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return False
        return True
    return True
