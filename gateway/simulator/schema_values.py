"""Deterministic sample values that satisfy a JSON schema (the simulated tool-call input)."""

from __future__ import annotations

import math
from typing import Any, Final

_MAX_DEPTH: Final = 8
_STRING_FORMATS: Final[dict[str, str]] = {
    "date-time": "2025-01-01T00:00:00Z",
    "date": "2025-01-01",
    "time": "00:00:00Z",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
}


def sample_value(schema: Any, name: str = "value") -> Any:
    """A value valid against `schema`; `name` (the property name) seeds sample strings.

    Rules, in order: `const`, `default`, first `enum` entry, first `anyOf`/`oneOf` branch,
    merged `allOf`, local `$ref`, then by `type` (the first non-null one of a list).
    """
    root = schema if isinstance(schema, dict) else {}
    return _value(root, root, name, 0)


def _value(schema: Any, root: dict[str, Any], name: str, depth: int) -> Any:
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return None if depth > _MAX_DEPTH else f"sample {name}"
    if "$ref" in schema:
        return _value(_resolve(root, schema["$ref"]), root, name, depth + 1)
    if "const" in schema:
        return schema["const"]
    if "default" in schema:
        return schema["default"]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0]
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            return _value(_first_non_null(branches), root, name, depth + 1)
    if isinstance(schema.get("allOf"), list):
        return _value(_merge_all_of(schema, root), root, name, depth + 1)
    kind = _type_of(schema)
    if kind == "object":
        return _object(schema, root, depth)
    if kind == "array":
        return _array(schema, root, name, depth)
    if kind == "string":
        return _string(schema, name)
    if kind == "integer":
        return int(_number(schema, integer=True))
    if kind == "number":
        return _number(schema, integer=False)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return f"sample {name}"


def _resolve(root: dict[str, Any], ref: Any) -> Any:
    if not isinstance(ref, str) or not ref.startswith("#"):
        return {}
    node: Any = root
    for part in ref.lstrip("#").strip("/").split("/"):
        if not part:
            continue
        key = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            return {}
        node = node[key]
    return node


def _first_non_null(branches: list[Any]) -> Any:
    for branch in branches:
        if not (isinstance(branch, dict) and branch.get("type") == "null"):
            return branch
    return branches[0]


def _merge_all_of(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    properties: dict[str, Any] = dict(merged.get("properties", {}))
    required: list[Any] = list(merged.get("required", []))
    for part in schema["allOf"]:
        part = _resolve(root, part["$ref"]) if isinstance(part, dict) and "$ref" in part else part
        if not isinstance(part, dict):
            continue
        properties.update(part.get("properties", {}))
        required.extend(part.get("required", []))
        for key, val in part.items():
            if key not in ("properties", "required"):
                merged.setdefault(key, val)
    if properties:
        merged["properties"] = properties
    if required:
        merged["required"] = required
    return merged


def _type_of(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), kind[0] if kind else None)
    if kind is None:
        if "properties" in schema:
            return "object"
        if "items" in schema:
            return "array"
    return kind if isinstance(kind, str) else None


def _object(schema: dict[str, Any], root: dict[str, Any], depth: int) -> dict[str, Any]:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        properties = {}
    result = {key: _value(sub, root, key, depth + 1) for key, sub in properties.items()}
    for key in schema.get("required", []):
        if isinstance(key, str) and key not in result:
            result[key] = f"sample {key}"
    return result


def _array(schema: dict[str, Any], root: dict[str, Any], name: str, depth: int) -> list[Any]:
    count = max(int(schema.get("minItems", 1)), 1)
    if "maxItems" in schema:
        count = min(count, int(schema["maxItems"]))
    items = schema.get("items", {})
    prefix = schema.get("prefixItems")
    if isinstance(prefix, list) and prefix:
        values = [_value(sub, root, name, depth + 1) for sub in prefix]
        return values + [_value(items, root, name, depth + 1)] * max(count - len(values), 0)
    return [_value(items, root, name, depth + 1) for _ in range(count)]


def _string(schema: dict[str, Any], name: str) -> str:
    value = _STRING_FORMATS.get(str(schema.get("format")), f"sample {name}")
    min_length = int(schema.get("minLength", 0))
    if len(value) < min_length:
        value = value + "x" * (min_length - len(value))
    if "maxLength" in schema:
        value = value[: int(schema["maxLength"])]
    return value


def _number(schema: dict[str, Any], *, integer: bool) -> float:
    low = _bound(schema, "minimum", "exclusiveMinimum", integer, up=True)
    high = _bound(schema, "maximum", "exclusiveMaximum", integer, up=False)
    value: float = 1 if integer else 1.5
    if low is not None and value < low:
        value = low
    if high is not None and value > high:
        value = high
    step = schema.get("multipleOf")
    if isinstance(step, int | float) and step > 0:
        value = math.ceil(value / step) * step
        if high is not None and value > high:
            value -= step
    return value


def _bound(
    schema: dict[str, Any], inclusive: str, exclusive: str, integer: bool, *, up: bool
) -> float | None:
    bound = schema.get(inclusive)
    if isinstance(bound, int | float) and not isinstance(bound, bool):
        return math.ceil(bound) if integer and up else math.floor(bound) if integer else bound
    bound = schema.get(exclusive)
    if isinstance(bound, int | float) and not isinstance(bound, bool):
        nudge = 1 if integer else 0.5
        if integer:
            return math.floor(bound) + 1 if up else math.ceil(bound) - 1
        return bound + nudge if up else bound - nudge
    return None
