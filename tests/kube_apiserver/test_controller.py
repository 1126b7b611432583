"""The controller stand-in: Accepted / NotAccepted conditions, delay and the off switch."""

from __future__ import annotations

import json
from typing import Any

import httpx

from .helpers import BACKENDS, GROUP, ROUTES, eg_backend, route, service_backend
from .server import KubeAPIServer

_EG_BACKENDS = "/apis/gateway.envoyproxy.io/v1alpha1/namespaces/default/backends"
_POLICIES = f"/apis/{GROUP}/v1beta1/namespaces/default/backendsecuritypolicies"


def _conditions(http: httpx.Client, path: str, timeout: float = 10) -> list[dict[str, Any]]:
    """Watch ``path``'s collection until the named object has a condition (or time out)."""
    collection, name = path.rsplit("/", 1)
    params = {
        "watch": "true",
        "fieldSelector": f"metadata.name={name}",
        "timeoutSeconds": str(timeout),
    }
    with http.stream("GET", collection, params=params) as stream:
        for line in stream.iter_lines():
            obj = json.loads(line)["object"]
            conditions: list[dict[str, Any]] = (obj.get("status") or {}).get("conditions") or []
            if conditions:
                return conditions
    return []


def test_not_accepted_until_reference_exists(
    kube_server: KubeAPIServer, http: httpx.Client
) -> None:
    http.post(BACKENDS, json=service_backend("b1", backend="eg"))
    [missing] = _conditions(http, f"{BACKENDS}/b1")
    assert (missing["type"], missing["status"], missing["reason"]) == (
        "NotAccepted",
        "False",
        "NotAccepted",
    )
    assert (
        missing["message"] == 'backends.gateway.envoyproxy.io "eg" not found in namespace "default"'
    )
    http.post(_EG_BACKENDS, json=eg_backend("eg"))
    accepted = _wait_for(http, f"{BACKENDS}/b1", "Accepted")
    assert accepted["status"] == "True"
    assert accepted["message"] == "AIServiceBackend reconciled successfully"
    assert accepted["observedGeneration"] == 1


def _wait_for(http: httpx.Client, path: str, condition_type: str) -> dict[str, Any]:
    collection, name = path.rsplit("/", 1)
    params = {"watch": "true", "fieldSelector": f"metadata.name={name}", "timeoutSeconds": "10"}
    with http.stream("GET", collection, params=params) as stream:
        for line in stream.iter_lines():
            conditions = (json.loads(line)["object"].get("status") or {}).get("conditions") or []
            if conditions and conditions[-1]["type"] == condition_type:
                result: dict[str, Any] = conditions[-1]
                return result
    raise AssertionError(f"{path} never reported {condition_type}")


def test_route_and_policy_references(kube_server: KubeAPIServer, http: httpx.Client) -> None:
    http.post(ROUTES, json=route("r1", "b1"))
    missing = _wait_for(http, f"{ROUTES}/r1", "NotAccepted")
    assert missing["message"] == (
        'aiservicebackends.aigateway.envoyproxy.io "b1" not found in namespace "default"'
    )
    http.post(BACKENDS, json=service_backend("b1"))
    assert _wait_for(http, f"{ROUTES}/r1", "Accepted")["message"] == (
        "AIGatewayRoute reconciled successfully"
    )
    policy = {
        "apiVersion": f"{GROUP}/v1beta1",
        "kind": "BackendSecurityPolicy",
        "metadata": {"name": "p1"},
        "spec": {"type": "APIKey", "apiKey": {"secretRef": {"name": "key"}}},
    }
    assert http.post(_POLICIES, json=policy).status_code == 201
    assert _wait_for(http, f"{_POLICIES}/p1", "NotAccepted")["message"] == (
        'secrets "key" not found in namespace "default"'
    )
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "key"}, "data": {}}
    http.post("/api/v1/namespaces/default/secrets", json=secret)
    assert _wait_for(http, f"{_POLICIES}/p1", "Accepted")["status"] == "True"


def test_delay_and_disabled_controller() -> None:
    with KubeAPIServer(controller_delay=0.2) as server, httpx.Client(base_url=server.url) as http:
        created = http.post(BACKENDS, json=service_backend("b1")).json()
        assert "status" not in created
        assert _wait_for(http, f"{BACKENDS}/b1", "NotAccepted")
        server.set_controller(False)
        http.post(BACKENDS, json=service_backend("b2"))
        assert _conditions(http, f"{BACKENDS}/b2", timeout=1) == []
    with KubeAPIServer(controller=False) as server, httpx.Client(base_url=server.url) as http:
        http.post(BACKENDS, json=service_backend("b1"))
        assert _conditions(http, f"{BACKENDS}/b1", timeout=1) == []
