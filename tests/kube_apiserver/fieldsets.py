"""Field sets for server-side apply: paths, ``fieldsV1`` encoding, value lookup and merging.

A path is a tuple of structured-merge-diff path elements: ``f:<field>`` for an object field,
``k:{"name":"x"}`` for an item of a ``list-type: map`` list and ``v:<json>`` for a set item.
Lists are atomic unless the schema says otherwise; objects are granular unless
``x-kubernetes-map-type: atomic``.
"""

from __future__ import annotations

import copy
import json
from typing import Any

JSON = dict[str, Any]
Path = tuple[str, ...]
FieldSet = set[Path]

MISSING: Any = object()

# Fields of ``metadata`` that are owned like content; the rest is the server's.
_OWNED_METADATA = ("labels", "annotations", "finalizers", "ownerReferences")
_UNSCHEMED_LIST_KEYS: dict[str, list[str]] = {"ports": ["port", "protocol"], "listeners": ["name"]}


def sub_schema(schema: JSON | None, key: str) -> JSON | None:
    """The schema of field ``key`` of an object with ``schema``."""
    if schema is None:
        return None
    props = schema.get("properties") or {}
    if key in props:
        result: JSON = props[key]
        return result
    extra = schema.get("additionalProperties")
    return extra if isinstance(extra, dict) else None


def _list_keys(schema: JSON | None, field: str) -> list[str] | None:
    """Map keys of a list-map, or None for atomic / set lists."""
    if schema is None:
        return _UNSCHEMED_LIST_KEYS.get(field)
    if schema.get("x-kubernetes-list-type") == "map":
        return list(schema.get("x-kubernetes-list-map-keys") or [])
    return None


def _is_set(schema: JSON | None) -> bool:
    return schema is not None and schema.get("x-kubernetes-list-type") == "set"


def _is_atomic_map(schema: JSON | None) -> bool:
    if schema is None:
        return False
    return schema.get("x-kubernetes-map-type") == "atomic" or bool(
        schema.get("x-kubernetes-preserve-unknown-fields") and not schema.get("properties")
    )


def _item_schema(schema: JSON | None) -> JSON | None:
    if schema is None:
        return None
    items = schema.get("items")
    return items if isinstance(items, dict) else None


def key_element(item: JSON, keys: list[str]) -> str:
    """``k:{...}`` element for a list-map item (key fields sorted by name)."""
    fields = {k: item[k] for k in sorted(keys) if k in item}
    return "k:" + json.dumps(fields, separators=(",", ":"))


def _set_element(value: Any) -> str:
    return "v:" + json.dumps(value, separators=(",", ":"))


def field_set(obj: JSON, schema: JSON | None, status: bool = False) -> FieldSet:
    """Paths of ``obj`` a manager would own: content (or only ``status``) plus owned metadata."""
    out: FieldSet = set()
    for key, value in obj.items():
        if key in ("apiVersion", "kind"):
            continue
        if key == "metadata":
            meta = {k: v for k, v in (value or {}).items() if k in _OWNED_METADATA and v}
            if meta and not status:
                _collect(meta, None, ("f:metadata",), "metadata", out)
            continue
        if (key == "status") != status:
            continue
        _collect(value, sub_schema(schema, key), (f"f:{key}",), key, out)
    return out


def _collect(value: Any, schema: JSON | None, prefix: Path, name: str, out: FieldSet) -> None:
    if isinstance(value, dict) and value and not _is_atomic_map(schema):
        for key, item in value.items():
            _collect(item, sub_schema(schema, key), (*prefix, f"f:{key}"), key, out)
        return
    keys = _list_keys(schema, name)
    if isinstance(value, list) and value and (keys or _is_set(schema)):
        items = _item_schema(schema)
        for item in value:
            if keys and isinstance(item, dict):
                path = (*prefix, key_element(item, keys))
                out.add(path)
                for key, sub in item.items():
                    _collect(sub, sub_schema(items, key), (*path, f"f:{key}"), key, out)
            else:
                out.add((*prefix, _set_element(item)))
        return
    if prefix:
        out.add(prefix)


def get_at(obj: Any, path: Path) -> Any:
    """The value at ``path`` in ``obj``, or ``MISSING``."""
    node = obj
    for element in path:
        kind, _, text = element.partition(":")
        if kind == "f":
            if not isinstance(node, dict) or text not in node:
                return MISSING
            node = node[text]
        elif kind == "k":
            wanted = json.loads(text)
            match = [i for i in node or [] if isinstance(i, dict) and _matches(i, wanted)]
            if not isinstance(node, list) or not match:
                return MISSING
            node = match[0]
        else:
            wanted = json.loads(text)
            if not isinstance(node, list) or wanted not in node:
                return MISSING
            node = wanted
    return node


def _matches(item: JSON, keys: JSON) -> bool:
    return all(item.get(k) == v for k, v in keys.items())


def remove_at(obj: Any, path: Path) -> None:
    """Delete the field or list item at ``path`` (no-op when absent)."""
    parent = get_at(obj, path[:-1])
    kind, _, text = path[-1].partition(":")
    if kind == "f" and isinstance(parent, dict):
        parent.pop(text, None)
    elif kind == "k" and isinstance(parent, list):
        wanted = json.loads(text)
        parent[:] = [i for i in parent if not (isinstance(i, dict) and _matches(i, wanted))]
    elif kind == "v" and isinstance(parent, list):
        wanted = json.loads(text)
        parent[:] = [i for i in parent if i != wanted]


def merge(live: Any, config: Any, schema: JSON | None, name: str = "") -> Any:
    """Apply ``config`` over ``live`` with structured-merge semantics."""
    if live is MISSING:
        return copy.deepcopy(config)
    if isinstance(live, dict) and isinstance(config, dict) and not _is_atomic_map(schema):
        result = dict(live)
        for key, value in config.items():
            sub = None if name == "metadata" else sub_schema(schema, key)
            result[key] = merge(live.get(key, MISSING), value, sub, key)
        return result
    keys = _list_keys(schema, name)
    if isinstance(live, list) and isinstance(config, list) and keys:
        merged = list(live)
        items = _item_schema(schema)
        for item in config:
            index = _find(merged, item, keys)
            if index is None:
                merged.append(copy.deepcopy(item))
            else:
                merged[index] = merge(merged[index], item, items)
        return merged
    if isinstance(live, list) and isinstance(config, list) and _is_set(schema):
        return list(live) + [copy.deepcopy(i) for i in config if i not in live]
    return copy.deepcopy(config)


def _find(items: list[Any], item: Any, keys: list[str]) -> int | None:
    if not isinstance(item, dict):
        return None
    wanted = {k: item.get(k) for k in keys}
    for i, candidate in enumerate(items):
        if isinstance(candidate, dict) and {k: candidate.get(k) for k in keys} == wanted:
            return i
    return None


def to_fields_v1(fields: FieldSet) -> JSON:
    """Encode a field set as a ``fieldsV1`` tree."""
    root: JSON = {}
    for path in sorted(fields):
        node = root
        for element in path:
            node = node.setdefault(element, {})
        if path[-1].startswith("k:"):
            node.setdefault(".", {})
    return root


def from_fields_v1(tree: JSON, prefix: Path = ()) -> FieldSet:
    """Decode a ``fieldsV1`` tree into a field set."""
    out: FieldSet = set()
    for element, sub in tree.items():
        if element == ".":
            out.add(prefix)
            continue
        path = (*prefix, element)
        if sub:
            out |= from_fields_v1(sub, path)
        else:
            out.add(path)
    return out


def path_string(path: Path) -> str:
    """structured-merge-diff's text form: ``.spec.rules[name="a"].weight``."""
    text = ""
    for element in path:
        kind, _, body = element.partition(":")
        if kind == "f":
            text += f".{body}"
        elif kind == "k":
            keys = json.loads(body)
            text += "[" + ",".join(f"{k}={json.dumps(v)}" for k, v in keys.items()) + "]"
        else:
            text += f"[={body}]"
    return text
