"""The upstream CRD validation suite (``tests/crdcel`` of the pinned module), over HTTP.

As in the upstream driver, each YAML is first decoded into the Go v1beta1 struct, so
non-``omitempty`` string fields (``spec.type`` of a BackendSecurityPolicy, ``clientID`` and
``tenantID`` of Azure credentials) reach the API server as ``""`` when absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml

from tests.support.upstream import CelCase, celtest_cases, upstream_params

from .server import KubeAPIServer

SUITES = ("TestAIGatewayRoutes", "TestAIServiceBackends", "TestBackendSecurityPolicies")
PLURALS = {
    "AIGatewayRoute": "aigatewayroutes",
    "AIServiceBackend": "aiservicebackends",
    "BackendSecurityPolicy": "backendsecuritypolicies",
}


def _cases() -> list[Any]:
    return [pytest.param(c, id=c.file) for c in celtest_cases() if c.test in SUITES]


def _as_go_struct(obj: dict[str, Any]) -> dict[str, Any]:
    """Zero-fill the fields the Go struct always serialises."""
    if obj["kind"] == "BackendSecurityPolicy":
        spec = obj.setdefault("spec", {})
        spec.setdefault("type", "")
        azure = spec.get("azureCredentials")
        if isinstance(azure, dict):
            azure.setdefault("clientID", "")
            azure.setdefault("tenantID", "")
    return obj


@pytest.fixture(scope="module")
def server_http() -> Iterator[httpx.Client]:
    """One server for the whole suite (every valid case is deleted after creation)."""
    with KubeAPIServer(controller=False) as server, httpx.Client(base_url=server.url) as http:
        yield http


@pytest.mark.parametrize("case", upstream_params(_cases))
def test_upstream_case(server_http: httpx.Client, case: CelCase) -> None:
    obj = _as_go_struct(yaml.safe_load(case.path.read_text(encoding="utf-8")))
    collection = (
        f"/apis/{obj['apiVersion']}/namespaces/{obj['metadata']['namespace']}/"
        f"{PLURALS[obj['kind']]}"
    )
    response = server_http.post(collection, json=obj, params={"fieldValidation": "Strict"})
    if case.expected_error is None:
        assert response.status_code == 201, response.text
        deleted = server_http.delete(f"{collection}/{obj['metadata']['name']}")
        assert deleted.status_code == 200
    else:
        assert response.status_code == 422, response.text
        status = response.json()
        assert status["reason"] == "Invalid"
        assert case.expected_error in status["message"]
        assert status["details"]["causes"]
