"""Presets equal the upstream examples they reproduce."""

from __future__ import annotations

import pytest
import yaml

import aigw_sdk as aigw
from aigw_sdk.presets import Provider
from tests.support.upstream import Upstream, require_upstream_root


def _example(name: str) -> list[dict[str, object]]:
    text = (Upstream(require_upstream_root()).examples / name).read_text()
    return [d for d in yaml.safe_load_all(text) if d]


def test_anthropic_preset_is_the_seed_bundle() -> None:
    bundle = aigw.presets.anthropic()
    assert bundle.to_dicts() == _example("basic/anthropic.yaml")
    assert [r.kind for r in bundle] == [
        "AIGatewayRoute",
        "AIServiceBackend",
        "BackendSecurityPolicy",
        "Backend",
        "BackendTLSPolicy",
        "Secret",
    ]


def test_openai_preset_is_the_openai_example() -> None:
    assert aigw.presets.openai().to_dicts() == _example("basic/openai.yaml")


def test_api_key_and_models() -> None:
    bundle = aigw.presets.anthropic(api_key="sk-ant-1", models=["claude-sonnet-4-5", "claude-x"])
    route = bundle.of_kind(aigw.AIGatewayRoute)[0]
    assert route.spec is not None
    values = [
        r.matches[0].headers[0].value
        for r in route.spec.rules
        if r.matches and r.matches[0].headers
    ]
    assert values == ["claude-sonnet-4-5", "claude-x"]
    assert bundle.of_kind(aigw.Secret)[0].value("apiKey") == "sk-ant-1"
    assert "sk-ant-1" not in repr(bundle)


def test_with_model_adds_the_guides_opus_rule() -> None:
    base = aigw.presets.anthropic()
    more = aigw.presets.with_model(base, "claude-opus-4")
    route = more.to_dicts()[0]
    assert route["spec"]["rules"][1] == {
        "matches": [
            {"headers": [{"type": "Exact", "name": "x-ai-eg-model", "value": "claude-opus-4"}]}
        ],
        "backendRefs": [{"name": "envoy-ai-gateway-basic-anthropic"}],
    }
    assert len(base.to_dicts()[0]["spec"]["rules"]) == 1  # the original bundle is unchanged


def test_provider_fallback_matches_the_upstream_retry_policy() -> None:
    primary = Provider("primary", "OpenAI", "primary.example.com", "k1")
    secondary = Provider("secondary", "Anthropic", "api.anthropic.com", "k2")
    bundle = aigw.presets.provider_fallback(primary, secondary, ["claude-sonnet-4-5"])
    route = bundle.to_dicts()[0]
    assert route["spec"]["rules"][0]["backendRefs"] == [
        {"name": "primary", "priority": 0},
        {"name": "secondary", "priority": 1},
    ]
    upstream_btp = _example("provider_fallback/fallback.yaml")[0]
    ours = bundle.of_kind(aigw.BackendTrafficPolicy)[0].to_dict()
    assert ours["spec"] == upstream_btp["spec"]
    assert "k1" not in repr(primary)


def test_token_rate_limits_match_the_token_ratelimit_example() -> None:
    example = _example("token_ratelimit/token_ratelimit.yaml")
    (upstream_policy,) = [d for d in example if d["kind"] == "BackendTrafficPolicy"]
    upstream_rules = upstream_policy["spec"]["rateLimit"]["global"]["rules"]  # type: ignore[index]
    bundle = aigw.presets.token_rate_limits(
        aigw.presets.openai(),
        {"llm_input_token": 10, "llm_output_token": 100, "llm_total_token": 1000},
    )
    policy = bundle.named("BackendTrafficPolicy", "envoy-ai-gateway-basic-openai-token-ratelimit")
    assert policy is not None
    assert policy.to_dict()["spec"]["rateLimit"]["global"]["rules"] == upstream_rules[:3]
    assert [i for i in bundle.validate() if i.severity == "error"] == []


def test_token_rate_limits_rejects_unknown_keys() -> None:
    with pytest.raises(ValueError, match="unknown metadata keys"):
        aigw.presets.token_rate_limits(aigw.presets.openai(), {"input": 1})


def test_quota_policy_preset_validates() -> None:
    quota = aigw.presets.quota_policy(
        "q", "backend", "gpt-4o-mini", 100, cost_expression="total_tokens", tenant_header="x-t"
    )
    from aigw_sdk.widgets.summary import summarize

    assert summarize(quota) == "quota gpt-4o-mini 100/1h for backend"
    issues = aigw.Bundle([quota]).validate()
    assert [i.severity for i in issues] == ["warning"]  # the backend is not in the bundle


def test_token_rate_limits_extend_the_routes_retry_policy() -> None:
    primary = Provider("a", "Anthropic", "api.anthropic.com", "k1")
    secondary = Provider("b", "Anthropic", "api.anthropic.com", "k2")
    fallback = aigw.presets.provider_fallback(primary, secondary, ["claude-sonnet-4-5"])
    bundle = aigw.presets.token_rate_limits(fallback, {"llm_total_token": 1000})
    (policy,) = [r for r in bundle if r.kind == "BackendTrafficPolicy"]
    spec = policy.to_dict()["spec"]
    assert spec["retry"]["numRetries"] == 5
    assert spec["rateLimit"]["global"]["rules"][0]["limit"] == {"requests": 1000, "unit": "Hour"}
