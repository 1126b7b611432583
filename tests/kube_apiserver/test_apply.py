"""Server-side apply: create-if-absent, ownership, conflicts, force, field removal."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import yaml
from kubernetes import client

from .helpers import APPLY_TYPE, BACKENDS, GROUP, route, service_backend, status_of
from .server import KubeAPIServer


def _apply(
    http: httpx.Client, body: dict[str, Any], manager: str | None = "sdk", **params: str
) -> httpx.Response:
    query = dict(params)
    if manager is not None:
        query["fieldManager"] = manager
    path = f"{BACKENDS}/{body['metadata']['name']}"
    if body["kind"] == "AIGatewayRoute":
        path = (
            f"/apis/{GROUP}/v1beta1/namespaces/default/aigatewayroutes/{body['metadata']['name']}"
        )
    return http.patch(path, params=query, content=yaml.safe_dump(body), headers=APPLY_TYPE)


def test_apply_creates_then_updates(http: httpx.Client) -> None:
    created = _apply(http, service_backend("b1", app="demo"))
    assert created.status_code == 201
    entry = created.json()["metadata"]["managedFields"][0]
    assert (entry["manager"], entry["operation"], entry["fieldsType"]) == (
        "sdk",
        "Apply",
        "FieldsV1",
    )
    assert entry["fieldsV1"] == {
        "f:metadata": {"f:labels": {"f:app": {}}},
        "f:spec": {
            "f:backendRef": {"f:group": {}, "f:kind": {}, "f:name": {}},
            "f:schema": {"f:name": {}},
        },
    }
    again = _apply(http, service_backend("b1", app="demo"))
    assert again.status_code == 200
    changed = service_backend("b1", app="demo")
    changed["spec"]["schema"]["name"] = "Anthropic"
    updated = _apply(http, changed).json()
    assert updated["spec"]["schema"]["name"] == "Anthropic"
    assert updated["metadata"]["generation"] == 2


def test_unchanged_apply_keeps_resource_version() -> None:
    with KubeAPIServer(controller=False) as server, httpx.Client(base_url=server.url) as http:
        first = _apply(http, service_backend("b1")).json()
        second = _apply(http, service_backend("b1")).json()
        assert second["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]


def test_field_manager_required(http: httpx.Client) -> None:
    response = _apply(http, service_backend("b1"), manager=None)
    assert response.status_code == 400
    assert "fieldManager: Required value: is required for apply patch" in response.json()["message"]


def test_conflict_and_force(http: httpx.Client) -> None:
    _apply(http, service_backend("b1"), manager="other-manager")
    mine = service_backend("b1")
    mine["spec"]["schema"]["name"] = "Anthropic"
    conflict = _apply(http, mine)
    assert conflict.status_code == 409
    status = conflict.json()
    assert status["reason"] == "Conflict"
    assert status["message"] == (
        'Apply failed with 1 conflict: conflict with "other-manager": .spec.schema.name'
    )
    assert status["details"]["causes"] == [
        {
            "reason": "FieldManagerConflict",
            "message": 'conflict with "other-manager"',
            "field": ".spec.schema.name",
        }
    ]
    same_values = _apply(http, service_backend("b1"))
    assert same_values.status_code == 200  # shared ownership, no conflict
    forced = _apply(http, mine, force="true")
    assert forced.status_code == 200
    owners = {e["manager"]: e["fieldsV1"] for e in forced.json()["metadata"]["managedFields"]}
    assert "f:name" in owners["sdk"]["f:spec"]["f:schema"]
    assert "f:schema" not in owners["other-manager"].get("f:spec", {})


def test_conflict_with_update_manager_lists_every_path(http: httpx.Client) -> None:
    body = service_backend("b1")
    assert (
        http.post(BACKENDS, json=body, params={"fieldManager": "kubectl-edit"}).status_code == 201
    )
    mine = service_backend("b1", backend="other")
    mine["spec"]["schema"]["name"] = "Anthropic"
    status = _apply(http, mine).json()
    assert status["message"].startswith("Apply failed with 2 conflicts: conflicts with ")
    assert '"kubectl-edit" using aigateway.envoyproxy.io/v1beta1 at ' in status["message"]
    assert status["message"].endswith("- .spec.backendRef.name\n- .spec.schema.name")


def test_fields_no_longer_applied_are_removed(http: httpx.Client) -> None:
    full = route("r1", "a", "b")
    full["spec"]["llmRequestCosts"] = [{"metadataKey": "in", "type": "InputToken"}]
    full["metadata"]["labels"] = {"keep": "1", "drop": "1"}
    assert _apply(http, full).status_code == 201
    labels_only = {
        "apiVersion": full["apiVersion"],
        "kind": full["kind"],
        "metadata": {"name": "r1", "labels": {"x": "1"}},
    }
    assert _apply(http, labels_only, manager="other").status_code == 200
    trimmed = route("r1", "a")
    trimmed["metadata"]["labels"] = {"keep": "1"}
    result = _apply(http, trimmed).json()
    assert "llmRequestCosts" not in result["spec"]
    assert [b["name"] for b in result["spec"]["rules"][0]["backendRefs"]] == ["a"]
    assert result["metadata"]["labels"] == {"keep": "1", "x": "1"}


def test_atomic_list_conflicts(http: httpx.Client) -> None:
    assert _apply(http, route("r1", "a")).status_code == 201
    theirs = route("r1", "z")
    status = _apply(http, theirs, manager="other").json()
    assert status["message"] == 'Apply failed with 1 conflict: conflict with "sdk": .spec.rules'


def test_list_map_items_merge_by_key(http: httpx.Client) -> None:
    def service(port: int) -> dict[str, Any]:
        return {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "svc"},
            "spec": {"ports": [{"port": port, "protocol": "TCP"}]},
        }

    path = "/api/v1/namespaces/default/services/svc"
    for manager, port in (("a", 80), ("b", 443)):
        response = http.patch(
            path,
            params={"fieldManager": manager},
            content=json.dumps(service(port)),
            headers=APPLY_TYPE,
        )
    merged = response.json()
    assert [p["port"] for p in merged["spec"]["ports"]] == [80, 443]
    owners = {e["manager"]: e["fieldsV1"] for e in merged["metadata"]["managedFields"]}
    assert owners["b"]["f:spec"]["f:ports"] == {
        'k:{"port":443,"protocol":"TCP"}': {".": {}, "f:port": {}, "f:protocol": {}}
    }


def test_apply_validates_and_dry_run(http: httpx.Client, kube_server: KubeAPIServer) -> None:
    bad = service_backend("b1")
    bad["spec"]["backendRef"]["kind"] = "Service"
    invalid = _apply(http, bad)
    assert invalid.status_code == 422
    assert "BackendRef must be a Backend resource of Envoy Gateway" in invalid.json()["message"]
    preview = _apply(http, service_backend("b1"), dryRun="All")
    assert preview.status_code == 200
    assert preview.json()["metadata"]["managedFields"][0]["manager"] == "sdk"
    assert kube_server.get_object(GROUP, "aiservicebackends", "default", "b1") is None


def test_apply_with_official_client(custom: client.CustomObjectsApi) -> None:
    body = service_backend("b1")
    custom.patch_namespaced_custom_object(
        GROUP,
        "v1beta1",
        "default",
        "aiservicebackends",
        "b1",
        body,
        field_manager="sdk",
        _content_type="application/apply-patch+yaml",
    )
    body["spec"]["schema"]["name"] = "Anthropic"
    with pytest.raises(client.ApiException) as conflict:
        custom.patch_namespaced_custom_object(
            GROUP,
            "v1beta1",
            "default",
            "aiservicebackends",
            "b1",
            body,
            field_manager="other",
            _content_type="application/apply-patch+yaml",
        )
    assert conflict.value.status == 409
    assert status_of(conflict.value)["message"].endswith('"sdk": .spec.schema.name')
    forced: Any = custom.patch_namespaced_custom_object(
        GROUP,
        "v1beta1",
        "default",
        "aiservicebackends",
        "b1",
        body,
        field_manager="other",
        force=True,
        _content_type="application/apply-patch+yaml",
    )
    assert forced["spec"]["schema"]["name"] == "Anthropic"
