"""Admin API: health, metrics, config (redacted), atomic hot reload, costs in the access log."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import orjson
import pytest

from aigw_sdk.bundle import Bundle
from aigw_sdk.client import GatewayMetrics
from tests.gateway.gw_helpers import (
    ANTHROPIC_HEADERS,
    SIM_KEY,
    Stack,
    access_line,
    anthropic_body,
    provider,
    route,
    rule,
)


def _bundle(stack: Stack, model: str = "claude-sonnet-4-5", **spec: Any) -> Bundle:
    return Bundle(
        [
            *provider("claude", "Anthropic", stack.sim_port),
            route("r", [rule(model, ["claude"])], **spec),
        ]
    )


def _ask(stack: Stack, model: str = "claude-sonnet-4-5") -> httpx.Response:
    return httpx.post(
        f"{stack.url}/anthropic/v1/messages", json=anthropic_body(model), headers=ANTHROPIC_HEADERS
    )


def test_health_and_metrics(stack: Stack) -> None:
    stack.serve(_bundle(stack))
    assert _ask(stack).status_code == 200
    with stack.admin() as admin:
        assert admin.get("/health").text == "OK"
        text = admin.get("/metrics").text
    assert "# TYPE gen_ai_client_token_usage histogram" in text
    [sample] = GatewayMetrics.parse(text).select(
        "gen_ai_client_token_usage_count", gen_ai_token_type="output"
    )
    assert sample.labels == {
        "gen_ai_operation_name": "messages",
        "gen_ai_provider_name": "anthropic",
        "gen_ai_original_model": "claude-sonnet-4-5",
        "gen_ai_request_model": "claude-sonnet-4-5",
        "gen_ai_response_model": "claude-sonnet-4-5",
        "gen_ai_token_type": "output",
    }
    assert sample.value == 1
    assert "gen_ai_server_request_duration_seconds_bucket{" in text


def test_streaming_records_time_to_first_token(stack: Stack) -> None:
    stack.serve(_bundle(stack))
    httpx.post(
        f"{stack.url}/anthropic/v1/messages",
        json=anthropic_body(stream=True),
        headers=ANTHROPIC_HEADERS,
    )
    assert stack.service is not None
    assert stack.service.metrics.time_to_first_token.count(gen_ai_operation_name="messages") == 1
    assert stack.service.metrics.time_per_output_token.count() == 1


def test_config_requires_the_admin_token_and_redacts_secrets(stack: Stack) -> None:
    stack.serve(_bundle(stack))
    assert httpx.get(f"{stack.admin_url}/config").status_code == 401
    with stack.admin() as admin:
        body = admin.get("/config").json()
    secret = next(doc for doc in body["resources"] if doc["kind"] == "Secret")
    assert secret["stringData"] == {"apiKey": "***"}
    assert SIM_KEY not in orjson.dumps(body).decode()


def test_put_config_swaps_atomically(stack: Stack) -> None:
    stack.serve(_bundle(stack))
    assert _ask(stack, "claude-opus-4").status_code == 404
    with stack.admin() as admin:
        reply = admin.put("/config", content=_bundle(stack, "claude-opus-4").to_yaml())
    assert reply.status_code == 200 and reply.json()["generation"] == 1
    assert _ask(stack, "claude-opus-4").status_code == 200
    assert _ask(stack, "claude-sonnet-4-5").status_code == 404


def test_put_config_does_not_expand_the_gateways_environment(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIGW_TEST_PRIVATE", "from-the-gateway-process")
    stack.serve(_bundle(stack))
    text = _bundle(stack).to_yaml()
    text = text.replace("value: claude-sonnet-4-5", "value: ${AIGW_TEST_PRIVATE}")
    with stack.admin() as admin:
        assert admin.put("/config", content=text).status_code == 200
        served = orjson.dumps(admin.get("/config").json()).decode()
    assert "${AIGW_TEST_PRIVATE}" in served
    assert "from-the-gateway-process" not in served


def test_bad_bundle_is_rejected_whole_listing_every_issue(stack: Stack) -> None:
    stack.serve(_bundle(stack))
    bad = _bundle(stack, "claude-opus-4")
    text = bad.to_yaml() + (
        "---\napiVersion: aigateway.envoyproxy.io/v1beta1\nkind: AIGatewayRoute\n"
        "metadata: {name: broken, namespace: default}\n"
        "spec:\n  rules:\n  - name: route-not-found\n"
        "    backendRefs: [{name: claude, weight: -1}]\n"
    )
    with stack.admin() as admin:
        reply = admin.put("/config", content=text)
        assert reply.status_code == 422
        messages = [issue["message"] for issue in reply.json()["issues"]]
        assert any("route-not-found is reserved" in m for m in messages)
        assert any("weight" in issue["path"] for issue in reply.json()["issues"])
        assert admin.get("/config").json()["generation"] == 0
    assert _ask(stack).status_code == 200
    assert _ask(stack, "claude-opus-4").status_code == 404


def test_bundle_the_local_gateway_cannot_serve_is_rejected(stack: Stack) -> None:
    stack.serve(_bundle(stack))
    aws = (
        _bundle(stack).to_yaml()
        + "---\napiVersion: aigateway.envoyproxy.io/v1beta1\nkind: BackendSecurityPolicy\n"
        "metadata: {name: aws-creds, namespace: default}\n"
        "spec:\n  type: APIKey\n  apiKey: {secretRef: {name: k}}\n"
        "  credentialOverride: {fromRequestHeaders: {header: x-key}}\n"
    )
    with stack.admin() as admin:
        reply = admin.put("/config", content=aws)
    assert reply.status_code == 422
    [issue] = reply.json()["issues"]
    assert "aws-creds" in issue["message"] and "not yet supported" in issue["message"]


def test_hot_reload_under_load_fails_no_request(stack: Stack) -> None:
    stack.serve(_bundle(stack))
    failures: list[int] = []
    done = threading.Event()

    def load() -> None:
        with httpx.Client() as client:
            while not done.is_set():
                response = client.post(
                    f"{stack.url}/anthropic/v1/messages",
                    json=anthropic_body(stream=True),
                    headers=ANTHROPIC_HEADERS,
                )
                if response.status_code != 200 or b"message_stop" not in response.content:
                    failures.append(response.status_code)

    workers = [threading.Thread(target=load) for _ in range(4)]
    for worker in workers:
        worker.start()
    try:
        with stack.admin() as admin:
            for generation in range(1, 11):
                bundle = _bundle(stack, "claude-sonnet-4-5", hostnames=None)
                reply = admin.put("/config", content=bundle.to_yaml())
                assert reply.json()["generation"] == generation
    finally:
        done.set()
        for worker in workers:
            worker.join()
    assert failures == []


def test_costs_are_evaluated_and_logged(stack: Stack) -> None:
    costs = [
        {"metadataKey": "in", "type": "InputToken"},
        {"metadataKey": "out", "type": "OutputToken"},
        {"metadataKey": "weighted", "type": "CEL", "cel": "input_tokens + output_tokens * uint(2)"},
        {"metadataKey": "by_model", "type": "CEL", "cel": "model == 'claude-sonnet-4-5' ? 7 : 0"},
    ]
    stack.serve(_bundle(stack, llmRequestCosts=costs))
    message = _ask(stack).json()
    line = access_line(stack)
    usage = message["usage"]
    assert line["costs"] == {
        "in": usage["input_tokens"],
        "out": usage["output_tokens"],
        "weighted": usage["input_tokens"] + 2 * usage["output_tokens"],
        "by_model": 7,
    }
    assert line["route"] == "default/r/rule/0" and line["backend"] == "default/claude"
    assert SIM_KEY not in orjson.dumps(line).decode()


def test_costs_are_not_evaluated_for_errors(stack: Stack) -> None:
    stack.serve(_bundle(stack, llmRequestCosts=[{"metadataKey": "in", "type": "InputToken"}]))
    response = httpx.post(
        f"{stack.url}/anthropic/v1/messages",
        json=anthropic_body(),
        headers={**ANTHROPIC_HEADERS, "x-sim-status": "500"},
    )
    assert response.status_code == 500
    assert access_line(stack)["costs"] == {}
