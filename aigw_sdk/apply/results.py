"""What apply, delete and prune did, per object, in text and JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from aigw_sdk.models.base import Resource

Action = Literal[
    "created", "configured", "unchanged", "deleted", "not found", "pruned", "failed", "skipped"
]
DryRun = Literal["server", "client"] | None


@dataclass(frozen=True, slots=True)
class ObjectRef:
    """An object's identity on the cluster."""

    api_version: str
    kind: str
    name: str
    namespace: str | None = None

    @classmethod
    def of(cls, resource: Resource) -> ObjectRef:
        """The identity of a resource (its namespace as set on the object)."""
        return cls(resource.api_version, resource.kind, resource.name, resource.namespace)

    def __str__(self) -> str:
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        return f"{self.kind} {where}"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "apiVersion": self.api_version,
            "kind": self.kind,
            "name": self.name,
            "namespace": self.namespace,
        }


@dataclass(frozen=True, slots=True)
class ObjectResult:
    """The outcome for one object; ``message`` explains a failure."""

    ref: ObjectRef
    action: Action
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        out = {**self.ref.to_dict(), "action": self.action}
        if self.message:
            out["message"] = self.message
        return out


@dataclass
class ApplyReport:
    """Per-object results of one operation, in the order the objects were handled."""

    results: list[ObjectResult] = field(default_factory=list)
    dry_run: DryRun = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no object failed or was skipped."""
        return not any(r.action in ("failed", "skipped") for r in self.results)

    @property
    def failed(self) -> list[ObjectResult]:
        """The objects the cluster refused."""
        return [r for r in self.results if r.action == "failed"]

    @property
    def skipped(self) -> list[ObjectResult]:
        """The objects not attempted because an earlier one failed."""
        return [r for r in self.results if r.action == "skipped"]

    def action_of(self, kind: str, name: str) -> Action | None:
        """The action taken for the object of that kind and name (None when absent)."""
        for result in self.results:
            if result.ref.kind == kind and result.ref.name == name:
                return result.action
        return None

    def counts(self) -> dict[str, int]:
        """How many objects got each action."""
        out: dict[str, int] = {}
        for result in self.results:
            out[result.action] = out.get(result.action, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``-o json``)."""
        return {
            "dryRun": self.dry_run,
            "ok": self.ok,
            "results": [r.to_dict() for r in self.results],
            "warnings": list(self.warnings),
        }

    def __str__(self) -> str:
        suffix = f" ({self.dry_run} dry run)" if self.dry_run else ""
        lines = []
        for result in self.results:
            line = f"{result.ref} {result.action}{suffix}"
            if result.message:
                line += f": {result.message}"
            lines.append(line)
        return "\n".join(lines)
