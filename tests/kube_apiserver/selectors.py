"""Label selectors (``=``, ``==``, ``!=``, ``in``, ``notin``, exists, ``!key``); field selectors."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .errors import bad_request

JSON = dict[str, Any]
Matcher = Callable[[JSON], bool]

_SET_EXPR = re.compile(r"^\s*(\S+)\s+(in|notin)\s+\(([^)]*)\)\s*$")


def _split_terms(selector: str) -> list[str]:
    """Split on commas that are not inside ``( … )``."""
    terms, depth, current = [], 0, ""
    for char in selector:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            terms.append(current)
            current = ""
        else:
            current += char
    terms.append(current)
    return [t.strip() for t in terms if t.strip()]


def _term(term: str) -> Callable[[dict[str, str]], bool]:
    match = _SET_EXPR.match(term)
    if match:
        key, op, raw = match.groups()
        values = {v.strip() for v in raw.split(",") if v.strip()}
        if op == "in":
            return lambda labels: labels.get(key) in values
        return lambda labels: key not in labels or labels[key] not in values
    for op in ("!=", "==", "="):
        if op in term:
            key, _, value = (p.strip() for p in term.partition(op))
            if not key:
                break
            if op == "!=":
                return lambda labels: labels.get(key) != value
            return lambda labels: key in labels and labels[key] == value
    if term.startswith("!"):
        key = term[1:].strip()
        return lambda labels: key not in labels
    if re.fullmatch(r"[A-Za-z0-9._/-]+", term):
        return lambda labels: term in labels
    raise bad_request(f"unable to parse requirement: {term!r}")


def label_matcher(selector: str | None) -> Matcher:
    """A predicate over objects for a ``labelSelector`` query value."""
    terms = [_term(t) for t in _split_terms(selector or "")]

    def matches(obj: JSON) -> bool:
        labels = (obj.get("metadata") or {}).get("labels") or {}
        return all(t(labels) for t in terms)

    return matches


_FIELDS: dict[str, Callable[[JSON], str]] = {
    "metadata.name": lambda o: str(o["metadata"].get("name", "")),
    "metadata.namespace": lambda o: str(o["metadata"].get("namespace", "")),
}


def field_matcher(selector: str | None) -> Matcher:
    """A predicate for a ``fieldSelector`` (``metadata.name`` / ``metadata.namespace``)."""
    checks: list[Matcher] = []
    for term in _split_terms(selector or ""):
        parts = re.split(r"(!=|==|=)", term, maxsplit=1)
        if len(parts) != 3:
            raise bad_request(f"invalid selector: {term!r}; can't understand {term!r}")
        key, negate, value = parts[0].strip(), parts[1] == "!=", parts[2].strip()
        getter = _FIELDS.get(key)
        if getter is None:
            raise bad_request(
                f'"{key}" is not a known field selector: only "metadata.name", "metadata.namespace"'
            )
        checks.append(_field_check(getter, value, negate))
    return lambda obj: all(c(obj) for c in checks)


def _field_check(getter: Callable[[JSON], str], value: str, negate: bool) -> Matcher:
    if negate:
        return lambda obj: getter(obj) != value
    return lambda obj: getter(obj) == value
