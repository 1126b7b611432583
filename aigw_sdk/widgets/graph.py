"""The reference graph of a bundle as a small inline SVG: Gateway → AIGatewayRoute →
AIServiceBackend → Backend, BackendSecurityPolicy → Secret, BackendTLSPolicy → Backend (and
traffic policies), with validation problems and missing references marked on the nodes.

Pure Python and deterministic (notebooks compare their HTML outputs); names only, never a
Secret value.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from aigw_sdk.models.base import Resource
from aigw_sdk.validation.issues import ValidationIssue
from aigw_sdk.widgets.summary import masked_dict

COLUMNS: dict[str, int] = {
    "Gateway": 0,
    "BackendTrafficPolicy": 0,
    "AIGatewayRoute": 1,
    "HTTPRoute": 1,
    "AIServiceBackend": 2,
    "BackendSecurityPolicy": 2,
    "Backend": 3,
    "Secret": 3,
    "BackendTLSPolicy": 4,
}
EXTERNAL = {"Gateway"}  # usually deployed on its own: referenced but absent is not a problem
NODE_W, NODE_H, COL_W, ROW_H, PAD = 168, 40, 196, 54, 16
_RED, _AMBER, _GREEN = "#c62828", "#b26a00", "#1b7f3b"
Key = tuple[str, str]  # kind, name


@dataclass
class Node:
    kind: str
    name: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing: bool = False


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _secret_refs(value: Any) -> Iterator[str]:
    """Names of every ``secretRef`` anywhere under ``value``."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "secretRef" and isinstance(item, dict) and item.get("name"):
                yield str(item["name"])
            else:
                yield from _secret_refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _secret_refs(item)


def references(resource: Resource) -> list[tuple[Key, Key]]:
    """The edges one object draws, as (from, to) in the direction of the arrows."""
    data = masked_dict(resource)
    found = data.get("spec")
    spec: dict[str, Any] = found if isinstance(found, dict) else {}
    me: Key = (resource.kind, resource.name)
    edges: list[tuple[Key, Key]] = []
    if resource.kind in ("AIGatewayRoute", "HTTPRoute"):
        for parent in _dicts(spec.get("parentRefs")):
            edges.append(((str(parent.get("kind", "Gateway")), str(parent.get("name"))), me))
        for rule in _dicts(spec.get("rules")):
            for ref in _dicts(rule.get("backendRefs")):
                kind = "AIServiceBackend" if resource.kind == "AIGatewayRoute" else "Backend"
                edges.append((me, (str(ref.get("kind", kind)), str(ref.get("name")))))
    elif resource.kind == "AIServiceBackend":
        backend = spec.get("backendRef")
        if isinstance(backend, dict) and backend.get("name"):
            edges.append((me, (str(backend.get("kind", "Backend")), str(backend["name"]))))
    elif resource.kind in ("BackendSecurityPolicy", "BackendTLSPolicy", "BackendTrafficPolicy"):
        targets = _dicts(spec.get("targetRefs"))
        if isinstance(spec.get("targetRef"), dict):
            targets.append(spec["targetRef"])
        for target in targets:
            edges.append((me, (str(target.get("kind", "?")), str(target.get("name")))))
        edges += [(me, ("Secret", name)) for name in _secret_refs(spec)]
    return [(a, b) for a, b in edges if a[1] != "None" and b[1] != "None"]


def _nodes(resources: Sequence[Resource], issues: Sequence[ValidationIssue]) -> dict[Key, Node]:
    nodes = {(r.kind, r.name): Node(r.kind, r.name) for r in resources if r.kind in COLUMNS}
    for issue in issues:
        node = nodes.get((issue.kind, issue.name))
        if node is not None:
            text = f"{issue.path}: {issue.message}" if issue.path else issue.message
            (node.errors if issue.severity == "error" else node.warnings).append(text)
    return nodes


def _label(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def graph_svg(resources: Sequence[Resource], issues: Sequence[ValidationIssue]) -> str:
    """The SVG (empty string when the bundle has nothing to draw)."""
    nodes = _nodes(resources, issues)
    edges: list[tuple[Key, Key]] = []
    for resource in resources:
        if (resource.kind, resource.name) not in nodes:
            continue
        for source, target in references(resource):
            for end in (source, target):
                if end not in nodes and end[0] in COLUMNS:
                    nodes[end] = Node(end[0], end[1], missing=True)
            if source in nodes and target in nodes:
                edges.append((source, target))
    if not nodes:
        return ""
    rows: dict[int, int] = {}
    where: dict[Key, tuple[float, float]] = {}
    for key in sorted(nodes, key=lambda k: (COLUMNS[k[0]], k[0], k[1])):
        column = COLUMNS[key[0]]
        row = rows.get(column, 0)
        rows[column] = row + 1
        where[key] = (PAD + column * COL_W, PAD + row * ROW_H)
    width = PAD * 2 + (max(COLUMNS[k[0]] for k in nodes) + 1) * COL_W - (COL_W - NODE_W)
    height = PAD * 2 + max(rows.values()) * ROW_H - (ROW_H - NODE_H)
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='aigw-graph' width='{width}' "
        f"height='{height}' viewBox='0 0 {width} {height}' role='img' "
        "aria-label='reference graph' style='font-family:sans-serif;font-size:11px'>",
        "<defs><marker id='aigw-arrow' viewBox='0 0 8 8' refX='8' refY='4' markerWidth='7' "
        "markerHeight='7' orient='auto'><path d='M0,0 L8,4 L0,8 z' fill='#8c959f'/>"
        "</marker></defs>",
    ]
    for source, target in sorted(set(edges)):
        broken = nodes[target].missing and target[0] not in EXTERNAL
        parts.append(_draw_edge(where[source], where[target], broken))
    for key, node in nodes.items():
        parts.append(_draw_node(node, *where[key]))
    parts.append("</svg>")
    return "".join(parts)


def _draw_edge(a: tuple[float, float], b: tuple[float, float], broken: bool) -> str:
    forward = b[0] >= a[0]
    x1 = a[0] + (NODE_W if forward else 0)
    x2 = b[0] + (0 if forward else NODE_W)
    y1, y2 = a[1] + NODE_H / 2, b[1] + NODE_H / 2
    if a[0] == b[0]:  # same column (a policy under its target): a hook on the left
        x1 = x2 = a[0]
        bend = x1 - 14
        path = f"M{x1},{y1} C{bend},{y1} {bend},{y2} {x2},{y2}"
    else:
        mid = (x1 + x2) / 2
        path = f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"
    color = _RED if broken else "#8c959f"
    dash = " stroke-dasharray='4 3'" if broken else ""
    return (
        f"<path d='{path}' fill='none' stroke='{color}' stroke-width='1.3'{dash} "
        "marker-end='url(#aigw-arrow)'/>"
    )


def _draw_node(node: Node, x: float, y: float) -> str:
    if node.missing and node.kind in EXTERNAL:
        stroke, fill, note = "#8c959f", "#ffffff", "not in bundle"
    elif node.missing:
        stroke, fill, note = _RED, "#fdecea", "missing"
    elif node.errors:
        stroke, fill = _RED, "#fdecea"
        note = f"{len(node.errors)} error{'s' if len(node.errors) != 1 else ''}"
    elif node.warnings:
        stroke, fill = _AMBER, "#fff4e0"
        note = f"{len(node.warnings)} warning{'s' if len(node.warnings) != 1 else ''}"
    else:
        stroke, fill, note = "#8c959f", "#f6f8fa", ""
    problems = node.errors + node.warnings
    tip = f"{node.kind} {node.name}" + "".join(f"\n{p}" for p in problems)
    if node.missing:
        tip += "\nreferenced, not in the bundle" + ("" if node.kind in EXTERNAL else ": missing")
    dash = " stroke-dasharray='4 3'" if node.missing else ""
    badge = (
        f"<text x='{x + NODE_W - 6}' y='{y + 13}' text-anchor='end' fill='{stroke}' "
        f"font-weight='bold' font-size='10px'>{escape(note)}</text>"
        if note
        else ""
    )
    return (
        f"<g class='aigw-node' data-kind='{escape(node.kind)}' data-name='{escape(node.name)}'>"
        f"<title>{escape(tip)}</title>"
        f"<rect x='{x}' y='{y}' width='{NODE_W}' height='{NODE_H}' rx='6' fill='{fill}' "
        f"stroke='{stroke}' stroke-width='{2 if note else 1}'{dash}/>"
        f"<text x='{x + 7}' y='{y + 14}' fill='#57606a' font-size='10px'>"
        f"{escape(_label(node.kind, 22))}</text>{badge}"
        f"<text x='{x + 7}' y='{y + 31}' fill='#1f2328' font-weight='600'>"
        f"{escape(_label(node.name, 27))}</text></g>"
    )
