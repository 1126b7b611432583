"""Create / read / update / patch / delete through the official client and httpx."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from kubernetes import client

from .helpers import BACKENDS, GROUP, eg_backend, service_backend, status_of
from .server import KubeAPIServer


def _create(custom: client.CustomObjectsApi, body: dict[str, Any]) -> Any:
    plural = {"AIServiceBackend": "aiservicebackends", "AIGatewayRoute": "aigatewayroutes"}
    result: Any = custom.create_namespaced_custom_object(
        GROUP, "v1beta1", "default", plural[body["kind"]], body
    )
    return result


def test_create_get_list_delete(custom: client.CustomObjectsApi) -> None:
    created = _create(custom, service_backend("b1", app="demo"))
    meta = created["metadata"]
    assert meta["namespace"] == "default" and meta["generation"] == 1
    assert meta["uid"] and meta["creationTimestamp"] and int(meta["resourceVersion"]) > 0
    assert meta["managedFields"][0]["manager"] == "OpenAPI-Generator"
    assert meta["managedFields"][0]["fieldsV1"]["f:spec"]["f:schema"] == {"f:name": {}}
    got: Any = custom.get_namespaced_custom_object(
        GROUP, "v1beta1", "default", "aiservicebackends", "b1"
    )
    assert got["spec"] == created["spec"]
    listed: Any = custom.list_namespaced_custom_object(
        GROUP, "v1beta1", "default", "aiservicebackends"
    )
    assert listed["kind"] == "AIServiceBackendList"
    assert [i["metadata"]["name"] for i in listed["items"]] == ["b1"]
    deleted: Any = custom.delete_namespaced_custom_object(
        GROUP, "v1beta1", "default", "aiservicebackends", "b1"
    )
    assert deleted["status"] == "Success" and deleted["details"]["name"] == "b1"
    with pytest.raises(client.ApiException) as missing:
        custom.get_namespaced_custom_object(GROUP, "v1beta1", "default", "aiservicebackends", "b1")
    status = status_of(missing.value)
    assert missing.value.status == 404
    assert status["reason"] == "NotFound"
    assert status["message"] == 'aiservicebackends.aigateway.envoyproxy.io "b1" not found'


def test_versions_share_storage(custom: client.CustomObjectsApi) -> None:
    _create(custom, service_backend("b1"))
    old: Any = custom.get_namespaced_custom_object(
        GROUP, "v1alpha1", "default", "aiservicebackends", "b1"
    )
    assert old["apiVersion"] == f"{GROUP}/v1alpha1"


def test_already_exists_and_missing_namespace(custom: client.CustomObjectsApi) -> None:
    _create(custom, service_backend("b1"))
    with pytest.raises(client.ApiException) as exists:
        _create(custom, service_backend("b1"))
    assert exists.value.status == 409
    assert status_of(exists.value)["reason"] == "AlreadyExists"
    with pytest.raises(client.ApiException) as no_ns:
        custom.create_namespaced_custom_object(
            GROUP, "v1beta1", "nowhere", "aiservicebackends", service_backend("b2")
        )
    assert no_ns.value.status == 404
    assert status_of(no_ns.value)["message"] == 'namespaces "nowhere" not found'


def test_invalid_object_is_422_with_causes(http: httpx.Client) -> None:
    body = service_backend("b1")
    body["spec"]["schema"]["name"] = "Nope"
    response = http.post(BACKENDS, json=body)
    assert response.status_code == 422
    status = response.json()
    assert status["reason"] == "Invalid" and status["code"] == 422
    assert status["message"].startswith(
        'AIServiceBackend.aigateway.envoyproxy.io "b1" is invalid: spec.schema.name: '
        'Unsupported value: "Nope": supported values: "OpenAI", '
    )
    cause = status["details"]["causes"][0]
    assert cause["field"] == "spec.schema.name" and cause["reason"] == "FieldValueNotSupported"
    assert status["details"]["kind"] == "AIServiceBackend"
    bad_name = http.post(BACKENDS, json=service_backend("Bad_Name"))
    assert bad_name.status_code == 422
    assert (
        'metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain'
        in (bad_name.json()["message"])
    )


def test_replace_with_resource_version_conflict(custom: client.CustomObjectsApi) -> None:
    _create(custom, service_backend("b1"))
    created: Any = custom.get_namespaced_custom_object(
        GROUP, "v1beta1", "default", "aiservicebackends", "b1"
    )
    created["spec"]["schema"]["name"] = "Anthropic"
    updated: Any = custom.replace_namespaced_custom_object(
        GROUP, "v1beta1", "default", "aiservicebackends", "b1", created
    )
    assert updated["metadata"]["generation"] == 2
    assert int(updated["metadata"]["resourceVersion"]) > int(created["metadata"]["resourceVersion"])
    with pytest.raises(client.ApiException) as stale:
        custom.replace_namespaced_custom_object(
            GROUP, "v1beta1", "default", "aiservicebackends", "b1", created
        )
    assert stale.value.status == 409
    assert status_of(stale.value)["message"] == (
        'Operation cannot be fulfilled on aiservicebackends.aigateway.envoyproxy.io "b1": the '
        "object has been modified; please apply your changes to the latest version and try again"
    )


def test_labels_only_change_keeps_generation(custom: client.CustomObjectsApi) -> None:
    _create(custom, service_backend("b1"))
    patched: Any = custom.patch_namespaced_custom_object(
        GROUP, "v1beta1", "default", "aiservicebackends", "b1", {"metadata": {"labels": {"a": "b"}}}
    )
    assert patched["metadata"]["labels"] == {"a": "b"}
    assert patched["metadata"]["generation"] == 1


def test_patch_flavours(http: httpx.Client) -> None:
    assert http.post(BACKENDS, json=service_backend("b1")).status_code == 201
    merge = http.patch(
        f"{BACKENDS}/b1",
        content=json.dumps({"spec": {"schema": {"name": "Anthropic"}}}),
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert merge.json()["spec"]["schema"]["name"] == "Anthropic"
    ops = [
        {"op": "replace", "path": "/spec/schema/name", "value": "OpenAI"},
        {"op": "add", "path": "/metadata/labels", "value": {"x": "y"}},
    ]
    patched = http.patch(
        f"{BACKENDS}/b1",
        content=json.dumps(ops),
        headers={"Content-Type": "application/json-patch+json"},
    ).json()
    assert patched["spec"]["schema"]["name"] == "OpenAI" and patched["metadata"]["labels"] == {
        "x": "y"
    }
    failed_test = http.patch(
        f"{BACKENDS}/b1",
        content=json.dumps([{"op": "test", "path": "/spec/schema/name", "value": "Cohere"}]),
        headers={"Content-Type": "application/json-patch+json"},
    )
    assert failed_test.status_code == 422
    strategic = http.patch(
        f"{BACKENDS}/b1",
        content="{}",
        headers={"Content-Type": "application/strategic-merge-patch+json"},
    )
    assert strategic.status_code == 415
    invalid = http.patch(
        f"{BACKENDS}/b1",
        content=json.dumps({"spec": {"schema": {"name": "Bogus"}}}),
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert invalid.status_code == 422


def test_core_secret_and_strategic_patch(core: client.CoreV1Api) -> None:
    secret = client.V1Secret(metadata=client.V1ObjectMeta(name="key"), string_data={"apiKey": "sk"})
    created = core.create_namespaced_secret("default", secret)
    assert created.data == {"apiKey": "c2s="} and created.type == "Opaque"
    patched = core.patch_namespaced_secret("key", "default", {"metadata": {"labels": {"a": "1"}}})
    assert patched.metadata is not None and patched.metadata.labels == {"a": "1"}
    core.delete_namespaced_secret("key", "default")
    with pytest.raises(client.ApiException) as gone:
        core.read_namespaced_secret("key", "default")
    assert gone.value.status == 404


def test_label_and_field_selectors(custom: client.CustomObjectsApi) -> None:
    for name, labels in [
        ("a", {"tier": "gold", "team": "x"}),
        ("b", {"tier": "silver"}),
        ("c", {}),
    ]:
        _create(custom, service_backend(name, **labels))

    def names(label_selector: str | None = None, field_selector: str | None = None) -> list[str]:
        listed: Any = custom.list_namespaced_custom_object(
            GROUP,
            "v1beta1",
            "default",
            "aiservicebackends",
            label_selector=label_selector,
            field_selector=field_selector,
        )
        return [i["metadata"]["name"] for i in listed["items"]]

    assert names(label_selector="tier=gold") == ["a"]
    assert names(label_selector="tier==gold") == ["a"]
    assert names(label_selector="tier!=gold") == ["b", "c"]
    assert names(label_selector="tier in (gold, silver)") == ["a", "b"]
    assert names(label_selector="tier notin (gold)") == ["b", "c"]
    assert names(label_selector="tier") == ["a", "b"]
    assert names(label_selector="!tier") == ["c"]
    assert names(label_selector="tier,team=x") == ["a"]
    assert names(field_selector="metadata.name=b") == ["b"]
    assert names(field_selector="metadata.name!=b") == ["a", "c"]
    custom.delete_collection_namespaced_custom_object(
        GROUP, "v1beta1", "default", "aiservicebackends", label_selector="tier"
    )
    assert names() == ["c"]


def test_cluster_scoped_and_all_namespaces(http: httpx.Client, core: client.CoreV1Api) -> None:
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="team")))
    gateway_class = {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "GatewayClass",
        "metadata": {"name": "eg"},
        "spec": {"controllerName": "gateway.envoyproxy.io/gatewayclass-controller"},
    }
    created = http.post("/apis/gateway.networking.k8s.io/v1/gatewayclasses", json=gateway_class)
    assert created.status_code == 201 and "namespace" not in created.json()["metadata"]
    for namespace in ("default", "team"):
        response = http.post(
            f"/apis/gateway.envoyproxy.io/v1alpha1/namespaces/{namespace}/backends",
            json=eg_backend("eg"),
        )
        assert response.status_code == 201
    everywhere = http.get("/apis/gateway.envoyproxy.io/v1alpha1/backends").json()["items"]
    assert sorted(i["metadata"]["namespace"] for i in everywhere) == ["default", "team"]
    deleted = http.delete("/api/v1/namespaces/team").json()
    assert deleted["kind"] == "Namespace" and deleted["status"]["phase"] == "Terminating"
    left = http.get("/apis/gateway.envoyproxy.io/v1alpha1/backends").json()["items"]
    assert [i["metadata"]["namespace"] for i in left] == ["default"]


def test_dry_run_persists_nothing(
    custom: client.CustomObjectsApi, kube_server: KubeAPIServer
) -> None:
    would_be: Any = custom.create_namespaced_custom_object(
        GROUP, "v1beta1", "default", "aiservicebackends", service_backend("b1"), dry_run="All"
    )
    assert would_be["metadata"]["uid"] and "resourceVersion" not in would_be["metadata"]
    assert kube_server.get_object(GROUP, "aiservicebackends", "default", "b1") is None
    _create(custom, service_backend("b1"))
    created: Any = custom.get_namespaced_custom_object(
        GROUP, "v1beta1", "default", "aiservicebackends", "b1"
    )
    created["spec"]["schema"]["name"] = "Anthropic"
    preview: Any = custom.replace_namespaced_custom_object(
        GROUP, "v1beta1", "default", "aiservicebackends", "b1", created, dry_run="All"
    )
    assert preview["spec"]["schema"]["name"] == "Anthropic"
    stored = kube_server.get_object(GROUP, "aiservicebackends", "default", "b1")
    assert stored is not None and stored["spec"]["schema"]["name"] == "OpenAI"
    custom.delete_namespaced_custom_object(
        GROUP, "v1beta1", "default", "aiservicebackends", "b1", dry_run="All"
    )
    assert kube_server.get_object(GROUP, "aiservicebackends", "default", "b1") is not None
    bad = service_backend("b2")
    bad["spec"]["schema"]["name"] = "Nope"
    with pytest.raises(client.ApiException) as invalid:
        custom.create_namespaced_custom_object(
            GROUP, "v1beta1", "default", "aiservicebackends", bad, dry_run="All"
        )
    assert invalid.value.status == 422


def test_unknown_fields_by_field_validation(http: httpx.Client) -> None:
    body = service_backend("b1")
    body["spec"]["bogus"] = 1
    strict = http.post(BACKENDS, params={"fieldValidation": "Strict"}, json=body)
    assert strict.status_code == 400
    assert 'strict decoding error: unknown field "spec.bogus"' in strict.json()["message"]
    warned = http.post(BACKENDS, json=body)
    assert warned.status_code == 201
    assert "bogus" not in warned.json()["spec"]
    assert warned.headers["Warning"] == '299 - "unknown field \\"spec.bogus\\""'


def test_defaults_applied_on_create(http: httpx.Client) -> None:
    route = {
        "apiVersion": f"{GROUP}/v1beta1",
        "kind": "AIGatewayRoute",
        "metadata": {"name": "r"},
        "spec": {"parentRefs": [{"name": "gw"}], "rules": [{"backendRefs": [{"name": "b"}]}]},
    }
    created = http.post(f"/apis/{GROUP}/v1beta1/namespaces/default/aigatewayroutes", json=route)
    assert created.status_code == 201
    assert created.json()["spec"]["parentRefs"][0]["kind"] == "Gateway"
