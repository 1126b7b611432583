"""Token rate limits and quotas end to end: official SDKs -> gateway -> simulator, one process."""

from __future__ import annotations

import time
from typing import Any

import anthropic
import anyio
import httpx
import openai
import pytest

from aigw_sdk import presets
from aigw_sdk.bundle import Bundle
from aigw_sdk.models import BackendTrafficPolicy, ObjectMeta, parse_resource
from tests.gateway.gw_helpers import Stack, provider, route, rule
from tests.gateway.gw_helpers import sdk_anthropic as _anthropic
from tests.gateway.gw_helpers import sdk_openai as _openai

pytestmark = pytest.mark.filterwarnings("ignore:The model .* is deprecated:DeprecationWarning")


def _bundle(stack: Stack) -> Bundle:
    return Bundle(
        [
            *provider("claude", "Anthropic", stack.sim_port),
            *provider("gpt", "OpenAI", stack.sim_port),
            route("models", [rule("claude-sonnet-4-5", ["claude"]), rule("gpt-4o-mini", ["gpt"])]),
        ]
    )


def _request_limit(requests: int, unit: str = "Hour", **rule_extra: Any) -> BackendTrafficPolicy:
    """One global rule per distinct x-tenant-id, each request costing 1."""
    return BackendTrafficPolicy(
        metadata=ObjectMeta(name="limits", namespace="default"),
        spec={
            "targetRefs": [
                {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "models"}
            ],
            "rateLimit": {
                "type": "Global",
                "global": {
                    "rules": [
                        {
                            "clientSelectors": [
                                {"headers": [{"name": "x-tenant-id", "type": "Distinct"}]}
                            ],
                            "limit": {"requests": requests, "unit": unit},
                            **rule_extra,
                        }
                    ]
                },
            },
        },
    )


def _chat(client: openai.OpenAI, tenant: str, text: str = "hello there") -> Any:
    return client.chat.completions.with_raw_response.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": text}],
        extra_headers={"x-tenant-id": tenant},
    )


def test_input_token_budget_per_tenant_openai(stack: Stack) -> None:
    bundle = presets.token_rate_limits(_bundle(stack), {"llm_input_token": 10})
    client = _openai(stack.serve(bundle))
    used = 0
    admitted = 0
    refused: openai.RateLimitError | None = None
    while refused is None:
        try:
            raw = _chat(client, "tenant-a")
        except openai.RateLimitError as exc:
            refused = exc
            continue
        admitted += 1
        used += raw.parse().usage.prompt_tokens
        assert raw.headers["x-ratelimit-limit"].startswith("10, 10;w=3600")
        assert admitted < 20, "the budget never ran out"
    # Envoy semantics: requests are admitted while the counter is not above the limit.
    assert used > 10
    assert used - raw.parse().usage.prompt_tokens <= 10
    assert refused.status_code == 429
    assert refused.response.headers["x-ratelimit-remaining"] == "0"
    assert 0 < int(refused.response.headers["retry-after"]) <= 3600
    assert refused.response.headers["x-envoy-ratelimited"] == "true"
    error = refused.response.json()["error"]
    assert error["code"] == "429"
    assert "llm_input_token" not in error["message"]  # names the rule, not the metadata
    assert "global.rules[0]" in error["message"]
    # Another tenant has its own budget.
    assert _chat(client, "tenant-b").parse().choices[0].message.content


def test_output_budget_with_anthropic_streams(stack: Stack) -> None:
    bundle = presets.token_rate_limits(_bundle(stack), {"llm_output_token": 30})
    client = _anthropic(stack.serve(bundle))
    streamed = 0
    for _ in range(30):
        try:
            with client.messages.stream(
                model="claude-sonnet-4-5",
                max_tokens=64,
                messages=[{"role": "user", "content": "stream a few words please"}],
                extra_headers={"x-tenant-id": "streamer"},
            ) as stream:
                final = stream.get_final_message()
        except anthropic.RateLimitError as exc:
            assert exc.status_code == 429
            assert exc.body["error"]["type"] == "rate_limit_error"  # type: ignore[index]
            break
        streamed += final.usage.output_tokens
    else:
        pytest.fail("streamed responses were never charged")
    assert streamed > 30
    with stack.admin() as admin:
        snapshot = admin.get("/ratelimits").json()
    counters = snapshot["rules"][0]["counters"]
    assert snapshot["store"] == "memory"
    assert counters == [
        {
            "descriptor": "header x-tenant-id=streamer",
            "used": streamed,
            "remaining": 0,
            "reset_seconds": counters[0]["reset_seconds"],
        }
    ]


def test_request_limit_is_exact_under_concurrency(stack: Stack) -> None:
    stack.serve(_bundle(stack), _request_limit(25))
    statuses = anyio.run(_burst, stack.url, 80, "burst")
    assert statuses.count(200) == 25
    assert statuses.count(429) == 55


async def _burst(url: str, count: int, tenant: str) -> list[int]:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
    headers = {"x-tenant-id": tenant}
    statuses: list[int] = []
    limits = httpx.Limits(max_connections=40)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:

        async def one() -> None:
            response = await client.post("/v1/chat/completions", json=body, headers=headers)
            statuses.append(response.status_code)

        async with anyio.create_task_group() as tg:
            for _ in range(count):
                tg.start_soon(one)
    return statuses


def test_shadow_mode_counts_but_never_rejects(stack: Stack) -> None:
    stack.serve(_bundle(stack), _request_limit(2, shadowMode=True))
    client = _openai(stack)
    for _ in range(5):
        raw = _chat(client, "shadowed")
        assert "x-ratelimit-limit" not in raw.headers
    with stack.admin() as admin:
        (limit,) = admin.get("/ratelimits").json()["rules"]
    assert limit["shadow"] is True
    assert limit["counters"][0]["used"] == 5


def test_requests_without_the_header_are_not_limited(stack: Stack) -> None:
    stack.serve(_bundle(stack), _request_limit(1))
    client = _openai(stack)
    for _ in range(3):
        response = client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "no tenant"}]
        )
        assert response.choices


def test_window_resets(stack: Stack) -> None:
    stack.serve(_bundle(stack), _request_limit(1, unit="Second"))
    client = _openai(stack)
    # Start right after a second boundary so both calls fall into one window.
    time.sleep(1 - time.time() % 1 + 0.05)
    _chat(client, "reset")
    with pytest.raises(openai.RateLimitError) as caught:
        _chat(client, "reset")
    assert caught.value.response.headers["retry-after"] == "1"
    time.sleep(1 - time.time() % 1 + 0.05)
    assert _chat(client, "reset").parse().choices


def test_exact_and_regex_selectors(stack: Stack) -> None:
    policy = BackendTrafficPolicy(
        metadata=ObjectMeta(name="limits", namespace="default"),
        spec={
            "targetRefs": [
                {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "any"}
            ],
            "rateLimit": {
                "type": "Global",
                "global": {
                    "rules": [
                        {
                            "clientSelectors": [
                                {
                                    "headers": [
                                        {"name": "x-plan", "type": "Exact", "value": "free"},
                                        {
                                            "name": "x-user",
                                            "type": "RegularExpression",
                                            "value": "bot-.*",
                                        },
                                    ]
                                }
                            ],
                            "limit": {"requests": 1, "unit": "Hour"},
                        }
                    ]
                },
            },
        },
    )
    client = _openai(stack.serve(_bundle(stack), policy))

    def call(plan: str, user: str) -> int:
        try:
            client.chat.completions.create(
                model="gpt-4o-mini",
                messages=[{"role": "user", "content": "x"}],
                extra_headers={"x-plan": plan, "x-user": user},
            )
        except openai.RateLimitError:
            return 429
        return 200

    assert call("free", "bot-1") == 200
    assert call("free", "bot-2") == 429  # one shared bucket for every matching request
    assert call("paid", "bot-3") == 200
    assert call("free", "human") == 200


def test_quota_policy_default_and_tenant_buckets(stack: Stack) -> None:
    # No modelNameOverride: the quota's model is the requested one.
    quota = presets.quota_policy(
        "gpt-quota",
        "gpt",
        "gpt-4o-mini",
        limit=10_000,
        cost_expression="input_tokens + output_tokens * 2u",
        tenant_header="x-tenant-id",
        tenant_limit=20,
    )
    quota.spec.per_model_quotas[0].quota.bucket_rules[0].shadow_mode = False  # type: ignore[index,union-attr]
    client = _openai(stack.serve(_bundle(stack), quota))
    raw = _chat(client, "quota-tenant")
    usage = raw.parse().usage
    with stack.admin() as admin:
        rules = {r["id"].rsplit("/", 1)[-1]: r for r in admin.get("/ratelimits").json()["rules"]}
    cost = usage.prompt_tokens + usage.completion_tokens * 2
    assert rules["default"]["counters"][0]["used"] == cost
    assert rules["0"]["counters"][0]["used"] == cost
    # Shared mode: the tenant bucket running out still leaves the default bucket.
    for _ in range(5):
        _chat(client, "quota-tenant")
    assert _chat(client, "quota-tenant").parse().choices


def test_quota_policy_rejects_when_every_bucket_is_spent(stack: Stack) -> None:
    quota = presets.quota_policy("claude-quota", "claude", "claude-sonnet-4-5", limit=15)
    client = _anthropic(stack.serve(_bundle(stack), quota))
    with pytest.raises(anthropic.RateLimitError) as caught:
        for _ in range(20):
            client.messages.create(
                model="claude-sonnet-4-5",
                max_tokens=32,
                messages=[{"role": "user", "content": "spend my quota"}],
            )
    assert "perModelQuotas[0].quota.defaultBucket" in str(caught.value)
    # Another model on another backend is not affected.
    assert (
        _openai(stack)
        .chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "free"}]
        )
        .choices
    )


def test_upstream_token_ratelimit_example_runs_locally() -> None:
    from aigw_sdk.bundle import load_yaml
    from aigw_sdk.local import LocalGateway
    from tests.support.upstream import Upstream, require_upstream_root

    path = Upstream(require_upstream_root()).examples / "token_ratelimit/token_ratelimit.yaml"
    example = load_yaml(str(path))
    # The example's test upstream needs no key; the simulator does: add the usual API-key policy.
    backend = "envoy-ai-gateway-token-ratelimit-testupstream"
    example.add(
        parse_resource(
            {"apiVersion": "aigateway.envoyproxy.io/v1beta1", "kind": "BackendSecurityPolicy",
             "metadata": {"name": "simulator-key", "namespace": "default"},
             "spec": {"type": "APIKey", "apiKey": {"secretRef": {"name": "simulator-key"}},
                      "targetRefs": [{"group": "aigateway.envoyproxy.io",
                                      "kind": "AIServiceBackend", "name": backend}]}}
        ),
        parse_resource(
            {"apiVersion": "v1", "kind": "Secret",
             "metadata": {"name": "simulator-key", "namespace": "default"},
             "stringData": {"apiKey": "replaced-by-simulated"}}
        ),
    )  # fmt: skip
    with LocalGateway(simulator=True) as gateway:
        result = gateway.apply(gateway.simulated(example))
        warnings = [w["message"] for w in result["warnings"]]
        assert any(w.startswith("Deployment default/") for w in warnings), warnings
        client = openai.OpenAI(base_url=f"{gateway.url}/v1", api_key="k", max_retries=0)
        with client:

            def ask(tenant: str, text: str) -> int:
                reply = client.chat.completions.create(
                    model="rate-limit-funky-model",
                    messages=[{"role": "user", "content": text}],
                    extra_headers={"x-tenant-id": tenant},
                )
                assert reply.usage is not None
                return reply.usage.prompt_tokens

            # The example's CEL cost is 100000000 when a request had 3 input tokens.
            assert ask("cel", "hello there") == 3
            with pytest.raises(openai.RateLimitError, match=r"global\.rules\[4\]"):
                ask("cel", "hello there")
            # Its input budget: 10 tokens per hour and tenant.
            spent = 0
            with pytest.raises(openai.RateLimitError, match=r"global\.rules\[0\]"):
                for _ in range(10):
                    spent += ask("input", "a somewhat longer question")
        assert spent > 10
