"""API errors rendered as Kubernetes ``Status`` bodies, and field errors in apimachinery format."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

_OMIT = object()

_TYPE_TEXT = {
    "FieldValueRequired": "Required value",
    "FieldValueInvalid": "Invalid value",
    "FieldValueTypeInvalid": "Invalid value",
    "FieldValueNotSupported": "Unsupported value",
    "FieldValueTooMany": "Too many",
    "FieldValueTooLong": "Too long",
    "FieldValueDuplicate": "Duplicate value",
    "FieldValueForbidden": "Forbidden",
}


def _go_value(value: Any) -> str:
    """Render a bad value the way apimachinery's ``field.Error`` prints it."""
    if value is None:
        return '"null"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return str(value)


@dataclass(frozen=True)
class FieldError:
    """One ``field.Error``: reason (``FieldValueInvalid`` …), path, bad value and detail."""

    reason: str
    path: str
    value: Any = _OMIT
    detail: str = ""

    def body(self) -> str:
        """The part after ``<path>: `` (apimachinery ``ErrorBody``)."""
        text = _TYPE_TEXT[self.reason]
        if self.value is not _OMIT and self.reason not in (
            "FieldValueRequired",
            "FieldValueTooLong",
        ):
            text = f"{text}: {_go_value(self.value)}"
        if self.detail:
            text = f"{text}: {self.detail}"
        return text

    def __str__(self) -> str:
        return f"{self.path}: {self.body()}" if self.path else self.body()


def required(path: str, detail: str = "") -> FieldError:
    """``Required value``."""
    return FieldError("FieldValueRequired", path, detail=detail)


def invalid(path: str, value: Any, detail: str) -> FieldError:
    """``Invalid value: <value>: <detail>``."""
    return FieldError("FieldValueInvalid", path, value, detail)


def not_supported(path: str, value: Any, supported: list[Any]) -> FieldError:
    """``Unsupported value: <value>: supported values: "A", "B"``."""
    quoted = ", ".join(
        json.dumps(v) if isinstance(v, str) else json.dumps(v, separators=(",", ":"))
        for v in supported
    )
    return FieldError("FieldValueNotSupported", path, value, f"supported values: {quoted}")


def too_many(path: str, actual: int, maximum: int) -> FieldError:
    """``Too many: <n>: must have at most <max> items``."""
    return FieldError("FieldValueTooMany", path, actual, f"must have at most {maximum} items")


def too_long(path: str, maximum: int) -> FieldError:
    """``Too long: may not be more than <n> bytes``."""
    return FieldError("FieldValueTooLong", path, detail=f"may not be more than {maximum} bytes")


def duplicate(path: str, value: Any) -> FieldError:
    """``Duplicate value: <value>``."""
    return FieldError("FieldValueDuplicate", path, value)


@dataclass
class ApiError(Exception):
    """An error answered with a ``Status`` body."""

    code: int
    reason: str
    message: str
    details: JSON = field(default_factory=dict)

    def status(self) -> JSON:
        """The ``Status`` object for the response body."""
        body: JSON = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        }
        if self.details:
            body["details"] = self.details
        return body


def _details(name: str, group: str, kind: str) -> JSON:
    details: JSON = {"group": group, "kind": kind}
    if name:
        details = {"name": name, **details}
    return details


def not_found(group: str, plural: str, name: str) -> ApiError:
    """404 ``<plural>.<group> "<name>" not found``."""
    resource = f"{plural}.{group}" if group else plural
    return ApiError(
        404, "NotFound", f'{resource} "{name}" not found', _details(name, group, plural)
    )


def already_exists(group: str, plural: str, name: str) -> ApiError:
    """409 ``<plural>.<group> "<name>" already exists``."""
    resource = f"{plural}.{group}" if group else plural
    message = f'{resource} "{name}" already exists'
    return ApiError(409, "AlreadyExists", message, _details(name, group, plural))


def conflict(group: str, plural: str, name: str, detail: str) -> ApiError:
    """409 ``Operation cannot be fulfilled on <plural>.<group> "<name>": <detail>``."""
    resource = f"{plural}.{group}" if group else plural
    message = f'Operation cannot be fulfilled on {resource} "{name}": {detail}'
    return ApiError(409, "Conflict", message, _details(name, group, plural))


def bad_request(message: str) -> ApiError:
    """400 ``BadRequest``."""
    return ApiError(400, "BadRequest", message)


def unprocessable(group: str, kind: str, name: str, errors: list[FieldError]) -> ApiError:
    """422 ``<Kind>.<group> "<name>" is invalid: ...`` with one cause per field error."""
    qualified = f"{kind}.{group}" if group else kind
    texts = [str(e) for e in errors]
    joined = texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"
    details = _details(name, group, kind)
    details["causes"] = [{"reason": e.reason, "message": e.body(), "field": e.path} for e in errors]
    return ApiError(422, "Invalid", f'{qualified} "{name}" is invalid: {joined}', details)
