"""`PUT /config` takes only its body, off the event loop; `GET /config` masks every credential."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import orjson
import pytest

import gateway.admin
from aigw_sdk.bundle import Bundle
from tests.gateway.gw_helpers import Stack, provider, route, rule

KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://example.invalid"}}]
users: [{name: u, user: {token: kube-token-canary-123}}]
"""


def _bundle(stack: Stack) -> Bundle:
    return Bundle(
        [*provider("claude", "Anthropic", stack.sim_port), route("r", [rule("claude", ["claude"])])]
    )


def test_a_path_in_the_body_is_never_read(stack: Stack, tmp_path: Path) -> None:
    kubeconfig = tmp_path / "config.yaml"
    kubeconfig.write_text(KUBECONFIG)
    stack.serve(_bundle(stack))
    with stack.admin() as admin:
        existing = admin.put("/config", content=str(kubeconfig).encode())
        missing = admin.put("/config", content=str(tmp_path / "nope.yaml").encode())
        shown = admin.get("/config")
    assert existing.status_code == missing.status_code == 400
    # The reply does not reveal whether the file exists.
    assert existing.json()["error"] == missing.json()["error"].replace("nope.yaml", "config.yaml")
    assert shown.json()["generation"] == 0
    assert "kube-token-canary-123" not in shown.text


def test_an_empty_body_never_loads_the_working_directory(
    stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bundle.yaml").write_text(_bundle(stack).to_yaml())
    monkeypatch.chdir(tmp_path)
    stack.serve(_bundle(stack))
    with stack.admin() as admin:
        for body in (b"", b"   \n", b"# only a comment\n", b"---\n"):
            response = admin.put("/config", content=body)
            assert response.status_code == 400, body
            assert "no Kubernetes objects" in response.json()["error"]
        assert admin.get("/config").json()["generation"] == 0


def test_a_json_body_is_accepted(stack: Stack) -> None:
    stack.serve(_bundle(stack))
    as_list = {"apiVersion": "v1", "kind": "List", "items": _bundle(stack).to_dicts()}
    with stack.admin() as admin:
        response = admin.put(
            "/config", content=orjson.dumps(as_list), headers={"content-type": "application/json"}
        )
    assert response.status_code == 200, response.text
    assert response.json()["generation"] == 1


def test_yaml_limits_and_duplicate_keys_are_400s(stack: Stack) -> None:
    stack.serve(_bundle(stack))
    with stack.admin() as admin:
        deep = admin.put("/config", content=b"a: " + b"[" * 10_000 + b"]" * 10_000)
        duplicate = admin.put("/config", content=b"kind: Secret\nkind: Secret\n")
    assert deep.status_code == 400 and "max depth" in deep.json()["error"]
    assert duplicate.status_code == 400
    assert "PUT /config body:2:1" in duplicate.json()["error"]
    assert "duplicate key 'kind'" in duplicate.json()["error"]


def test_parsing_and_compiling_run_off_the_event_loop(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack.serve(_bundle(stack))
    seen: list[str] = []
    compile_config = gateway.admin.compile_config
    parse_documents = gateway.admin.parse_documents

    def compile_recording(*args: Any, **kwargs: Any) -> Any:
        seen.append(threading.current_thread().name)
        return compile_config(*args, **kwargs)

    def parse_recording(*args: Any, **kwargs: Any) -> Any:
        seen.append(threading.current_thread().name)
        return parse_documents(*args, **kwargs)

    monkeypatch.setattr(gateway.admin, "compile_config", compile_recording)
    monkeypatch.setattr(gateway.admin, "parse_documents", parse_recording)
    with stack.admin() as admin:
        assert admin.put("/config", content=_bundle(stack).to_yaml().encode()).status_code == 200
    assert seen == ["AnyIO worker thread"] * 2  # not the loop's thread "aigw-gateway"
