"""In-memory object storage with a global resourceVersion counter and a watch event log."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]
Kind = tuple[str, str]  # (group, plural)
Key = tuple[str, str, str, str]  # (group, plural, namespace, name)


@dataclass(frozen=True)
class Event:
    """One change: ``ADDED`` / ``MODIFIED`` / ``DELETED`` of an object at ``rv``."""

    rv: int
    type: str
    kind: Kind
    namespace: str
    obj: JSON


class Store:
    """Objects keyed by (group, plural, namespace, name); every write bumps ``resourceVersion``.

    ``lock`` serialises writes and is held by callers across read-modify-write sequences.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self._objects: dict[Key, JSON] = {}
        self._events: list[Event] = []
        self._rv = 0
        self._listeners: list[Callable[[Event], None]] = []

    @property
    def resource_version(self) -> int:
        """The latest resourceVersion handed out."""
        return self._rv

    def next_rv(self) -> int:
        """Allocate the next resourceVersion."""
        with self.lock:
            self._rv += 1
            return self._rv

    def get(self, key: Key) -> JSON | None:
        """A copy of the stored object, or None."""
        with self.lock:
            obj = self._objects.get(key)
            return copy.deepcopy(obj) if obj is not None else None

    def objects(self, kind: Kind, namespace: str | None) -> list[JSON]:
        """Copies of all objects of ``kind`` (in ``namespace`` unless None), sorted by key."""
        with self.lock:
            found = [
                (key, obj)
                for key, obj in self._objects.items()
                if key[:2] == kind and (namespace is None or key[2] == namespace)
            ]
        return [copy.deepcopy(obj) for _, obj in sorted(found, key=lambda kv: kv[0])]

    def keys_in_namespace(self, namespace: str) -> list[Key]:
        """Keys of every object stored in ``namespace``."""
        with self.lock:
            return [key for key in self._objects if key[2] == namespace]

    def put(self, key: Key, obj: JSON, event_type: str) -> None:
        """Store ``obj`` (its resourceVersion already set) and record the event."""
        with self.lock:
            self._objects[key] = copy.deepcopy(obj)
            self._record(key, event_type, obj)

    def delete(self, key: Key, obj: JSON) -> None:
        """Remove the object and record ``DELETED`` with ``obj`` (carrying a fresh rv)."""
        with self.lock:
            self._objects.pop(key, None)
            self._record(key, "DELETED", obj)

    def _record(self, key: Key, event_type: str, obj: JSON) -> None:
        rv = int(obj["metadata"]["resourceVersion"])
        event = Event(rv, event_type, (key[0], key[1]), key[2], copy.deepcopy(obj))
        self._events.append(event)
        self.changed.notify_all()
        for listener in list(self._listeners):
            listener(event)

    def subscribe(self, listener: Callable[[Event], None]) -> None:
        """Call ``listener`` (under the lock) after every recorded event."""
        with self.lock:
            self._listeners.append(listener)

    def events_after(self, rv: int, kind: Kind) -> Iterator[Event]:
        """Recorded events of ``kind`` with resourceVersion above ``rv``."""
        with self.lock:
            events = [e for e in self._events if e.rv > rv and e.kind == kind]
        return iter(events)
