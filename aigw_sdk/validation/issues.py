"""ValidationIssue: one problem found in a bundle."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    """One problem, located like the API server locates it.

    ``path`` is the field path (``spec.rules[0].backendRefs``), ``message`` the API server's detail
    (``Invalid value: "array": rule name must be unique within the route``).
    """

    severity: Severity
    kind: str
    name: str
    namespace: str | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        location = f"{self.path}: " if self.path else ""
        return f"{self.severity}: {self.kind} {where!r}: {location}{self.message}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used by ``aigw-sdk validate -o json``."""
        return asdict(self)
