"""``view(obj)``: show a resource, bundle or issue list richly in a notebook."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from aigw_sdk.models.base import Resource
from aigw_sdk.validation.issues import ValidationIssue
from aigw_sdk.widgets.reprs import IssueList, bundle_html, issues_html, resource_html
from aigw_sdk.widgets.summary import summarize

if TYPE_CHECKING:
    from aigw_sdk.bundle import Bundle


class View:
    """A display wrapper: HTML for notebooks, a secret-free one-line-per-item text otherwise."""

    def __init__(self, html: str, text: str) -> None:
        self._html = html
        self._text = text

    def __repr__(self) -> str:
        return self._text

    def _repr_html_(self) -> str:
        return self._html


def view(obj: Resource | Bundle | Sequence[ValidationIssue]) -> View:
    """The rich view of a resource, a bundle or a list of validation issues."""
    from aigw_sdk.bundle import Bundle

    if isinstance(obj, Resource):
        summary = summarize(obj)
        where = f"{obj.namespace}/{obj.name}" if obj.namespace else obj.name
        return View(resource_html(obj), f"{obj.kind} {where}" + (f": {summary}" if summary else ""))
    if isinstance(obj, Bundle):
        lines = [f"{r.kind} {r.name}: {summarize(r)}".rstrip(": ") for r in obj]
        issues = IssueList(obj.validate())
        return View(bundle_html(obj), "\n".join([*lines, repr(issues)]))
    issues = IssueList(obj)
    return View(issues_html(issues), repr(issues))
