"""A validation run over files, as ``aigw-sdk validate`` reports it: every issue with the file and
document it comes from, a summary, and text, JSON or GitHub Actions annotations."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aigw_sdk.bundle import Bundle
from aigw_sdk.models import Resource, parse_resource
from aigw_sdk.serialization.yaml import parse_documents, substitute_env
from aigw_sdk.validation.issues import ValidationIssue

__all__ = ["LocatedIssue", "Origin", "ValidationReport", "load_located"]

_Key = tuple[str, str | None, str]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an object was read: its file (`<stdin>` for stdin) and its 1-based index among the
    objects of that file (empty documents are not counted, List items count one each)."""

    file: str
    document: int

    def __str__(self) -> str:
        return f"{self.file} (document {self.document})"


@dataclass(frozen=True, slots=True)
class LocatedIssue:
    """A validation issue and the origin of the object it is about (None for bundle-wide ones)."""

    issue: ValidationIssue
    origin: Origin | None

    def to_dict(self) -> dict[str, Any]:
        """JSON form: the issue's fields plus ``file`` and ``document``."""
        return {
            **self.issue.to_dict(),
            "file": self.origin.file if self.origin else None,
            "document": self.origin.document if self.origin else None,
        }

    def __str__(self) -> str:
        return f"{self.origin}: {self.issue}" if self.origin else str(self.issue)

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the file with this issue."""
        issue = self.issue
        where = f"{issue.namespace}/{issue.name}" if issue.namespace else issue.name
        props = []
        if self.origin is not None and self.origin.file != "<stdin>":
            props.append(f"file={_escape_property(self.origin.file)}")
        title = f"{issue.kind} {where}" + (
            f" (document {self.origin.document})" if self.origin else ""
        )
        props.append(f"title={_escape_property(title)}")
        location = f"{issue.path}: " if issue.path else ""
        return f"::{issue.severity} {','.join(props)}::{_escape_data(location + issue.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def load_located(
    texts: Iterable[tuple[str, str]], *, expand_env: bool = False
) -> tuple[Bundle, dict[_Key, Origin]]:
    """Parse `(text, file name)` pairs into one bundle, remembering where each object came from
    (a later object with the same identity replaces an earlier one, as in the bundle)."""
    bundle = Bundle()
    origins: dict[_Key, Origin] = {}
    for text, name in texts:
        expanded = substitute_env(text) if expand_env else text
        for index, doc in enumerate(parse_documents(expanded, source=name), start=1):
            resource = parse_resource(doc)
            bundle.add(resource)
            origins[_key(resource)] = Origin(name, index)
    return bundle, origins


def _key(resource: Resource) -> _Key:
    return (resource.kind, resource.namespace, resource.name)


@dataclass(frozen=True)
class ValidationReport:
    """The issues of one validation run over `files` files holding `objects` objects."""

    issues: list[LocatedIssue]
    objects: int
    files: int

    @classmethod
    def of(cls, bundle: Bundle, origins: dict[_Key, Origin], files: int) -> ValidationReport:
        """Validate `bundle` and locate each issue."""
        located = [
            LocatedIssue(issue, origins.get((issue.kind, issue.namespace, issue.name)))
            for issue in bundle.validate()
        ]
        return cls(located, len(bundle), files)

    @property
    def errors(self) -> int:
        """How many issues are errors."""
        return sum(item.issue.severity == "error" for item in self.issues)

    @property
    def warnings(self) -> int:
        """How many issues are warnings."""
        return len(self.issues) - self.errors

    def summary(self) -> dict[str, int]:
        """Counts of files, objects, errors and warnings."""
        return {
            "files": self.files,
            "objects": self.objects,
            "errors": self.errors,
            "warnings": self.warnings,
        }

    def summary_line(self) -> str:
        """``3 object(s) in 1 file(s), 0 error(s), 1 warning(s)``."""
        return (
            f"{self.objects} object(s) in {self.files} file(s), "
            f"{self.errors} error(s), {self.warnings} warning(s)"
        )

    def to_json(self, *, valid: bool) -> str:
        """``{"valid": ..., "summary": {...}, "issues": [...]}``."""
        return json.dumps(
            {
                "valid": valid,
                "summary": self.summary(),
                "issues": [item.to_dict() for item in self.issues],
            },
            indent=2,
        )
