"""OpenAPI checks of an object's wire form, guided by its model class.

The walker reads the schema facts the models carry (``Limits`` in the fields' ``Annotated``
metadata, ``_required`` and ``_node_limits`` class variables) and reports every violation with
the API server's field path and wording. Like the API server it first applies the CRD defaults
to the (copied) wire data, and it collects the ``x-kubernetes-validations`` rules of every node
it visits so :mod:`aigw_sdk.validation.cel` can evaluate them on the defaulted data.

Models with ``complete = False`` (the hand-written Envoy Gateway / Gateway API models) only get
their modelled fields' JSON types checked: their schemas are not fully known here.
"""

from __future__ import annotations

import base64
import binascii
import copy
import functools
import json
import re
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from aigw_sdk.models.base import CelRule, Limits, SchemaModel

NodeType = Literal[
    "object", "array", "map", "string", "integer", "number", "boolean", "any", "int-or-string"
]

_NO_LIMITS = Limits()
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One schema violation: the field path and the API server's detail text.

    ``blocking`` marks the errors after which the API server skips CEL validation: wrong type,
    enum, required, too long (maxLength) and too many (maxItems, maxProperties).
    """

    path: str
    message: str
    blocking: bool = False


@dataclass(frozen=True, slots=True)
class CelTarget:
    """A present node with CEL rules: where it is, its (defaulted) value and its rules."""

    path: str
    value: Any
    type_name: str
    rules: tuple[CelRule, ...]


@dataclass(frozen=True, slots=True, eq=False)
class Node:
    """The schema of one value, derived from a model annotation."""

    kind: NodeType
    limits: Limits = _NO_LIMITS
    model: type[SchemaModel] | None = None
    item: Node | None = None


@dataclass(slots=True)
class SchemaResult:
    """What :func:`check_object` found: schema problems and the CEL rules to evaluate."""

    problems: list[FieldProblem] = field(default_factory=list)
    cel_targets: list[CelTarget] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        """Whether an error makes the API server skip CEL validation (see FieldProblem)."""
        return any(p.blocking for p in self.problems)


def check_object(
    model: type[SchemaModel], data: Any, *, complete: bool = True, owned: bool = False
) -> SchemaResult:
    """Check a wire object against ``model``; returns problems and the CEL targets.

    The CRD defaults are applied to a deep copy of ``data`` (the CEL targets refer to it), so
    the caller's data is never changed. ``owned=True`` says ``data`` is a fresh object the
    caller gives away (such as a ``to_dict()`` result): it is then defaulted in place, uncopied.
    """
    walker = _Walker(complete)
    walker.value(Node("object", model=model), data if owned else copy.deepcopy(data), "")
    return SchemaResult(walker.problems, walker.targets)


def json_type_name(value: Any) -> str:
    """The OpenAPI type name of a JSON value (``"object"``, ``"array"``, ``"string"``, …)."""
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
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return type(value).__name__


def go_value(value: Any) -> str:
    """A bad value as apimachinery's field errors print it."""
    if value is None:
        return '"null"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def go_map(value: dict[str, Any]) -> str:
    """A list-map key as the API server prints it (Go's ``%#v`` of the unstructured map)."""
    entries = ", ".join(f"{json.dumps(k)}:{_go_scalar(v)}" for k, v in sorted(value.items()))
    return f"map[string]interface {{}}{{{entries}}}"


def _go_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    return json.dumps(value, ensure_ascii=False)


def join_path(parent: str, name: str) -> str:
    """``parent.name`` (or ``name`` at the root)."""
    return f"{parent}.{name}" if parent else name


def _number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _first_limits(metadata: Sequence[Any]) -> Limits:
    return next((m for m in metadata if isinstance(m, Limits)), _NO_LIMITS)


def node_of(annotation: Any, limits: Limits = _NO_LIMITS) -> Node:
    """The :class:`Node` of a field annotation (``Annotated``, ``Optional``, ``list``, …)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *meta = get_args(annotation)
        inner = _first_limits(meta)
        return node_of(base, inner if limits is _NO_LIMITS else limits)
    if origin is Union or origin is types.UnionType:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return node_of(args[0], limits)
        if set(args) == {int, str}:
            return Node("int-or-string", limits)
        return Node("any", limits)
    if origin is Literal:
        values = get_args(annotation)
        kinds = {json_type_name(v) for v in values}
        scalar: NodeType = "string" if kinds == {"string"} else "any"
        return Node(scalar, limits)
    if origin is list:
        (item,) = get_args(annotation)
        return Node("array", limits, item=node_of(item))
    if origin is dict:
        _, value = get_args(annotation)
        return Node("map", limits, item=node_of(value))
    if isinstance(annotation, type) and issubclass(annotation, SchemaModel):
        return Node("object", limits, model=annotation)
    return Node(_SCALARS.get(annotation, "any"), limits)


_SCALARS: dict[Any, NodeType] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
}


@functools.cache
def model_nodes(model: type[SchemaModel]) -> dict[str, Node]:
    """Wire name -> :class:`Node` of every field of ``model`` (cached per class)."""
    nodes: dict[str, Node] = {}
    for name, info in model.model_fields.items():
        wire = info.alias or name
        nodes[wire] = node_of(info.annotation, _first_limits(info.metadata))
    return nodes


def _type_ok(node: Node, value: Any) -> bool:
    match node.kind:
        case "string":
            return isinstance(value, str)
        case "integer":
            return isinstance(value, int) and not isinstance(value, bool)
        case "number":
            return isinstance(value, int | float) and not isinstance(value, bool)
        case "boolean":
            return isinstance(value, bool)
        case "object" | "map":
            return isinstance(value, dict)
        case "array":
            return isinstance(value, list)
        case "int-or-string":
            return isinstance(value, str) or (
                isinstance(value, int) and not isinstance(value, bool)
            )
    return True


def _expected_type(node: Node) -> str:
    return {"map": "object", "int-or-string": "integer,string"}.get(node.kind, node.kind)


class _Walker:
    def __init__(self, complete: bool) -> None:
        self.complete = complete
        self.problems: list[FieldProblem] = []
        self.targets: list[CelTarget] = []

    def add(self, path: str, message: str, *, blocking: bool = False) -> None:
        self.problems.append(FieldProblem(path, message, blocking))

    def invalid(self, path: str, value: Any, detail: str, *, blocking: bool = False) -> None:
        self.add(path, f"Invalid value: {go_value(value)}: {detail}", blocking=blocking)

    def value(self, node: Node, value: Any, path: str) -> None:
        if node.kind == "any":
            return
        if not _type_ok(node, value):
            actual = json_type_name(value)
            detail = f'{path} in body must be of type {_expected_type(node)}: "{actual}"'
            self.invalid(path, actual, detail, blocking=True)
            return
        limits = node.limits
        if self.complete:
            if isinstance(value, str):
                self.string(limits, value, path)
            elif isinstance(value, int | float):
                self.number(limits, value, path)
        rules = limits.rules
        if node.kind == "object" and node.model is not None:
            self.object(node.model, value, path)
            rules = rules + _node_limits(node.model).rules
        elif node.kind == "map" and node.item is not None:
            self.properties(limits, value, path)
            for key, item in value.items():
                self.value(node.item, item, f"{path}[{key}]")
        elif node.kind == "array" and node.item is not None:
            self.array(node, value, path)
        if rules and self.complete:
            self.targets.append(CelTarget(path, value, json_type_name(value), rules))

    def string(self, limits: Limits, value: str, path: str) -> None:
        if limits.enum is not None and value not in limits.enum:
            self.not_supported(limits.enum, value, path)
            return
        # The string validator reports its first failure only: maxLength, minLength, pattern.
        if limits.max_length is not None and len(value) > limits.max_length:
            message = f"Too long: may not be more than {limits.max_length} bytes"
            self.add(path, message, blocking=True)
        elif limits.min_length is not None and len(value) < limits.min_length:
            detail = f"{path} in body should be at least {limits.min_length} chars long"
            self.invalid(path, value, detail)
        elif limits.pattern is not None and re.search(limits.pattern, value) is None:
            self.invalid(path, value, f"{path} in body should match '{limits.pattern}'")
        for pattern in limits.patterns:  # each from its own allOf schema
            if re.search(pattern, value) is None:
                self.invalid(path, value, f"{path} in body should match '{pattern}'")
        if not _format_ok(limits.format, value):
            actual = f'{path} in body must be of type {limits.format}: "{value}"'
            self.invalid(path, value, actual, blocking=True)

    def number(self, limits: Limits, value: int | float, path: str) -> None:
        if limits.enum is not None and value not in limits.enum:
            self.not_supported(limits.enum, value, path)
            return
        if limits.minimum is not None and value < limits.minimum:
            detail = f"{path} in body should be greater than or equal to {_number(limits.minimum)}"
            self.invalid(path, value, detail)
        if limits.maximum is not None and value > limits.maximum:
            detail = f"{path} in body should be less than or equal to {_number(limits.maximum)}"
            self.invalid(path, value, detail)

    def not_supported(self, allowed: tuple[Any, ...], value: Any, path: str) -> None:
        listed = ", ".join(json.dumps(v) for v in allowed)
        message = f"Unsupported value: {go_value(value)}: supported values: {listed}"
        self.add(path, message, blocking=True)

    def properties(self, limits: Limits, value: dict[str, Any], path: str) -> None:
        count = len(value)
        if limits.max_properties is not None and count > limits.max_properties:
            message = f"Too many: {count}: must have at most {limits.max_properties} items"
            self.add(path, message, blocking=True)
        if limits.min_properties is not None and count < limits.min_properties:
            detail = f"{path} in body should have at least {limits.min_properties} properties"
            self.invalid(path, count, detail)

    def object(self, model: type[SchemaModel], value: dict[str, Any], path: str) -> None:
        nodes = model_nodes(model)
        strict = self.complete and model.model_config.get("extra") == "forbid"
        if self.complete:
            for key, node in nodes.items():
                if node.limits.has_default and value.get(key) is None:
                    value[key] = copy.deepcopy(node.limits.default)
            self.properties(_node_limits(model), value, path)
        for key, item in value.items():
            child = join_path(path, key)
            field_node = nodes.get(key)
            if field_node is not None:
                self.value(field_node, item, child)
            elif strict:
                self.add(child, f'unknown field "{child}"')
        if self.complete:  # after the properties, as the API server's object validator does
            for key in getattr(model, "_required", ()):
                if key not in value:
                    self.add(join_path(path, key), "Required value", blocking=True)

    def array(self, node: Node, value: list[Any], path: str) -> None:
        limits = node.limits
        count = len(value)
        if self.complete:
            if limits.max_items is not None and count > limits.max_items:
                message = f"Too many: {count}: must have at most {limits.max_items} items"
                self.add(path, message, blocking=True)
            if limits.min_items is not None and count < limits.min_items:
                detail = f"{path} in body should have at least {limits.min_items} items"
                self.invalid(path, count, detail)
        assert node.item is not None
        for index, item in enumerate(value):
            self.value(node.item, item, f"{path}[{index}]")
        if self.complete:
            self.uniqueness(limits, value, path)

    def uniqueness(self, limits: Limits, value: list[Any], path: str) -> None:
        seen: list[Any] = []
        reported: list[Any] = []
        for index, item in enumerate(value):
            if limits.list_type == "set":
                key: Any = item
            elif limits.list_type == "map" and limits.list_map_keys and isinstance(item, dict):
                key = {k: item[k] for k in limits.list_map_keys if k in item}
            else:
                return
            if key not in seen:
                seen.append(key)
            elif key not in reported:  # the API server names each duplicated value once
                reported.append(key)
                shown = go_map(key) if isinstance(key, dict) else go_value(key)
                self.add(f"{path}[{index}]", f"Duplicate value: {shown}")


def _node_limits(model: type[SchemaModel]) -> Limits:
    limits = getattr(model, "_node_limits", _NO_LIMITS)
    return limits if isinstance(limits, Limits) else _NO_LIMITS


def _format_ok(fmt: str | None, value: str) -> bool:
    if fmt == "date-time":
        return _DATE_TIME.match(value) is not None
    if fmt == "byte":
        try:
            base64.b64decode(value, validate=True)
        except binascii.Error:
            return False
    return True
