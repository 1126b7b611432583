"""HTML reprs for notebooks: resources, bundles (with validation status) and issue lists.

Every function returns deterministic HTML with secrets masked; the text form of the same data
is ``repr()`` / ``str()`` of the objects, which stays meaningful in terminals and nbval.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING

import yaml

from aigw_sdk.models.base import Resource
from aigw_sdk.validation.issues import ValidationIssue
from aigw_sdk.widgets.graph import graph_svg
from aigw_sdk.widgets.summary import masked_dict, summarize

if TYPE_CHECKING:
    from aigw_sdk.bundle import Bundle

_TABLE = "border-collapse:collapse;font-size:13px"
_CELL = "padding:2px 8px;text-align:left;vertical-align:top;border-bottom:1px solid #ddd"
_COLORS = {"error": "#b00020", "warning": "#a15c00", "ok": "#1b7f3b"}


def _header(text: str) -> str:
    return f"<th style='{_CELL}'>{escape(text)}</th>"


def html_cell(text: str, *, code: bool = False, color: str | None = None) -> str:
    """One escaped ``<td>``; ``code`` sets it in monospace."""
    inner = f"<code>{escape(text)}</code>" if code else escape(text)
    style = _CELL + (f";color:{color}" if color else "")
    return f"<td style='{style}'>{inner}</td>"


def html_table(headers: Sequence[str], rows: Iterable[str]) -> str:
    """A compact table from header names and ``<tr>`` rows."""
    head = "".join(_header(h) for h in headers)
    body = "".join(rows)
    return f"<table style='{_TABLE}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _where(namespace: str | None, name: str) -> str:
    return f"{namespace}/{name}" if namespace else name


def status_label(issues: Sequence[ValidationIssue]) -> tuple[str, str]:
    """``("2 errors, 1 warning", color)`` or ``("valid", color)`` for one object's issues."""
    errors = sum(1 for i in issues if i.severity == "error")
    warnings = len(issues) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    if not parts:
        return "valid", _COLORS["ok"]
    return ", ".join(parts), _COLORS["error" if errors else "warning"]


def resource_html(resource: Resource) -> str:
    """A header line and the wire form as YAML (Secret values masked)."""
    text = yaml.safe_dump(masked_dict(resource), sort_keys=False, default_flow_style=False)
    title = f"{resource.kind} {_where(resource.namespace, resource.name)}"
    summary = summarize(resource)
    sub = f" <span style='color:#555'>{escape(summary)}</span>" if summary else ""
    return f"<div><b>{escape(title)}</b>{sub}<pre style='margin:4px 0'>{escape(text)}</pre></div>"


def issues_html(issues: Sequence[ValidationIssue]) -> str:
    """A table of issues: severity, object, field path, message."""
    if not issues:
        return f"<span style='color:{_COLORS['ok']}'>&#10003; no validation issues</span>"
    rows = [
        "<tr>"
        + html_cell(i.severity, color=_COLORS.get(i.severity))
        + html_cell(f"{i.kind} {_where(i.namespace, i.name)}".strip())
        + html_cell(i.path, code=True)
        + html_cell(i.message)
        + "</tr>"
        for i in issues
    ]
    return html_table(("severity", "object", "field", "message"), rows)


def bundle_html(bundle: Bundle) -> str:
    """The bundle's reference graph (problems marked on the nodes), then its objects with a
    one-line summary and validation status each."""
    issues = bundle.validate()
    rows = []
    for resource in bundle:
        own = [
            i
            for i in issues
            if (i.kind, i.name, i.namespace or "")
            == (resource.kind, resource.name, resource.namespace or "")
        ]
        label, color = status_label(own)
        rows.append(
            "<tr>"
            + html_cell(resource.kind)
            + html_cell(_where(resource.namespace, resource.name), code=True)
            + html_cell(summarize(resource))
            + html_cell(label, color=color)
            + "</tr>"
        )
    label, color = status_label(issues)
    title = (
        f"<b>Bundle</b> &middot; {len(bundle)} object{'s' if len(bundle) != 1 else ''} "
        f"&middot; <span style='color:{color}'>{escape(label)}</span>"
    )
    table = html_table(("kind", "name", "summary", "status"), rows)
    details = f"<details><summary>issues</summary>{issues_html(issues)}</details>" if issues else ""
    graph = graph_svg(list(bundle), issues)
    drawing = f"<div style='margin:6px 0;overflow-x:auto'>{graph}</div>" if graph else ""
    return f"<div>{title}{drawing}{table}{details}</div>"


class IssueList(list[ValidationIssue]):
    """A list of issues that renders as a table in notebooks and one line per issue as text."""

    def __repr__(self) -> str:
        if not self:
            return "no validation issues"
        errors = sum(1 for i in self if i.severity == "error")
        head = f"{len(self)} issue(s), {errors} error(s):"
        return "\n".join([head, *(f"  {issue}" for issue in self)])

    def _repr_html_(self) -> str:
        return issues_html(self)
