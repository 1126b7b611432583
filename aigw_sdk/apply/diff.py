"""Readable per-object diffs between the live object and what applying would store.

Server-managed fields (managedFields, resourceVersion, uid, generation, timestamps) and status
are ignored. Secret values are masked on both sides: a changed value shows as changed, never as
its content.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass
from typing import Any

import yaml

from aigw_sdk.apply.results import ObjectRef

JSON = dict[str, Any]
IGNORED_METADATA = (
    "managedFields",
    "resourceVersion",
    "uid",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "selfLink",
)
_MASK = "***"
_SECRET_FIELDS = ("data", "stringData")


def normalize(obj: JSON) -> JSON:
    """A copy without status and the server-managed metadata fields."""
    out = copy.deepcopy(obj)
    out.pop("status", None)
    meta = out.get("metadata")
    if isinstance(meta, dict):
        for key in IGNORED_METADATA:
            meta.pop(key, None)
        annotations = meta.get("annotations")
        if isinstance(annotations, dict):
            annotations.pop("kubectl.kubernetes.io/last-applied-configuration", None)
            if not annotations:
                meta.pop("annotations")
    return out


def mask_secrets(live: JSON | None, after: JSON | None) -> tuple[JSON | None, JSON | None]:
    """Both sides with Secret values replaced by ``***`` (``*** (changed)`` where they differ)."""
    if not any(obj is not None and obj.get("kind") == "Secret" for obj in (live, after)):
        return live, after
    live_out, after_out = copy.deepcopy(live), copy.deepcopy(after)
    for field in _SECRET_FIELDS:
        old = (live or {}).get(field) or {}
        new = (after or {}).get(field) or {}
        if live_out is not None and isinstance(old, dict) and old:
            live_out[field] = {key: _MASK for key in old}
        if after_out is not None and isinstance(new, dict) and new:
            after_out[field] = {
                key: _MASK if live is None or old.get(key) == value else f"{_MASK} (changed)"
                for key, value in new.items()
            }
    return live_out, after_out


def _lines(obj: JSON | None) -> list[str]:
    if obj is None:
        return []
    text = yaml.safe_dump(obj, sort_keys=True, default_flow_style=False, allow_unicode=True)
    return text.splitlines(keepends=True)


@dataclass(frozen=True, slots=True)
class ObjectDiff:
    """What applying would do to one object: ``created``, ``configured`` or ``unchanged``."""

    ref: ObjectRef
    action: str
    diff: str

    def to_dict(self) -> JSON:
        """JSON form."""
        return {**self.ref.to_dict(), "action": self.action, "diff": self.diff}


def object_diff(ref: ObjectRef, live: JSON | None, after: JSON) -> ObjectDiff:
    """The unified diff of ``live`` (None when absent) against ``after``, both normalized."""
    before_n = normalize(live) if live is not None else None
    after_n = normalize(after)
    before_m, after_m = mask_secrets(before_n, after_n)
    label = f"{ref.kind}/{ref.namespace + '/' if ref.namespace else ''}{ref.name}"
    text = "".join(
        difflib.unified_diff(
            _lines(before_m),
            _lines(after_m),
            fromfile=f"live/{label}" if live is not None else "/dev/null",
            tofile=f"applied/{label}",
        )
    )
    action = "created" if live is None else "unchanged" if before_n == after_n else "configured"
    return ObjectDiff(ref, action, text)


@dataclass(frozen=True, slots=True)
class DiffReport:
    """Per-object diffs in apply order."""

    objects: list[ObjectDiff]

    @property
    def changed(self) -> list[ObjectDiff]:
        """Objects that would be created or modified."""
        return [d for d in self.objects if d.action != "unchanged"]

    def to_dict(self) -> JSON:
        """JSON form (``-o json``)."""
        return {"objects": [d.to_dict() for d in self.objects]}

    def __str__(self) -> str:
        if not self.changed:
            return "no changes"
        return "".join(d.diff for d in self.changed)
