"""A test controller that writes AI Gateway status conditions to a real API server.

Envoy AI Gateway's controller (``cmd/controller``) is what writes ``Accepted`` / ``NotAccepted``
on a real cluster; its module at the pinned version is not served by the module proxy the tests
can reach, so it cannot be built here. This stand-in writes the status the way upstream's
reconcilers do (``internal/controller``): one condition through the ``status`` subresource,
``Accepted`` (status True, "<Kind> reconciled successfully") when every referenced object exists,
otherwise ``NotAccepted`` (status False) whose message is the lookup error, with
``observedGeneration``. It polls the API server (list calls) a few times a second.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.support.kube import AIGATEWAY_GROUP, APIServer

JSON = dict[str, Any]
MANAGER = "envoy-ai-gateway-controller"
KINDS = {
    "aigatewayroutes": "AI Gateway Route",
    "aiservicebackends": "AIServiceBackend",
    "backendsecuritypolicies": "BackendSecurityPolicy",
}
INTERVAL = 0.2


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


class StatusController:
    """Reconciles every AI Gateway object of ``server`` in a background thread."""

    def __init__(self, server: APIServer) -> None:
        self.server = server
        self.enabled = True
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="status-controller", daemon=True)

    def start(self) -> StatusController:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        with self.server.http(timeout=10) as http:
            while not self._stop.wait(INTERVAL):
                if not self.enabled:
                    continue
                try:
                    self.reconcile(http)
                except httpx.HTTPError:
                    time.sleep(INTERVAL)  # the server is going away or busy: try again

    def reconcile(self, http: httpx.Client) -> None:
        """One pass: recompute and write the condition of every AI Gateway object."""
        found = http.get(f"/apis/{AIGATEWAY_GROUP}")
        if found.status_code != 200:
            return
        version = found.json()["preferredVersion"]["groupVersion"]
        for plural in KINDS:
            listed = http.get(f"/apis/{version}/{plural}")
            if listed.status_code != 200:
                continue
            for obj in listed.json()["items"]:
                self._reconcile_one(http, version, plural, obj)

    def _reconcile_one(self, http: httpx.Client, version: str, plural: str, obj: JSON) -> None:
        meta = obj["metadata"]
        problem = self._problem(http, plural, obj)
        accepted = problem is None
        condition = {
            "type": "Accepted" if accepted else "NotAccepted",
            "status": "True" if accepted else "False",
            "reason": "Accepted" if accepted else "NotAccepted",
            "message": f"{KINDS[plural]} reconciled successfully" if accepted else problem,
            "observedGeneration": meta.get("generation", 1),
        }
        current = ((obj.get("status") or {}).get("conditions") or [{}])[-1]
        if all(current.get(k) == v for k, v in condition.items()):
            return
        condition["lastTransitionTime"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        obj["status"] = {"conditions": [condition]}
        path = f"/apis/{version}/namespaces/{meta['namespace']}/{plural}/{meta['name']}/status"
        http.put(path, json=obj, params={"fieldManager": MANAGER})  # a 409 retries next pass

    def _problem(self, http: httpx.Client, plural: str, obj: JSON) -> str | None:
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
            if http.get(self.server.path(group, ref_plural, ns, name)).status_code == 404:
                resource = f"{ref_plural}.{group}" if group else ref_plural
                return f'{resource} "{name}" not found in namespace "{ns}"'
        return None
