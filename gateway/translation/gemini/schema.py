"""JSON Schema -> the OpenAPI 3.0 subset Gemini's `Schema` accepts (`responseSchema`, `parameters`).

Local `$ref`s (`#/$defs/...`, `#/definitions/...`) are inlined; a type list or an `anyOf` with a
`null` branch becomes `nullable: true`; `const` becomes a one-value `enum`; types are the proto
enum names (`STRING`, `OBJECT`, ...). Keywords Gemini does not know are dropped. Recursive
schemas are cut at `MAX_DEPTH` with a 400 naming the path, since Gemini cannot express them.
"""

from __future__ import annotations

from typing import Any, Final

from gateway.translation.errors import bad_request as _bad

__all__ = ["MAX_DEPTH", "json_schema_to_gemini"]

MAX_DEPTH: Final = 32
_KEPT: Final = frozenset(
    {
        "description",
        "format",
        "title",
        "pattern",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "minProperties",
        "maxProperties",
        "propertyOrdering",
        "default",
        "example",
    }
)
_TYPES: Final = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})


def json_schema_to_gemini(schema: object, param: str) -> dict[str, Any]:
    """The Gemini `Schema` for a JSON schema; a bad schema is a 400 naming `param`."""
    if not isinstance(schema, dict):
        raise _bad("a JSON schema must be an object", param)
    return _convert(schema, schema, param, 0)


def _resolve(root: dict[str, Any], ref: object, param: str) -> dict[str, Any]:
    if not isinstance(ref, str) or not ref.startswith("#/"):
        raise _bad(f"only local $ref values are supported (got {ref!r})", param)
    node: Any = root
    for token in ref[2:].split("/"):
        key = token.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            raise _bad(f"$ref {ref!r} does not resolve", param)
        node = node[key]
    if not isinstance(node, dict):
        raise _bad(f"$ref {ref!r} does not point at a schema", param)
    return node


def _convert(node: dict[str, Any], root: dict[str, Any], param: str, depth: int) -> dict[str, Any]:
    if depth > MAX_DEPTH:
        raise _bad(f"schema nesting deeper than {MAX_DEPTH} (recursive $ref?)", param)
    if "$ref" in node:
        merged = {k: v for k, v in node.items() if k != "$ref"}
        return _convert({**_resolve(root, node["$ref"], param), **merged}, root, param, depth + 1)
    out: dict[str, Any] = {k: v for k, v in node.items() if k in _KEPT}
    nullable = node.get("nullable") is True
    kind = node.get("type")
    if isinstance(kind, list):
        names = [k for k in kind if k != "null"]
        nullable = nullable or len(names) < len(kind)
        if len(names) > 1:
            out["anyOf"] = [{"type": n.upper()} for n in names if n in _TYPES]
            kind = None
        else:
            kind = names[0] if names else "null"
    if isinstance(kind, str):
        if kind not in _TYPES:
            raise _bad(f"unknown JSON schema type {kind!r}", param)
        out["type"] = kind.upper()
    if "const" in node:
        out["enum"] = [node["const"]]
    if isinstance(node.get("enum"), list):
        out["enum"] = list(node["enum"])
    if "enum" in out and "type" not in out:
        out["type"] = "STRING"
    if isinstance(node.get("properties"), dict):
        out["properties"] = {
            name: _convert(_object(sub, f"{param}.properties.{name}"), root, param, depth + 1)
            for name, sub in node["properties"].items()
        }
    if isinstance(node.get("required"), list):
        out["required"] = [r for r in node["required"] if isinstance(r, str)]
    if isinstance(node.get("items"), dict):
        out["items"] = _convert(node["items"], root, param, depth + 1)
    branches = node.get("anyOf", node.get("oneOf"))
    if isinstance(branches, list):
        kept = []
        for i, branch in enumerate(branches):
            sub = _object(branch, f"{param}.anyOf.{i}")
            if sub.get("type") == "null":
                nullable = True
            else:
                kept.append(_convert(sub, root, param, depth + 1))
        if len(kept) == 1:
            out.update({k: v for k, v in kept[0].items() if k not in out})
        elif kept:
            out["anyOf"] = kept
    if isinstance(node.get("allOf"), list):
        for i, branch in enumerate(node["allOf"]):
            sub = _convert(_object(branch, f"{param}.allOf.{i}"), root, param, depth + 1)
            for key, value in sub.items():
                if key == "properties":
                    out.setdefault("properties", {}).update(value)
                elif key == "required":
                    out["required"] = [*out.get("required", []), *value]
                else:
                    out.setdefault(key, value)
    if nullable:
        out["nullable"] = True
    return out


def _object(value: object, param: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad("a JSON schema must be an object", param)
    return value
