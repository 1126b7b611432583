"""Routing (§4.1-4.4): precedence, regex, hostnames, weights, priorities, retries, mutations."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest

from gateway import routing
from gateway.config import compile_config
from gateway.routing import AttemptPlan, select_rule
from gateway.serving import ServerThread
from tests.gateway.gw_helpers import (
    ANTHROPIC_HEADERS,
    RecordingUpstream,
    Stack,
    anthropic_body,
    provider,
    retry_policy,
    route,
    rule,
)

OK_BODY = b'{"id":"x","model":"m","usage":{"input_tokens":1,"output_tokens":1}}'


def _winner(*resources: Any, headers: dict[str, str], host: str | None = None) -> str | None:
    flat = [r for item in resources for r in (item if isinstance(item, list) else [item])]
    config = compile_config(flat)
    chosen = select_rule(config.scope_for(host), headers)
    return None if chosen is None else chosen.priorities[0][0].target.name.split("/")[1]


def _backends() -> list[Any]:
    return [r for name in ("a", "b", "c") for r in provider(name, "Anthropic", 9)]


def test_more_header_matches_win_over_rule_order() -> None:
    r = route(
        "r",
        [
            rule("m", ["a"]),
            rule("m", ["b"], headers={"x-tenant": "blue"}),
        ],
    )
    assert _winner(_backends(), r, headers={"x-ai-eg-model": "m", "x-tenant": "blue"}) == "b"
    assert _winner(_backends(), r, headers={"x-ai-eg-model": "m", "x-tenant": "red"}) == "a"


def test_ties_go_to_the_oldest_route_then_name_then_rule_order() -> None:
    young = route("a-young", [rule("m", ["a"])], created="2025-02-01T00:00:00Z")
    old = route("z-old", [rule("m", ["b"])], created="2024-01-01T00:00:00Z")
    assert _winner(_backends(), young, old, headers={"x-ai-eg-model": "m"}) == "b"
    first = route("alpha", [rule("m", ["c"]), rule("m", ["a"])])
    second = route("beta", [rule("m", ["b"])])
    assert _winner(_backends(), second, first, headers={"x-ai-eg-model": "m"}) == "c"


def test_regular_expression_is_a_full_match() -> None:
    r = route("r", [rule("claude-.*", ["a"], regex=True), rule(".*", ["b"], regex=True)])
    assert _winner(_backends(), r, headers={"x-ai-eg-model": "claude-x"}) == "a"
    assert _winner(_backends(), r, headers={"x-ai-eg-model": "my-claude-x"}) == "b"


def test_hostnames_select_their_routes_before_unscoped_ones() -> None:
    scoped = route("scoped", [rule("m", ["a"])], hostnames=["api.example.com"])
    wild = route("wild", [rule("m", ["c"])], hostnames=["*.example.com"])
    plain = route("plain", [rule("m", ["b"])])
    headers = {"x-ai-eg-model": "m"}
    assert (
        _winner(_backends(), scoped, wild, plain, headers=headers, host="api.example.com:80") == "a"
    )
    assert _winner(_backends(), scoped, wild, plain, headers=headers, host="x.example.com") == "c"
    assert _winner(_backends(), scoped, wild, plain, headers=headers, host="other.org") == "b"


def test_weight_zero_is_excluded(stack: Stack) -> None:
    failing = provider("failing", "Anthropic", stack.sim_port, header_set={"x-sim-status": "500"})
    ok = provider("ok", "Anthropic", stack.sim_port)
    refs = [{"name": "failing", "weight": 0}, {"name": "ok", "priority": 1}]
    stack.serve(failing, ok, route("r", [rule("claude-sonnet-4-5", refs)]))
    response = httpx.post(
        f"{stack.url}/anthropic/v1/messages", json=anthropic_body(), headers=ANTHROPIC_HEADERS
    )
    assert response.status_code == 200


def test_weights_spread_requests_over_backends(stack: Stack) -> None:
    refs = [
        {"name": "ok", "weight": 1, "modelNameOverride": "model-a"},
        {"name": "ok", "weight": 1, "modelNameOverride": "model-b"},
    ]
    stack.serve(
        provider("ok", "Anthropic", stack.sim_port), route("r", [rule("claude-sonnet-4-5", refs)])
    )
    seen = {
        httpx.post(
            f"{stack.url}/anthropic/v1/messages", json=anthropic_body(), headers=ANTHROPIC_HEADERS
        ).json()["model"]
        for _ in range(40)
    }
    assert seen == {"model-a", "model-b"}


def _fallback_stack(stack: Stack, **retry: Any) -> Stack:
    primary = provider("primary", "Anthropic", stack.sim_port, header_set={"x-sim-status": "500"})
    secondary = provider("secondary", "Anthropic", stack.sim_port)
    refs = [{"name": "primary", "priority": 0}, {"name": "secondary", "priority": 1}]
    resources: list[Any] = [primary, secondary, route("fb", [rule("claude-sonnet-4-5", refs)])]
    if retry:
        resources.append(retry_policy("fb", **retry))
    return stack.serve(*resources)


FALLBACK = {
    "numAttemptsPerPriority": 1,
    "numRetries": 3,
    "retryOn": {"httpStatusCodes": [500], "triggers": ["retriable-status-codes"]},
    "perRetry": {"backOff": {"baseInterval": "1ms", "maxInterval": "2ms"}},
}


def test_priority_fallback_only_with_a_retry_policy(stack: Stack) -> None:
    _fallback_stack(stack)
    response = httpx.post(
        f"{stack.url}/anthropic/v1/messages", json=anthropic_body(), headers=ANTHROPIC_HEADERS
    )
    assert response.status_code == 500


def test_priority_fallback_with_retry_policy(stack: Stack) -> None:
    _fallback_stack(stack, **FALLBACK)
    response = httpx.post(
        f"{stack.url}/anthropic/v1/messages", json=anthropic_body(), headers=ANTHROPIC_HEADERS
    )
    assert response.status_code == 200
    assert stack.sim_stats()["requests"]["/v1/messages"] == 2


def test_status_not_in_retry_codes_is_not_retried(stack: Stack) -> None:
    _fallback_stack(stack, **{**FALLBACK, "retryOn": {"httpStatusCodes": [503]}})
    response = httpx.post(
        f"{stack.url}/anthropic/v1/messages", json=anthropic_body(), headers=ANTHROPIC_HEADERS
    )
    assert response.status_code == 500
    assert stack.sim_stats()["requests"]["/v1/messages"] == 1


def test_num_retries_bounds_the_attempts(stack: Stack) -> None:
    primary = provider("primary", "Anthropic", stack.sim_port, header_set={"x-sim-status": "500"})
    stack.serve(
        primary,
        route("fb", [rule("claude-sonnet-4-5", ["primary"])]),
        retry_policy("fb", **{**FALLBACK, "numRetries": 2, "numAttemptsPerPriority": None}),
    )
    response = httpx.post(
        f"{stack.url}/anthropic/v1/messages", json=anthropic_body(), headers=ANTHROPIC_HEADERS
    )
    assert response.status_code == 500
    assert stack.sim_stats()["requests"]["/v1/messages"] == 3


def test_connect_failure_falls_back(stack: Stack) -> None:
    with ServerThread([(RecordingUpstream([]), "127.0.0.1", 0)]) as server:
        closed = server.ports[0]
    refs = [{"name": "dead", "priority": 0}, {"name": "ok", "priority": 1}]
    stack.serve(
        provider("dead", "Anthropic", closed),
        provider("ok", "Anthropic", stack.sim_port),
        route("fb", [rule("claude-sonnet-4-5", refs)]),
        retry_policy("fb", numAttemptsPerPriority=1, retryOn={"triggers": ["connect-failure"]}),
    )
    response = httpx.post(
        f"{stack.url}/anthropic/v1/messages", json=anthropic_body(), headers=ANTHROPIC_HEADERS
    )
    assert response.status_code == 200


def test_no_retry_after_the_stream_started(stack: Stack) -> None:
    _fallback_stack(stack, **{**FALLBACK, "retryOn": {"triggers": ["reset", "5xx"]}})
    headers = {**ANTHROPIC_HEADERS, "x-sim-fail-after-events": "2", "x-sim-fail-mode": "drop"}
    stack.reload(
        provider("primary", "Anthropic", stack.sim_port),
        provider("secondary", "Anthropic", stack.sim_port),
        route("fb", [rule("claude-sonnet-4-5", [{"name": "primary"}])]),
        retry_policy("fb", **{**FALLBACK, "retryOn": {"triggers": ["reset", "5xx"]}}),
    )
    with httpx.stream(
        "POST",
        f"{stack.url}/anthropic/v1/messages",
        json=anthropic_body(stream=True),
        headers=headers,
    ) as response:
        tail = b"".join(response.iter_raw())
    assert b"event: error" in tail
    assert stack.sim_stats()["requests"]["/v1/messages"] == 1


def _recorded(
    stack: Stack, body: dict[str, Any], **mutations: Any
) -> tuple[str, dict[str, str], bytes]:
    upstream = RecordingUpstream([OK_BODY])
    with ServerThread([(upstream, "127.0.0.1", 0)]) as server:
        ref: dict[str, Any] = {"name": "up", **mutations.pop("ref", {})}
        stack.serve(
            provider("up", "Anthropic", server.ports[0], **mutations),
            route("r", [rule("claude-sonnet-4-5", [ref])]),
        )
        response = httpx.post(
            f"{stack.url}/anthropic/v1/messages",
            json=body,
            headers={**ANTHROPIC_HEADERS, "x-client": "keep", "x-drop": "1", "x-both": "client"},
        )
        assert response.status_code == 200
    return upstream.requests[0]


def test_model_name_override_replaces_the_upstream_model(stack: Stack) -> None:
    _, headers, body = _recorded(stack, anthropic_body(), ref={"modelNameOverride": "claude-real"})
    assert b'"model":"claude-real"' in body
    assert headers["x-ai-eg-model"] == "claude-real"


def test_header_mutation_merge_backend_ref_wins(stack: Stack) -> None:
    ref = {"headerMutation": {"set": [{"name": "X-Both", "value": "ref"}], "remove": ["x-drop"]}}
    _, headers, _ = _recorded(
        stack,
        anthropic_body(),
        ref=ref,
        header_set={"x-both": "service", "x-service": "yes", "x-ai-eg-model": "ignored"},
    )
    assert headers["x-both"] == "ref"
    assert headers["x-service"] == "yes"
    assert headers["x-client"] == "keep"
    assert "x-drop" not in headers
    assert headers["x-ai-eg-model"] == "claude-sonnet-4-5"


def test_body_mutation_removes_then_sets(stack: Stack) -> None:
    ref = {
        "bodyMutation": {
            "remove": ["metadata"],
            "set": [
                {"path": "temperature", "value": "0.5"},
                {"path": "service_tier", "value": "auto"},
            ],
        }
    }
    _, _, raw = _recorded(stack, anthropic_body(metadata={"user_id": "u"}), ref=ref)
    body = orjson.loads(raw)
    assert "metadata" not in body
    assert body["temperature"] == 0.5 and body["service_tier"] == "auto"


@pytest.mark.parametrize("triggers", [["connect-failure"], ["5xx"]])
def test_retry_policy_triggers_compile(triggers: list[str]) -> None:
    config = compile_config(
        [
            *_backends(),
            route("r", [rule("m", ["a"])]),
            retry_policy("r", retryOn={"triggers": triggers}),
        ]
    )
    chosen = select_rule(config.default_scope, {"x-ai-eg-model": "m"})
    assert chosen is not None and chosen.retry.triggers == frozenset(triggers)
    assert chosen.retry.num_retries == 2  # Envoy's default


@pytest.mark.parametrize(("draw", "expected"), [(0.0, "a"), (0.24, "a"), (0.25, "b"), (0.99, "b")])
def test_weighted_pick_follows_the_weights(
    monkeypatch: pytest.MonkeyPatch, draw: float, expected: str
) -> None:
    """Weights 1 and 3: the first quarter of the draw range picks `a`, the rest `b`."""
    refs = [{"name": "a", "weight": 1}, {"name": "b", "weight": 3}]
    config = compile_config([*_backends(), route("r", [rule("m", refs)])])
    chosen = select_rule(config.default_scope, {"x-ai-eg-model": "m"})
    assert chosen is not None
    monkeypatch.setattr(routing.random, "random", lambda: draw)
    ref = AttemptPlan(chosen).next_backend()
    assert ref is not None and ref.target.name == f"default/{expected}"
