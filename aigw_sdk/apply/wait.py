"""Waiting for AI Gateway objects to report a condition, like ``kubectl wait``.

Each kind is listed once and then watched from that resourceVersion (``timeoutSeconds`` bounds
every watch), so no change between the list and the watch is missed.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aigw_sdk.apply.discovery import ResourceInfo
from aigw_sdk.apply.errors import APIError, WaitTimeoutError
from aigw_sdk.apply.results import ObjectRef
from aigw_sdk.apply.transport import Transport

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ObjectCondition:
    """An object's state for a wait or ``status``: whether it exists and meets the condition.

    ``reported`` is the latest condition type the controller set (``Accepted``,
    ``NotAccepted`` …) and ``message`` its message.
    """

    ref: ObjectRef
    exists: bool
    ready: bool
    reported: str | None = None
    message: str = ""

    def to_dict(self) -> JSON:
        """JSON form."""
        return {
            **self.ref.to_dict(),
            "exists": self.exists,
            "ready": self.ready,
            "condition": self.reported,
            "message": self.message,
        }

    def __str__(self) -> str:
        if not self.exists:
            return f"{self.ref}: not found"
        state = self.reported or "no condition yet"
        return f"{self.ref}: {state}{f' ({self.message})' if self.message else ''}"


@dataclass(frozen=True, slots=True)
class WaitEvent:
    """One progress step: ``condition`` is the object's new state; ``done`` of ``total`` ready."""

    condition: ObjectCondition
    done: int
    total: int


ProgressCallback = Callable[[WaitEvent], None]


@dataclass(frozen=True, slots=True)
class Target:
    """One object to wait for."""

    ref: ObjectRef
    info: ResourceInfo


def evaluate(ref: ObjectRef, obj: JSON | None, condition: str) -> ObjectCondition:
    """The object's state: ready when ``condition`` is True for its current generation."""
    if obj is None:
        return ObjectCondition(ref, exists=False, ready=False)
    conditions = [
        c for c in (obj.get("status") or {}).get("conditions") or [] if isinstance(c, dict)
    ]
    generation = (obj.get("metadata") or {}).get("generation")
    ready = False
    for cond in conditions:
        observed = cond.get("observedGeneration")
        current = observed is None or generation is None or observed >= generation
        if cond.get("type") == condition and cond.get("status") == "True" and current:
            ready = True
    latest = conditions[-1] if conditions else {}
    reported = latest.get("type")
    return ObjectCondition(
        ref,
        exists=True,
        ready=ready,
        reported=str(reported) if reported else None,
        message=str(latest.get("message") or ""),
    )


class TqdmProgress:
    """A terminal progress bar (tqdm on stderr) fed by :class:`WaitEvent`s."""

    def __init__(self, total: int, condition: str) -> None:
        from tqdm import tqdm  # type: ignore[import-untyped]

        self._bar = tqdm(total=total, desc=f"waiting for {condition}", unit="obj", file=sys.stderr)

    def __call__(self, event: WaitEvent) -> None:
        self._bar.n = event.done
        self._bar.set_postfix_str(str(event.condition), refresh=False)
        self._bar.refresh()

    def close(self) -> None:
        """Finish the bar."""
        self._bar.close()


def wait_for(
    transport: Transport,
    targets: list[Target],
    condition: str,
    timeout: float,
    on_progress: ProgressCallback | None = None,
) -> list[ObjectCondition]:
    """Block until every target reports ``condition``; raise :class:`WaitTimeoutError` otherwise."""
    deadline = time.monotonic() + timeout
    states: dict[ObjectRef, ObjectCondition] = {
        t.ref: ObjectCondition(t.ref, exists=False, ready=False) for t in targets
    }

    def update(ref: ObjectRef, obj: JSON | None) -> None:
        state = evaluate(ref, obj, condition)
        if state != states[ref]:
            states[ref] = state
            if on_progress is not None:
                done = sum(s.ready for s in states.values())
                on_progress(WaitEvent(state, done, len(states)))

    groups: dict[tuple[ResourceInfo, str | None], list[Target]] = {}
    for target in targets:
        groups.setdefault((target.info, target.ref.namespace), []).append(target)
    for (info, namespace), members in groups.items():
        by_name = {t.ref.name: t.ref for t in members}
        path = info.collection_path(namespace)
        while not all(states[ref].ready for ref in by_name.values()):
            listing = transport.request("GET", path)
            live = {str(o["metadata"]["name"]): o for o in listing.get("items", [])}
            for name, ref in by_name.items():
                update(ref, live.get(name))
            version = str((listing.get("metadata") or {}).get("resourceVersion") or "")
            if all(states[ref].ready for ref in by_name.values()):
                break
            _watch(transport, path, version, by_name, deadline, update, states)
            if time.monotonic() >= deadline:
                _raise_timeout(states, condition, timeout)
    return list(states.values())


def _watch(
    transport: Transport,
    path: str,
    version: str,
    by_name: dict[str, ObjectRef],
    deadline: float,
    update: Callable[[ObjectRef, JSON | None], None],
    states: dict[ObjectRef, ObjectCondition],
) -> None:
    """Apply watch events until the watched objects are ready, the watch ends, or it expires."""
    remaining = max(1, math.ceil(deadline - time.monotonic()))
    query = [("resourceVersion", version)] if version else []
    try:
        for event in transport.watch(path, query, remaining):
            obj = event.get("object") or {}
            if event.get("type") == "ERROR":
                return  # e.g. 410 Gone: the caller lists again
            ref = by_name.get(str((obj.get("metadata") or {}).get("name")))
            if ref is not None:
                update(ref, None if event.get("type") == "DELETED" else obj)
            if all(states[r].ready for r in by_name.values()) or time.monotonic() >= deadline:
                return
    except APIError as exc:
        if exc.status != 410:
            raise


def _raise_timeout(
    states: dict[ObjectRef, ObjectCondition], condition: str, timeout: float
) -> None:
    pending = [s for s in states.values() if not s.ready]
    lines = "\n".join(f"  {s}" for s in pending)
    raise WaitTimeoutError(
        f"timed out after {timeout:g}s waiting for {condition}; {len(pending)} object(s) "
        f"not ready:\n{lines}",
        [str(s.ref) for s in pending],
    )
