"""Exceptions raised by the SDK."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aigw_sdk.validation.issues import ValidationIssue


class AIGWError(Exception):
    """Base class of every error the SDK raises."""


class BundleLoadError(AIGWError):
    """A file or text could not be read or parsed; the message names the file and line or field."""


class BundleInvalidError(AIGWError):
    """A bundle has validation errors; ``issues`` lists all of them."""

    def __init__(self, issues: Sequence[ValidationIssue], what: str = "bundle") -> None:
        self.issues = list(issues)
        errors = [i for i in self.issues if i.severity == "error"]
        lines = "\n".join(f"  {issue}" for issue in errors)
        super().__init__(f"{what} has {len(errors)} error(s):\n{lines}")


class APIDeprecationWarning(UserWarning):
    """The object uses an API version that the API server marks deprecated."""
