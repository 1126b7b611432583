"""The validation conformance corpus: upstream's crdcel cases plus generated limit breakers.

For each of the three AI Gateway kinds, the v1beta1 OpenAPI schema of the pinned upstream CRD is
walked; every limit (maxLength, minLength, maxItems, minItems, maxProperties, maximum, minimum,
enum, pattern, format, each required property) gets one object that breaks it, built from the
kind's valid ``basic.yaml`` case with the path filled in minimally. Every CEL rule
(``x-kubernetes-validations``) gets a few candidate objects at its node (the minimal object, and
the minimal object with one optional property set): which rules they break is reported by the
API server, so a candidate that breaks nothing is still a case (both sides must accept it).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from aigw_sdk import presets
from aigw_sdk.models.registry import class_for
from tests.support.model_crds import resource_schema
from tests.support.upstream import UpstreamUnavailable, as_go_struct, celtest_cases, upstream

JSON = dict[str, Any]
KINDS = {
    "AIGatewayRoute": "aigatewayroutes",
    "AIServiceBackend": "aiservicebackends",
    "BackendSecurityPolicy": "backendsecuritypolicies",
}
CELTEST_SUITES = ("TestAIGatewayRoutes", "TestAIServiceBackends", "TestBackendSecurityPolicies")
CEL_CANDIDATES = 6  # objects tried per CEL rule node
_PATTERN_BREAKERS = ("!", "not a valid value!", "-", "A B", "..", "1", "a" * 300)
_ABSENT = object()


@dataclass(frozen=True)
class Case:
    """One object to send to both validators."""

    id: str
    kind: str
    obj: JSON
    breaks: str  # what the case means to break ("" for a case expected valid)
    expected_substring: str | None = None  # upstream's expectation, for crdcel cases


def kind_schema(kind: str) -> JSON:
    """The v1beta1 openAPIV3Schema of ``kind``: the pinned upstream CRD's, else the models'."""
    try:
        path = upstream().crds / f"aigateway.envoyproxy.io_{KINDS[kind]}.yaml"
    except UpstreamUnavailable:
        cls = class_for("aigateway.envoyproxy.io/v1beta1", kind)
        assert cls is not None
        return resource_schema(cls)
    crd = yaml.safe_load(path.read_text())
    (version,) = [v for v in crd["spec"]["versions"] if v["name"] == "v1beta1"]
    return dict(version["schema"]["openAPIV3Schema"])


def base_object(kind: str) -> JSON:
    """The kind's valid ``basic.yaml`` case from upstream's crdcel suite, else the seed preset's."""
    try:
        path = upstream().celtests / KINDS[kind] / "basic.yaml"
    except UpstreamUnavailable:
        seed = presets.anthropic(api_key="sk-conformance")
        (obj,) = [r.to_dict() for r in seed if r.kind == kind]
        return obj
    return dict(yaml.safe_load(path.read_text()))


def minimal(schema: JSON) -> Any:
    """A small value of ``schema``: required properties only, minimum counts and lengths."""
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("x-kubernetes-int-or-string"):
        return 1
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties") or {}
        return {p: minimal(props.get(p, {})) for p in schema.get("required", [])}
    if kind == "array":
        return [minimal(schema.get("items") or {}) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        return _string(schema)
    if kind in ("integer", "number"):
        low = schema.get("minimum", 1)
        return max(int(low), 1) if schema.get("maximum", 2) >= 1 else int(low)
    if kind == "boolean":
        return False
    return {}


def _string(schema: JSON) -> str:
    fmt = schema.get("format")
    if fmt == "date-time":
        return "2025-01-01T00:00:00Z"
    if fmt == "duration":
        return "1s"
    if fmt == "uri":
        return "https://example.com"
    if fmt == "hostname":
        return "example.com"
    value = "a" * max(schema.get("minLength", 1), 1)
    pattern = schema.get("pattern")
    if pattern and not re.search(pattern, value):
        for candidate in ("example.com", "a1", "1", "https://example.com", "x-y", "A", "1s"):
            if re.search(pattern, candidate):
                return candidate
    return value


def _walk(
    schema: JSON, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], JSON]]:
    yield path, schema
    for name, sub in (schema.get("properties") or {}).items():
        yield from _walk(sub, (*path, name))
    if isinstance(schema.get("items"), dict):
        yield from _walk(schema["items"], (*path, 0))


def _schema_at(root: JSON, path: tuple[str | int, ...]) -> JSON:
    node = root
    for part in path:
        node = node["items"] if isinstance(part, int) else node["properties"][part]
    return node


def _with(obj: JSON, root: JSON, path: tuple[str | int, ...], value: Any) -> JSON:
    """A copy of ``obj`` with ``value`` at ``path`` (``_ABSENT`` removes it), parents filled in."""
    result = copy.deepcopy(obj)
    node: Any = result
    for depth, part in enumerate(path[:-1]):
        child_schema = _schema_at(root, path[: depth + 1])
        if isinstance(part, int):
            if not node:
                node.append(minimal(child_schema))
        elif not isinstance(node.get(part), dict | list):
            node[part] = minimal(child_schema)
        node = node[part]
    last = path[-1]
    if value is _ABSENT:
        if isinstance(node, dict):
            node.pop(last, None)
    elif isinstance(last, int):
        if node:
            node[0] = value
        else:
            node.append(value)
    else:
        node[last] = value
    return result


def _breakers(schema: JSON) -> Iterator[tuple[str, Any]]:
    """(what, value) pairs, each breaking one limit of a node."""
    if "maxLength" in schema:
        yield "maxLength", "a" * (schema["maxLength"] + 1)
    if schema.get("minLength", 0) >= 1:
        yield "minLength", "a" * (schema["minLength"] - 1)
    if "maxItems" in schema:
        yield "maxItems", [minimal(schema.get("items") or {})] * (schema["maxItems"] + 1)
    if schema.get("minItems", 0) >= 1:
        yield "minItems", []
    if "maxProperties" in schema:
        yield "maxProperties", {f"k{i}": "v" for i in range(schema["maxProperties"] + 1)}
    if "maximum" in schema:
        yield "maximum", int(schema["maximum"]) + 1
    if "minimum" in schema:
        yield "minimum", int(schema["minimum"]) - 1
    if "enum" in schema and schema.get("type") == "string":
        yield "enum", "NotAnEnumValue"
    if "pattern" in schema:
        pattern = schema["pattern"]
        for candidate in _PATTERN_BREAKERS:
            if not re.search(pattern, candidate):
                yield "pattern", candidate
                break
    if schema.get("format") and schema.get("type") == "string":
        yield f"format {schema['format']}", "not a valid value"


def generated_cases(kind: str) -> list[Case]:
    """Cases breaking each limit and probing each CEL rule of ``kind`` once."""
    root = kind_schema(kind)
    base = base_object(kind)
    cases: list[Case] = []
    for path, node in _walk(root):
        if not path or path[0] != "spec":
            continue
        where = ".".join(f"[{p}]" if isinstance(p, int) else p for p in path).replace(".[", "[")
        for what, value in _breakers(node):
            cases.append(Case(f"{kind}:{where}:{what}", kind, _with(base, root, path, value), what))
        if node.get("type") == "object":
            for prop in node.get("required", []):
                obj = _with(base, root, (*path, prop), _ABSENT)
                cases.append(Case(f"{kind}:{where}.{prop}:required", kind, obj, "required"))
        for index, candidate in enumerate(_cel_candidates(node)):
            obj = _with(base, root, path, candidate)
            cases.append(Case(f"{kind}:{where}:cel#{index}", kind, obj, "CEL"))
    return _dedupe(cases)


def _cel_candidates(node: JSON) -> list[Any]:
    if not node.get("x-kubernetes-validations") or node.get("type") != "object":
        return []
    props = node.get("properties") or {}
    small = minimal(node)
    candidates = [small]
    for name, sub in props.items():
        if name not in small:
            candidates.append({**small, name: minimal(sub)})
    full = {**small, **{n: minimal(s) for n, s in props.items() if n not in small}}
    candidates.append(full)
    return [*candidates[: CEL_CANDIDATES - 1], full]


def _dedupe(cases: list[Case]) -> list[Case]:
    seen: set[str] = set()
    unique = []
    for case in cases:
        key = yaml.safe_dump(case.obj, sort_keys=True)
        if key not in seen:
            seen.add(key)
            unique.append(case)
    return unique


def celtest_corpus() -> list[Case]:
    """Every upstream crdcel case of the three kinds, as upstream's driver sends it."""
    cases = []
    for case in celtest_cases():
        if case.test in CELTEST_SUITES:
            obj = as_go_struct(yaml.safe_load(case.path.read_text()))
            cases.append(Case(f"crdcel:{case.file}", obj["kind"], obj, "", case.expected_error))
    return cases


def corpus() -> list[Case]:
    """The whole conformance corpus: crdcel cases first (when upstream is at hand), then the
    generated ones (from the models' schemas when it is not)."""
    try:
        cases = celtest_corpus()
    except UpstreamUnavailable:
        cases = []
    return cases + [c for kind in KINDS for c in generated_cases(kind)]
