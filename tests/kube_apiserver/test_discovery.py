"""Discovery endpoints, as plain HTTP and through the official dynamic client."""

from __future__ import annotations

import httpx
import pytest
from kubernetes import client
from kubernetes.dynamic import DynamicClient

from .helpers import GROUP
from .server import KubeAPIServer


@pytest.mark.parametrize("suffix", ["", "/"])
def test_core_and_group_lists(http: httpx.Client, suffix: str) -> None:
    assert http.get("/api" + suffix).json()["versions"] == ["v1"]
    core = {r["name"]: r for r in http.get("/api/v1" + suffix).json()["resources"]}
    assert core["namespaces"]["namespaced"] is False
    assert core["secrets"]["kind"] == "Secret"
    assert "services/status" in core and "secrets/status" not in core
    groups = {g["name"]: g for g in http.get("/apis" + suffix).json()["groups"]}
    assert groups[GROUP]["preferredVersion"]["version"] == "v1beta1"
    assert {v["version"] for v in groups["gateway.networking.k8s.io"]["versions"]} == {
        "v1",
        "v1alpha3",
    }
    assert http.get(f"/apis/{GROUP}" + suffix).json()["preferredVersion"]["version"] == "v1beta1"


def test_group_version_resources(http: httpx.Client) -> None:
    listed = http.get(f"/apis/{GROUP}/v1beta1").json()
    resources = {r["name"]: r for r in listed["resources"]}
    route = resources["aigatewayroutes"]
    assert (route["singularName"], route["kind"], route["namespaced"]) == (
        "aigatewayroute",
        "AIGatewayRoute",
        True,
    )
    assert {"create", "get", "list", "watch", "patch", "update", "delete"} <= set(route["verbs"])
    assert resources["aigatewayroutes/status"]["verbs"] == ["get", "patch", "update"]
    assert "quotapolicies" not in resources  # v1alpha1 only
    assert resources["gatewayconfigs"]["shortNames"] == ["gwconfig"]
    gateway_api = http.get("/apis/gateway.networking.k8s.io/v1").json()["resources"]
    scopes = {r["name"]: r["namespaced"] for r in gateway_api}
    assert scopes["gatewayclasses"] is False and scopes["httproutes"] is True
    assert http.get("/version").json()["major"] == "1"


def test_unknown_paths_are_404_status(http: httpx.Client) -> None:
    response = http.get("/apis/example.com/v1")
    assert response.status_code == 404
    assert response.json()["kind"] == "Status"
    assert http.get("/apis/example.com").status_code == 404
    assert http.get("/openapi/v2").status_code == 404


def test_dynamic_client_discovers_crds(api_client: client.ApiClient) -> None:
    dynamic = DynamicClient(api_client)  # type: ignore[no-untyped-call]
    route = dynamic.resources.get(api_version=f"{GROUP}/v1beta1", kind="AIGatewayRoute")
    assert route.namespaced and route.name == "aigatewayroutes"
    assert "status" in route.subresources
    assert dynamic.resources.get(api_version="v1", kind="Secret").name == "secrets"


@pytest.mark.parametrize(("mode", "versions"), [("missing", None), ("v1alpha1-only", ["v1alpha1"])])
def test_crd_modes(mode: str, versions: list[str] | None) -> None:
    with KubeAPIServer(crds=mode, controller=False) as server:
        group = httpx.get(f"{server.url}/apis/{GROUP}")
        if versions is None:
            assert group.status_code == 404
            names = [g["name"] for g in httpx.get(f"{server.url}/apis").json()["groups"]]
            assert GROUP not in names and "gateway.envoyproxy.io" in names
        else:
            assert [v["version"] for v in group.json()["versions"]] == versions
            assert httpx.get(f"{server.url}/apis/{GROUP}/v1beta1").status_code == 404


def test_token_required() -> None:
    with KubeAPIServer(controller=False, token="s3cret") as server:
        denied = httpx.get(f"{server.url}/api/v1/namespaces")
        assert denied.status_code == 401
        assert denied.json()["reason"] == "Unauthorized"
        allowed = httpx.get(
            f"{server.url}/api/v1/namespaces", headers={"Authorization": "Bearer s3cret"}
        )
        assert allowed.status_code == 200
        assert "default" in [n["metadata"]["name"] for n in allowed.json()["items"]]
