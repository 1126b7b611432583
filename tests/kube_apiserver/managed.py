"""``metadata.managedFields`` bookkeeping for Update and Apply operations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError
from .fieldsets import (
    MISSING,
    FieldSet,
    Path,
    field_set,
    from_fields_v1,
    get_at,
    path_string,
    to_fields_v1,
)

JSON = dict[str, Any]


@dataclass
class Entry:
    """One manager's ownership record."""

    manager: str
    operation: str
    api_version: str
    subresource: str
    time: str
    fields: FieldSet = field(default_factory=set)

    @classmethod
    def parse(cls, raw: JSON) -> Entry:
        """Read a ``managedFields`` item."""
        return cls(
            raw["manager"],
            raw["operation"],
            raw.get("apiVersion", ""),
            raw.get("subresource", ""),
            raw.get("time", ""),
            from_fields_v1(raw.get("fieldsV1") or {}),
        )

    def dump(self) -> JSON:
        """Write a ``managedFields`` item."""
        raw: JSON = {
            "manager": self.manager,
            "operation": self.operation,
            "apiVersion": self.api_version,
            "time": self.time,
            "fieldsType": "FieldsV1",
            "fieldsV1": to_fields_v1(self.fields),
        }
        if self.subresource:
            raw["subresource"] = self.subresource
        return raw

    def same_owner(self, manager: str, operation: str, subresource: str) -> bool:
        """Whether this record belongs to (manager, operation, subresource)."""
        return (self.manager, self.operation, self.subresource) == (manager, operation, subresource)

    def describe(self) -> str:
        """The manager as apiserver conflict messages print it."""
        text = f'"{self.manager}"'
        if self.subresource:
            text += f' with subresource "{self.subresource}"'
        if self.operation == "Update":
            text += f" using {self.api_version} at {self.time}"
        return text


def read_entries(obj: JSON | None) -> list[Entry]:
    """The parsed ``managedFields`` of ``obj``."""
    if not obj:
        return []
    return [Entry.parse(raw) for raw in (obj.get("metadata") or {}).get("managedFields") or []]


def write_entries(obj: JSON, entries: list[Entry]) -> None:
    """Store ``entries`` (dropping empty ones) on ``obj``."""
    kept = [e.dump() for e in entries if e.fields]
    if kept:
        obj["metadata"]["managedFields"] = kept
    else:
        obj["metadata"].pop("managedFields", None)


def _entry(
    entries: list[Entry], manager: str, operation: str, subresource: str, api_version: str, now: str
) -> Entry:
    for entry in entries:
        if entry.same_owner(manager, operation, subresource):
            entry.api_version = api_version
            entry.time = now
            return entry
    created = Entry(manager, operation, api_version, subresource, now)
    entries.append(created)
    return created


def record_update(
    old: JSON | None,
    new: JSON,
    schema: JSON | None,
    manager: str,
    api_version: str,
    subresource: str,
    now: str,
) -> None:
    """Give ``manager`` the fields an Update operation changed; others lose them."""
    entries = read_entries(old)
    status = subresource == "status"
    new_set = field_set(new, schema, status)
    old_set = field_set(old, schema, status) if old else set()
    changed = {p for p in new_set if get_at(old or {}, p) != get_at(new, p)}
    removed = old_set - new_set
    for entry in entries:
        if entry.subresource == subresource:
            entry.fields -= changed | removed
    if changed:
        mine = _entry(entries, manager, "Update", subresource, api_version, now)
        mine.fields |= changed
    write_entries(new, entries)


@dataclass
class ApplyPlan:
    """The outcome of planning an apply: entries to write and paths to remove."""

    entries: list[Entry]
    removed: list[Path]


def plan_apply(
    live: JSON | None,
    config: JSON,
    schema: JSON | None,
    manager: str,
    api_version: str,
    subresource: str,
    force: bool,
    now: str,
) -> ApplyPlan:
    """Check conflicts and work out ownership for a server-side apply by ``manager``."""
    entries = read_entries(live)
    status = subresource == "status"
    applied = field_set(config, schema, status)
    conflicts: list[tuple[Entry, Path]] = []
    for entry in entries:
        if entry.subresource != subresource or entry.same_owner(manager, "Apply", subresource):
            continue
        for path in sorted(applied & entry.fields):
            if get_at(live or {}, path) != get_at(config, path):
                conflicts.append((entry, path))
    if conflicts and not force:
        raise _conflict_error(conflicts)
    for entry, path in conflicts:
        entry.fields.discard(path)
    mine = _entry(entries, manager, "Apply", subresource, api_version, now)
    others: FieldSet = set().union(*(e.fields for e in entries if e is not mine))
    removed = sorted(mine.fields - applied - others, key=len, reverse=True)
    mine.fields = applied
    return ApplyPlan(entries, [p for p in removed if get_at(config, p) is MISSING])


def _conflict_error(conflicts: list[tuple[Entry, Path]]) -> ApiError:
    causes = [
        {
            "reason": "FieldManagerConflict",
            "message": f"conflict with {entry.describe()}",
            "field": path_string(path),
        }
        for entry, path in conflicts
    ]
    if len(conflicts) == 1:
        entry, path = conflicts[0]
        text = (
            f"Apply failed with 1 conflict: conflict with {entry.describe()}: {path_string(path)}"
        )
    else:
        lines: list[str] = []
        by_manager: dict[str, list[Path]] = {}
        for entry, path in conflicts:
            by_manager.setdefault(entry.describe(), []).append(path)
        for described in sorted(by_manager):
            lines.append(f"conflicts with {described}:")
            lines.extend(f"- {path_string(p)}" for p in by_manager[described])
        text = f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)
    return ApiError(409, "Conflict", text, {"causes": causes})
