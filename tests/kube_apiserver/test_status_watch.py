"""The status subresource and watch streams."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest
from kubernetes import client, watch

from .helpers import BACKENDS, GROUP, service_backend
from .server import KubeAPIServer

_CONDITION = {
    "type": "Accepted",
    "status": "True",
    "reason": "Accepted",
    "message": "ok",
    "lastTransitionTime": "2025-01-01T00:00:00Z",
}


@pytest.fixture
def quiet_server() -> KubeAPIServer:
    """A server without the controller, so only the test writes status."""
    return KubeAPIServer(controller=False)


def test_status_subresource_is_separate(quiet_server: KubeAPIServer) -> None:
    with quiet_server as server, httpx.Client(base_url=server.url) as http:
        body = service_backend("b1")
        body["status"] = {"conditions": [_CONDITION]}
        created = http.post(BACKENDS, json=body).json()
        assert "status" not in created  # status is reset on create
        created["status"] = {"conditions": [_CONDITION]}
        created["spec"]["schema"]["name"] = "Anthropic"
        updated = http.put(f"{BACKENDS}/b1/status", json=created).json()
        assert updated["status"]["conditions"][0]["type"] == "Accepted"
        assert updated["spec"]["schema"]["name"] == "OpenAI"  # status writes ignore spec
        assert updated["metadata"]["generation"] == 1
        status_entry = updated["metadata"]["managedFields"][-1]
        assert status_entry["subresource"] == "status"
        updated["status"] = {"conditions": []}
        main = http.put(f"{BACKENDS}/b1", json=updated).json()
        assert main["status"]["conditions"][0]["type"] == "Accepted"  # main writes ignore status
        patched = http.patch(
            f"{BACKENDS}/b1/status",
            content=json.dumps({"status": {"conditions": [dict(_CONDITION, message="patched")]}}),
            headers={"Content-Type": "application/merge-patch+json"},
        ).json()
        assert patched["status"]["conditions"][0]["message"] == "patched"
        got = http.get(f"{BACKENDS}/b1/status").json()
        assert got["status"] == patched["status"]
        bad = http.patch(
            f"{BACKENDS}/b1/status",
            content=json.dumps({"status": {"conditions": [{"type": "Accepted"}]}}),
            headers={"Content-Type": "application/merge-patch+json"},
        )
        assert bad.status_code == 422
        assert "status.conditions[0].status: Required value" in bad.json()["message"]


def test_watch_replays_from_resource_version(quiet_server: KubeAPIServer) -> None:
    with quiet_server as server, httpx.Client(base_url=server.url) as http:
        start = http.get(BACKENDS).json()["metadata"]["resourceVersion"]
        http.post(BACKENDS, json=service_backend("b1", app="x"))
        http.post(BACKENDS, json=service_backend("b2"))
        http.patch(
            f"{BACKENDS}/b1",
            content=json.dumps({"metadata": {"labels": {"app": "x", "more": "1"}}}),
            headers={"Content-Type": "application/merge-patch+json"},
        )
        http.delete(f"{BACKENDS}/b1")
        params = {"watch": "true", "resourceVersion": start, "timeoutSeconds": "1"}
        with http.stream("GET", BACKENDS, params=params) as stream:
            events = [json.loads(line) for line in stream.iter_lines() if line]
        assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [
            ("ADDED", "b1"),
            ("ADDED", "b2"),
            ("MODIFIED", "b1"),
            ("DELETED", "b1"),
        ]
        selected = dict(params, labelSelector="app=x")
        with http.stream("GET", BACKENDS, params=selected) as stream:
            names = {json.loads(line)["object"]["metadata"]["name"] for line in stream.iter_lines()}
        assert names == {"b1"}


def test_official_watch_sees_live_events(quiet_server: KubeAPIServer) -> None:
    with quiet_server as server:
        api = client.ApiClient(_configuration(server))
        custom = client.CustomObjectsApi(api)
        listed: Any = custom.list_namespaced_custom_object(
            GROUP, "v1beta1", "default", "aiservicebackends"
        )
        seen: list[tuple[str, str]] = []
        started = threading.Event()

        def consume() -> None:
            stream = watch.Watch().stream(  # type: ignore[no-untyped-call]
                custom.list_namespaced_custom_object,
                GROUP,
                "v1beta1",
                "default",
                "aiservicebackends",
                resource_version=listed["metadata"]["resourceVersion"],
                timeout_seconds=2,
            )
            started.set()
            for event in stream:
                seen.append((event["type"], event["object"]["metadata"]["name"]))

        consumer = threading.Thread(target=consume)
        consumer.start()
        started.wait()
        custom.create_namespaced_custom_object(
            GROUP, "v1beta1", "default", "aiservicebackends", service_backend("live")
        )
        consumer.join()
        api.close()  # type: ignore[no-untyped-call]
        assert seen == [("ADDED", "live")]


def _configuration(server: KubeAPIServer) -> client.Configuration:
    configuration = client.Configuration()
    configuration.host = server.url
    configuration.api_key = {"authorization": "Bearer test"}
    return configuration


def test_watch_without_resource_version_lists_first(quiet_server: KubeAPIServer) -> None:
    with quiet_server as server, httpx.Client(base_url=server.url) as http:
        http.post(BACKENDS, json=service_backend("b1"))
        params = {"watch": "1", "timeoutSeconds": "1"}
        with http.stream("GET", BACKENDS, params=params) as stream:
            events = [json.loads(line) for line in stream.iter_lines() if line]
        assert [(e["type"], e["object"]["metadata"]["name"]) for e in events] == [("ADDED", "b1")]
        assert events[0]["object"]["apiVersion"] == f"{GROUP}/v1beta1"


@pytest.mark.anyio
async def test_async_watch_stream(quiet_server: KubeAPIServer) -> None:
    with quiet_server as server:
        async with httpx.AsyncClient(base_url=server.url) as http:
            await http.post(BACKENDS, json=service_backend("b1"))
            params = {"watch": "true", "resourceVersion": "0", "timeoutSeconds": "1"}
            async with http.stream("GET", BACKENDS, params=params) as stream:
                lines = [line async for line in stream.aiter_lines() if line]
        assert json.loads(lines[0])["type"] == "ADDED"
