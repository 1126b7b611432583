"""``x-kubernetes-validations`` rules evaluated with the ``cel`` package.

The Kubernetes CEL library's string and URL extensions are registered as custom functions.
Failures are reported the way ``apiextensions-apiserver`` does:
``<path>: Invalid value: "<schema type>": <message>`` and, for runtime errors,
``<error> evaluating rule: <message>``.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlsplit

import cel

from .errors import FieldError, invalid
from .schema import child

JSON = dict[str, Any]


def _lower_ascii(value: str) -> str:
    return "".join(c.lower() if c.isascii() else c for c in value)


def _upper_ascii(value: str) -> str:
    return "".join(c.upper() if c.isascii() else c for c in value)


def _split(value: str, sep: str) -> list[str]:
    return value.split(sep) if sep else list(value)


def _replace(value: str, old: str, new: str) -> str:
    return value.replace(old, new)


def _index_of(value: str, sub: str) -> int:
    return value.find(sub)


def _is_url(value: str) -> bool:
    """Kubernetes ``isURL``: an absolute URI or absolute path (Go ``url.ParseRequestURI``)."""
    if not value or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return bool(parts.scheme) or value.startswith("/")


FUNCTIONS: dict[str, Any] = {
    "lowerAscii": _lower_ascii,
    "upperAscii": _upper_ascii,
    "trim": str.strip,
    "split": _split,
    "replace": _replace,
    "indexOf": _index_of,
    "isURL": _is_url,
}


@cache
def _program(rule: str) -> cel.Program:
    return cel.compile(rule)


def _rule_text(rule: JSON) -> str:
    return str(rule.get("message") or rule["rule"]).strip()


def evaluate_rule(rule: JSON, value: Any) -> str | None:
    """None when ``rule`` holds for ``self = value``, else the failure detail."""
    context = cel.Context(variables={"self": value}, functions=FUNCTIONS)
    try:
        result = _program(rule["rule"]).execute(context)
    except KeyError as exc:
        return f"no such key: {exc.args[0]} evaluating rule: {_rule_text(rule)}"
    except (RuntimeError, TypeError, ValueError) as exc:
        return f"{exc} evaluating rule: {_rule_text(rule)}"
    if result is True:
        return None
    return _rule_text(rule) if rule.get("message") else f"failed rule: {_rule_text(rule)}"


def validate_rules(value: Any, schema: JSON, path: str = "") -> list[FieldError]:
    """Evaluate every rule in ``schema`` at each node of ``value`` that is present."""
    errors: list[FieldError] = []
    _walk(value, schema, path, errors)
    return errors


def _walk(value: Any, schema: JSON, path: str, errors: list[FieldError]) -> None:
    if value is None:
        return
    for rule in schema.get("x-kubernetes-validations") or []:
        detail = evaluate_rule(rule, value)
        if detail is not None:
            errors.append(invalid(path, _schema_type(schema), detail))
    if isinstance(value, dict):
        props: JSON = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if not path and key == "metadata":
                continue
            if key in props:
                _walk(item, props[key], child(path, key), errors)
            elif isinstance(extra, dict):
                _walk(item, extra, f"{path}[{key}]", errors)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            _walk(item, schema["items"], f"{path}[{i}]", errors)


def _schema_type(schema: JSON) -> str:
    if schema.get("x-kubernetes-int-or-string"):
        return "integer-or-string"
    return str(schema.get("type", "object"))
