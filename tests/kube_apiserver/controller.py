"""A stand-in for the Envoy AI Gateway controller: sets ``Accepted`` / ``NotAccepted`` conditions.

Like the real controller it writes one condition through the ``status`` subresource:
``Accepted`` (status True) when every referenced object exists, otherwise ``NotAccepted``
(status False) with the lookup error as the message.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from typing import Any

from .errors import ApiError
from .operations import ObjectAPI, Target, WriteOptions, now
from .resources import AIGATEWAY_GROUP, Registry, ResourceType
from .store import Event

JSON = dict[str, Any]

MANAGER = "envoy-ai-gateway-controller"
_RECONCILED = ("aigatewayroutes", "aiservicebackends", "backendsecuritypolicies")
_WATCHED = {(AIGATEWAY_GROUP, p) for p in _RECONCILED} | {
    ("", "secrets"),
    ("gateway.envoyproxy.io", "backends"),
}


def _missing(group: str, plural: str, namespace: str, name: str) -> str:
    resource = f"{plural}.{group}" if group else plural
    return f'{resource} "{name}" not found in namespace "{namespace}"'


def _secret_refs(node: Any) -> Iterator[JSON]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key.lower().endswith("secretref") and isinstance(value, dict) and "name" in value:
                yield value
            else:
                yield from _secret_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _secret_refs(item)


class Controller:
    """Reconciles AI Gateway objects in a background thread after each relevant change."""

    def __init__(self, api: ObjectAPI, registry: Registry, delay: float = 0.0) -> None:
        self.api = api
        self.registry = registry
        self.delay = delay
        self.enabled = True
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="kube-test-controller", daemon=True)

    def start(self) -> None:
        """Subscribe to store events and start reconciling."""
        self.api.store.subscribe(self._on_event)
        self._thread.start()

    def stop(self) -> None:
        """Stop the reconcile thread."""
        self._queue.put(None)
        self._thread.join(timeout=5)

    def _on_event(self, event: Event) -> None:
        if event.kind in _WATCHED:
            self._queue.put(event.namespace)

    def _run(self) -> None:
        while True:
            namespace = self._queue.get()
            if namespace is None:
                return
            if self.delay:
                time.sleep(self.delay)
            pending = {namespace}
            while not self._queue.empty():
                item = self._queue.get()
                if item is None:
                    return
                pending.add(item)
            if self.enabled:
                for ns in sorted(pending):
                    self.reconcile(ns)

    def _rtype(self, plural: str) -> ResourceType | None:
        versions = self.registry.versions(AIGATEWAY_GROUP)
        for version in versions:
            found = self.registry.lookup(AIGATEWAY_GROUP, version, plural)
            if found is not None:
                return found
        return None

    def reconcile(self, namespace: str) -> None:
        """Recompute and write the condition of every AI Gateway object in ``namespace``."""
        for plural in _RECONCILED:
            rtype = self._rtype(plural)
            if rtype is None:
                continue
            for obj in self.api.store.objects((AIGATEWAY_GROUP, plural), namespace):
                self._set_condition(rtype, obj, self._problem(plural, obj))

    def _exists(self, group: str, plural: str, namespace: str, name: str) -> bool:
        return self.api.store.get((group, plural, namespace, name)) is not None

    def _problem(self, plural: str, obj: JSON) -> str | None:
        namespace = obj["metadata"]["namespace"]
        spec = obj.get("spec") or {}
        refs: list[tuple[str, str, str, str]] = []
        if plural == "aigatewayroutes":
            for rule in spec.get("rules") or []:
                for ref in rule.get("backendRefs") or []:
                    if not ref.get("group") and not ref.get("kind"):
                        refs.append((AIGATEWAY_GROUP, "aiservicebackends", namespace, ref["name"]))
        elif plural == "aiservicebackends":
            ref = spec.get("backendRef") or {}
            if ref.get("name"):
                ns = ref.get("namespace") or namespace
                refs.append(("gateway.envoyproxy.io", "backends", ns, ref["name"]))
        else:
            for ref in _secret_refs(spec):
                refs.append(("", "secrets", ref.get("namespace") or namespace, ref["name"]))
        for group, ref_plural, ns, name in refs:
            if not self._exists(group, ref_plural, ns, name):
                return _missing(group, ref_plural, ns, name)
        return None

    def _set_condition(self, rtype: ResourceType, obj: JSON, problem: str | None) -> None:
        accepted = problem is None
        condition = {
            "type": "Accepted" if accepted else "NotAccepted",
            "status": "True" if accepted else "False",
            "reason": "Accepted" if accepted else "NotAccepted",
            "message": f"{rtype.kind} reconciled successfully" if accepted else problem,
            "observedGeneration": obj["metadata"].get("generation", 1),
        }
        current = ((obj.get("status") or {}).get("conditions") or [{}])[-1]
        if all(current.get(k) == v for k, v in condition.items()):
            return
        condition["lastTransitionTime"] = now()
        obj["status"] = {"conditions": [condition]}
        obj["apiVersion"], obj["kind"] = rtype.api_version, rtype.kind
        meta = obj["metadata"]
        target = Target(rtype, meta["namespace"], meta["name"])
        try:
            self.api.replace(target, obj, WriteOptions(manager=MANAGER), "status")
        except ApiError as exc:
            if exc.code == 409:
                self._queue.put(meta["namespace"])
