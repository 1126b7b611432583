"""Exceptions raised by the SDK."""

from __future__ import annotations

import sys
import warnings
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


_INTERNAL_MODULES = ("aigw_sdk", "gateway", "pydantic", "pydantic_core")


def warn_deprecated(message: str) -> None:
    """Emit an :class:`APIDeprecationWarning` attributed to the first line outside the SDK (and
    pydantic), so ``python -W`` and pytest show the caller's line, not the SDK's."""
    frame = sys._getframe(1)
    level = 2
    while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith(
        _INTERNAL_MODULES
    ):
        frame = frame.f_back
        level += 1
    warnings.warn(message, APIDeprecationWarning, stacklevel=level)
